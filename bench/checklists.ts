// Part 7: 清单 at scale.
//  a. Publish: a bureau of 500 members in 20 支部, a 2026 checklist of 25 items made through the API,
//     then POST /v1/checklists/:id/publish. App in-process, tenant DB on tools/libsql-server over HTTP
//     (as the Worker has it), so the server's counters say how many round trips publishing took.
//     The issue: "takes a batch, not a loop of round trips" — flagged above ~5.
//  b. Reading at scale: a bureau of 2,000 members in 40 支部 with three published checklists
//     (≈100,000 tasks), states mixed by SQL as the year would leave them (most past tasks done, some
//     late, submitted, returned, overdue). autocannon against the server child (file DBs, as part 1)
//     on GET /v1/tasks?limit=50 and ?status=overdue with a member's token and the branch ledger with
//     the admin's, beside a bare Hono route measured in the same child. Round trips per request come
//     from (a)'s tenant (the count depends on the code path, not on how many rows there are).
//  c. Query plans: the SQL those three requests issue, captured with drizzle's logger in (a), is
//     EXPLAINed and timed on (b)'s database file; a slow one (> 50 ms unloaded p50) gets what the
//     plan says named, and the indexes one would try first are timed on a scratch copy of the file.
import { join } from "node:path";
import { createClient as createFileClient, type Client as FileClient } from "@libsql/client";
import { type Client, createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import { createApp } from "../src/app.js";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import * as controlSchema from "../src/db/control/schema.js";
import { applyMigrations } from "../src/db/migrate.js";
import { bundledMigrations } from "../src/db/migrations.generated.js";
import { schema, type TenantDb } from "../src/db/tenant/index.js";
import { hashPassword } from "../src/platform/crypto.js";
import { databaseNameFor, libsqlServerProvisioner, waitUntilReady } from "../src/platform/http-tenant-databases.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import type { TenantDatabases } from "../src/platform/ports.js";
import { startLibsqlServer } from "../tools/libsql-server/server.js";
import { type SeededOrg, seedOrg, signUpOverHttp } from "./fixtures.js";
import { load, type LoadFigures } from "./http-load.js";
import { ROUND_TRIP_BUDGET } from "./round-trips.js";
import { copyDatabase, explain, type Plan, planSummary, timeQuery, unloaded } from "./sql-tools.js";
import { startServerChild } from "./server.js";
import { addAppendix, BENCH_PASSWORD, benchEnv, failedRow, fmtInt, fmtMiB, fmtMs, log, type Row, tempDir } from "./support.js";

const PART = "7 checklists";
export const SEED_PASSWORD = "Seeded-Member-2026";
/** Publishing more round trips than this is a loop, not a batch (the issue's words). */
const PUBLISH_ROUND_TRIPS = 5;
/** Unloaded p50 above which a request's SQL is EXPLAINed and an index looked for. */
const SLOW_MS = 50;

// ── the checklists ───────────────────────────────────────────────────────────────────────────────

const MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=-1";
const QUARTERLY = "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1";
const HALF_YEARLY = "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1";
const YEARLY = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1";
const EACH_BRANCH = [{ type: "each_branch", branchKind: "branch" }];
const EACH_MEMBER = [{ type: "each_member" }];
const EACH_SECRETARY = [{ type: "each_secretary", branchKind: "branch" }];

interface ItemSpec {
  module: string;
  title: string;
  recurrence?: string;
  dueDate?: string;
  assignees: unknown[];
  minCount?: number;
  points: number;
  latePoints?: number;
  returnPenalty?: number;
  evidenceRequired?: boolean;
  reviewRequired?: boolean;
}
interface ChecklistSpec { title: string; kind: string; items: ItemSpec[] }

/** A 支部-level 党务清单 as a 机关党委 issues it: 25 time nodes over the year. */
export const PARTY_AFFAIRS: ChecklistSpec = {
  title: "2026年度党建工作清单",
  kind: "party_affairs",
  items: [
    { module: "组织生活", title: "开展主题党日活动", recurrence: MONTHLY, assignees: EACH_BRANCH, points: 10, latePoints: 6, returnPenalty: 2, evidenceRequired: true, reviewRequired: true },
    { module: "组织生活", title: "召开支委会", recurrence: MONTHLY, assignees: EACH_BRANCH, points: 5, evidenceRequired: true },
    { module: "组织生活", title: "召开党小组会", recurrence: MONTHLY, assignees: EACH_BRANCH, points: 5 },
    { module: "党费管理", title: "按月收缴党费并公示", recurrence: MONTHLY, assignees: EACH_BRANCH, points: 3 },
    { module: "学习教育", title: "支部集中学习", recurrence: MONTHLY, assignees: EACH_BRANCH, points: 5, evidenceRequired: true },
    { module: "基础工作", title: "报送党建工作台账月报", recurrence: MONTHLY, assignees: EACH_BRANCH, points: 2 },
    { module: "组织生活", title: "召开支部党员大会", recurrence: QUARTERLY, assignees: EACH_BRANCH, points: 8, evidenceRequired: true, reviewRequired: true },
    { module: "组织生活", title: "支部书记讲党课", recurrence: QUARTERLY, assignees: EACH_BRANCH, points: 8, evidenceRequired: true },
    { module: "意识形态", title: "意识形态工作分析研判", recurrence: QUARTERLY, assignees: EACH_BRANCH, points: 5 },
    { module: "纪律建设", title: "开展警示教育", recurrence: QUARTERLY, assignees: EACH_BRANCH, points: 5 },
    { module: "思想建设", title: "提交思想汇报", recurrence: HALF_YEARLY, assignees: EACH_MEMBER, points: 3 },
    { module: "学习教育", title: "撰写学习心得", recurrence: HALF_YEARLY, assignees: EACH_MEMBER, points: 3 },
    { module: "服务群众", title: "到社区报到服务（双报到）", recurrence: HALF_YEARLY, assignees: EACH_MEMBER, points: 3, evidenceRequired: true },
    { module: "服务群众", title: "参加志愿服务（不少于2次）", recurrence: YEARLY, assignees: EACH_MEMBER, minCount: 2, points: 5, evidenceRequired: true },
    { module: "服务群众", title: "领办群众微心愿（不少于2次）", recurrence: YEARLY, assignees: EACH_MEMBER, minCount: 2, points: 5 },
    { module: "学习教育", title: "参加专题讲座（不少于4次）", recurrence: YEARLY, assignees: EACH_MEMBER, minCount: 4, points: 4 },
    { module: "组织生活", title: "开展谈心谈话（不少于2次）", recurrence: YEARLY, assignees: EACH_MEMBER, minCount: 2, points: 3 },
    { module: "述职评议", title: "支部书记抓党建工作述职", dueDate: "2026-01-30", assignees: EACH_SECRETARY, points: 10, reviewRequired: true },
    { module: "组织生活", title: "召开年度组织生活会", dueDate: "2026-03-31", assignees: EACH_SECRETARY, points: 10, evidenceRequired: true, reviewRequired: true },
    { module: "民主评议", title: "组织民主评议党员", dueDate: "2026-04-30", assignees: EACH_SECRETARY, points: 8 },
    { module: "宣传教育", title: "组织七一主题党日", dueDate: "2026-07-01", assignees: EACH_SECRETARY, points: 5 },
    { module: "基础工作", title: "报送年度党建工作总结", dueDate: "2026-12-15", assignees: EACH_SECRETARY, points: 5 },
    { module: "学习教育", title: "理论学习季度自测", recurrence: QUARTERLY, assignees: EACH_MEMBER, points: 2 },
    { module: "党费管理", title: "核对党费交纳基数", recurrence: QUARTERLY, assignees: EACH_MEMBER, points: 1 },
    { module: "民主评议", title: "党员年度自评", dueDate: "2026-11-30", assignees: EACH_MEMBER, points: 3 },
  ],
};

export const LEARNING: ChecklistSpec = {
  title: "2026年度理论学习清单",
  kind: "learning",
  items: [
    { module: "理论学习", title: "每月自学并记录", recurrence: MONTHLY, assignees: EACH_MEMBER, points: 2 },
    { module: "理论学习", title: "支部专题研讨", recurrence: QUARTERLY, assignees: EACH_BRANCH, points: 5, evidenceRequired: true },
    { module: "理论学习", title: "提交学习笔记", recurrence: HALF_YEARLY, assignees: EACH_MEMBER, points: 3 },
    { module: "理论学习", title: "参加集中轮训（不少于6次）", recurrence: YEARLY, assignees: EACH_MEMBER, minCount: 6, points: 6 },
  ],
};

export const SERVICE: ChecklistSpec = {
  title: "2026年度为民服务清单",
  kind: "service",
  items: [
    { module: "为民服务", title: "记录为民办实事", recurrence: MONTHLY, assignees: EACH_MEMBER, points: 2 },
    { module: "为民服务", title: "到社区报到服务", recurrence: HALF_YEARLY, assignees: EACH_MEMBER, points: 3 },
    { module: "为民服务", title: "支部开展服务活动", recurrence: MONTHLY, assignees: EACH_BRANCH, points: 5 },
    { module: "为民服务", title: "践行承诺事项（不少于2次）", recurrence: YEARLY, assignees: EACH_MEMBER, minCount: 2, points: 4 },
  ],
};

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

export type Call = (method: string, path: string, body?: unknown, token?: string) => Promise<any>;

/** Shanghai's calendar date: the app judges `overdue` by the tenant's today. */
export const todayInShanghai = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function defineChecklist(call: Call, token: string, spec: ChecklistSpec, branchId: string): Promise<{ id: string; addMs: number }> {
  const checklist = await call("POST", "/v1/checklists", { title: spec.title, kind: spec.kind, year: 2026, branchId }, token);
  const t0 = performance.now();
  for (const [i, item] of spec.items.entries()) await call("POST", `/v1/checklists/${checklist.id}/items`, { ...item, sortOrder: i }, token);
  return { id: checklist.id, addMs: performance.now() - t0 };
}

/** A plain member: active, homed in one 支部 (no second), not a secretary. */
export const plainMember = (org: SeededOrg) => {
  const m = org.members.find((x) => x.role === "member" && x.status === "active" && !x.secondBranchId);
  if (!m) throw new Error("no plain member seeded");
  return m;
};

interface Captured { sql: string; params: unknown[] }
/** Stands for the acting member's id in captured SQL params: each tenant has its own. */
const MEMBER_PLACEHOLDER = Symbol("member");
interface RouteProbe { name: string; path: string; as: "member" | "admin" }

/** What part (a) found out about a read route: its round trips and the SQL it sent. */
interface RouteTrips { tenant: number; control: number; runs: number[]; queries: Captured[] }

const ROUTES: RouteProbe[] = [
  { name: "GET /v1/tasks?limit=50", path: "/v1/tasks?limit=50", as: "member" },
  { name: "GET /v1/tasks?status=overdue&limit=50", path: "/v1/tasks?status=overdue&limit=50", as: "member" },
  { name: "GET /v1/reports/checklists?period=2026&groupBy=branch", path: "/v1/reports/checklists?period=2026&groupBy=branch", as: "admin" },
];

/**
 * Tenant databases on the local libSQL server, as httpTenantDatabases has them, plus what the bench
 * needs to see: the SQL drizzle sends (its logger) and the bytes of the requests (a counting fetch).
 */
function instrumentedTenantDatabases(baseUrl: string, authToken: string) {
  const provisioner = libsqlServerProvisioner(baseUrl, authToken);
  const handles = new Map<string, { client: Client; db: TenantDb }>();
  const state = { capture: null as Captured[] | null, countBytes: false, sentBytes: 0 };
  const countingFetch = async (request: Request) => {
    if (state.countBytes) state.sentBytes += (await request.clone().arrayBuffer()).byteLength;
    return fetch(request);
  };
  const handle = (tenantId: string, locator: string) => {
    let h = handles.get(tenantId);
    if (!h) {
      const client = createClient({ url: locator, authToken, fetch: countingFetch });
      h = { client, db: drizzle(client, { schema, logger: { logQuery: (sql, params) => void state.capture?.push({ sql, params }) } }) };
      handles.set(tenantId, h);
    }
    return h;
  };
  const dbs: TenantDatabases = {
    open: (tenantId, locator) => handle(tenantId, locator).db,
    client: (tenantId, locator) => handle(tenantId, locator).client,
    async provision(tenantId) {
      const { url } = await provisioner.create(databaseNameFor(tenantId));
      await waitUntilReady(handle(tenantId, url).client);
      return { locator: url };
    },
    async destroy(tenantId) {
      handles.get(tenantId)?.client.close();
      handles.delete(tenantId);
      await provisioner.destroy(databaseNameFor(tenantId));
    },
  };
  return { dbs, state, close: () => handles.forEach((h) => h.client.close()) };
}

// ── a. publish at scale, round trips ─────────────────────────────────────────────────────────────

async function publishAtScale(passwordHash: string, memberCount: number): Promise<{ rows: Row[]; trips: Map<string, RouteTrips> }> {
  const dir = tempDir("checklists-rt");
  const authToken = "bench-libsql-token";
  const libsql = await startLibsqlServer({ dataDir: `${dir.path}/libsql`, port: 0, authToken });
  const built = await nodePorts(parseEnv(nodeEnvSchema, benchEnv(`${dir.path}/control`)), { mailer: { send: async () => ({ messageId: "<bench@local>" }) } });
  const tenantDbs = instrumentedTenantDatabases(libsql.url, authToken);
  try {
    libsql.createDatabase("control");
    const controlClient = createClient({ url: libsql.databaseUrl("control"), authToken });
    await applyMigrations(controlClient, bundledMigrations.control);
    const app = createApp({ ...built.ports, control: drizzle(controlClient, { schema: controlSchema }), tenantDatabases: tenantDbs.dbs });
    const call: Call = async (method, path, body, token) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = res.status === 204 ? null : ((await res.json()) as any);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    };

    const slug = "bench-checklists-publish";
    const session = await call("POST", "/v1/tenants", { slug, name: "某市住房和城乡建设局", admin: { email: `admin@${slug}.example.cn`, name: "王局长", password: BENCH_PASSWORD } });
    const admin: string = session.accessToken;
    const dbName = databaseNameFor(session.tenant.id);
    const seedClient = createClient({ url: libsql.databaseUrl(dbName), authToken });
    const org = await seedOrg(seedClient, { members: memberCount, generals: 4, branchesPerGeneral: 5, passwordHash });
    const units = org.branches.filter((b) => b.kind === "branch").length;
    const member = plainMember(org);
    const memberToken: string = (await call("POST", "/v1/auth/login", { tenant: slug, email: member.email, password: SEED_PASSWORD })).accessToken;

    const { id, addMs } = await defineChecklist(call, admin, PARTY_AFFAIRS, org.rootId);
    // Adding one more item to a draft, counted: what each of the 25 POSTs above cost.
    libsql.resetCounts();
    const extra = await call("POST", `/v1/checklists/${id}/items`, { module: "基础工作", title: "计数用事项", dueDate: "2026-06-30", assignees: EACH_SECRETARY, points: 0 }, admin);
    const addTrips = libsql.requestCount(dbName);
    await call("DELETE", `/v1/checklists/${id}/items/${extra.id}`, undefined, admin);
    const preview = await call("GET", `/v1/checklists/${id}/preview?from=2026-01-01`, undefined, admin);

    libsql.resetCounts();
    tenantDbs.state.countBytes = true;
    tenantDbs.state.sentBytes = 0;
    const t0 = performance.now();
    const published = await call("POST", `/v1/checklists/${id}/publish`, { from: "2026-01-01" }, admin);
    const publishMs = performance.now() - t0;
    tenantDbs.state.countBytes = false;
    const trips = libsql.requestCount(dbName);
    const control = libsql.requestCount("control");
    const sent = tenantDbs.state.sentBytes;
    const counted = await seedClient.execute("SELECT (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM task_assignees) AS assignees");
    const stored = Number(counted.rows[0]![0]);
    const assignees = Number(counted.rows[0]![1]);
    seedClient.close();
    const created = Number(published.tasksCreated);
    log(`publish: ${fmtInt(created)} tasks (preview said ${fmtInt(preview.tasks)}, stored ${fmtInt(stored)}) in ${fmtS(publishMs)}, ${trips} tenant round trips, ${fmtMiB(sent)} sent`);
    if (stored !== created) throw new Error(`publish said ${created} tasks, the database holds ${stored}`);

    const rows: Row[] = [
      {
        part: PART,
        case: `publish 2026 checklist: ${fmtInt(memberCount)} members · ${units} 支部 · ${PARTY_AFFAIRS.items.length} items (libSQL server over HTTP)`,
        result: `${fmtS(publishMs)} · ${fmtInt(created)} tasks · ${trips} tenant round trips`,
        relative: trips > PUBLISH_ROUND_TRIPS ? `⚠ ${trips} round trips > ~${PUBLISH_ROUND_TRIPS}: a loop, not a batch` : `within ~${PUBLISH_ROUND_TRIPS} round trips (a batch, not a loop)`,
        note: [
          `${fmtInt(created / (publishMs / 1000))} tasks/s`,
          `${fmtInt(assignees)} task_assignees rows`,
          `${fmtMiB(sent)} of Hrana JSON sent to the tenant DB during the request`,
          `${control} control queries`,
          `preview agreed (${fmtInt(preview.tasks)})`,
          `items added over HTTP: ${PARTY_AFFAIRS.items.length} in ${fmtS(addMs)}, ${addTrips} tenant round trips each`,
        ].join("; "),
      },
    ];

    // Round trips of the read routes, and the SQL they send (for part c), on this tenant.
    const tripsByRoute = new Map<string, RouteTrips>();
    for (const route of ROUTES) {
      const token = route.as === "member" ? memberToken : admin;
      const runs: number[] = [];
      const controlRuns: number[] = [];
      let queries: Captured[] = [];
      for (let i = 0; i < 3; i++) {
        libsql.resetCounts();
        tenantDbs.state.capture = [];
        await call("GET", route.path, undefined, token);
        queries = tenantDbs.state.capture;
        tenantDbs.state.capture = null;
        runs.push(libsql.requestCount(dbName));
        controlRuns.push(libsql.requestCount("control"));
      }
      // Ids in the captured SQL are this tenant's; part c swaps in its own member's.
      tripsByRoute.set(route.name, { tenant: runs.at(-1)!, control: controlRuns.at(-1)!, runs, queries: queries.map((q) => ({ sql: q.sql, params: q.params.map((p) => (p === member.id ? MEMBER_PLACEHOLDER : p)) })) });
    }
    log(`round trips: ${[...tripsByRoute].map(([name, t]) => `${name}=${t.tenant}`).join(", ")}`);
    return { rows, trips: tripsByRoute };
  } finally {
    tenantDbs.close();
    built.close();
    await libsql.close();
    dir.remove();
  }
}


// ── b. reading at scale ──────────────────────────────────────────────────────────────────────────

/**
 * Leaves the year as it would be on `today`: of the tasks already due, most done (some late, some
 * after a return), some awaiting review or returned, the rest overdue; of those to come, a few done
 * early or submitted, others part-way (records counted). Deterministic: a hash of the rowid.
 */
export async function mixStates(client: FileClient, today: string) {
  const h = "((tasks.rowid * 2654435761) % 1000)";
  const at = (offset: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', tasks.due_date, ${offset}, '+2 hours')`;
  const rules = "(SELECT i.points FROM checklist_items i WHERE i.id = tasks.item_id)";
  const lateRules = "(SELECT i.late_points FROM checklist_items i WHERE i.id = tasks.item_id)";
  const penalty = "(SELECT i.return_penalty FROM checklist_items i WHERE i.id = tasks.item_id)";
  const done = (when: string, late: boolean, returns: string) =>
    `state = 'done', done_count = min_count, submitted_at = ${when}, completed_at = ${when}, completed_late = ${late ? 1 : 0}, return_count = ${returns},
     points = max(0, ${late ? lateRules : rules} - ${penalty} * ${returns}),
     points_basis = json_object('onTime', json('${late ? "false" : "true"}'), 'base', ${late ? lateRules : rules}, 'returns', ${returns}, 'penaltyEach', ${penalty}), updated_at = ${when}`;
  const past = `tasks.due_date < '${today}'`;
  const future = `tasks.due_date >= '${today}'`;
  await client.batch(
    [
      `UPDATE tasks SET ${done(at(`'-' || (${h} % 7) || ' days'`), false, `(${h} >= 740)`)} WHERE ${past} AND ${h} < 780`,
      `UPDATE tasks SET ${done(at(`'+' || (1 + ${h} % 10) || ' days'`), true, `(${h} >= 840)`)} WHERE ${past} AND ${h} >= 780 AND ${h} < 860`,
      `UPDATE tasks SET state = 'submitted', done_count = min_count, submitted_at = ${at("'-1 days'")}, updated_at = ${at("'-1 days'")} WHERE ${past} AND ${h} >= 860 AND ${h} < 890`,
      `UPDATE tasks SET state = 'returned', done_count = min_count, return_count = 1, updated_at = ${at("'+3 days'")} WHERE ${past} AND ${h} >= 890 AND ${h} < 910`,
      `UPDATE tasks SET done_count = ${h} % min_count WHERE ${past} AND ${h} >= 910`,
      `UPDATE tasks SET ${done(`strftime('%Y-%m-%dT%H:%M:%fZ', '${today}', '-' || (1 + ${h} % 20) || ' days')`, false, "0")} WHERE ${future} AND ${h} < 60`,
      `UPDATE tasks SET state = 'submitted', done_count = min_count, submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ', '${today}', '-1 days') WHERE ${future} AND ${h} >= 60 AND ${h} < 90`,
      `UPDATE tasks SET done_count = ${h} % min_count WHERE ${future} AND ${h} >= 90`,
    ],
    "write",
  );
}







/** The same query on two databases, taken in turns (other work on the machine hits both alike); the fastest of each. */
async function compareQuery(a: FileClient, b: FileClient, q: { sql: string; args: never[] }, rounds = 3): Promise<[number, number]> {
  const best = [Infinity, Infinity] as [number, number];
  for (let r = 0; r < rounds; r++) {
    for (const [i, client] of [a, b].entries()) {
      const t0 = performance.now();
      await client.execute(q);
      best[i] = Math.min(best[i]!, performance.now() - t0);
    }
  }
  return best;
}

/**
 * What EXPLAIN on the ≈100,000-task tenant says about a slow route, and the indexes one would try
 * first; they are created on a scratch copy and the query timed against the original (src/ is not
 * changed). Shown only while the route is slow.
 */
const SLOW_FINDINGS: Record<string, { finding: string; ddl: string[] }> = {
  "GET /v1/reports/checklists?period=2026&groupBy=branch": {
    finding:
      "every task of the year is read (tasks_due's range is all of 2026), then DISTINCT (task, branch) in a temp B-tree, a second lookup of each task by its text id, GROUP BY and ORDER BY in temp B-trees — no index removes that; the query's shape does (on this data: the outer join on tasks.rowid ≈1.5×, one pass without the DISTINCT when each task has one assignee row ≈2×)",
    ddl: ["CREATE INDEX bench_task_assignees_cover ON task_assignees (task_id, branch_id, member_id)", "CREATE INDEX bench_tasks_due_cover ON tasks (due_date, checklist_id, id)"],
  },
};

async function readingAtScale(settings: { seconds: number; connections: number }, passwordHash: string, memberCount: number, trips: Map<string, RouteTrips> | undefined): Promise<Row[]> {
  const { seconds, connections } = settings;
  const dir = tempDir("checklists");
  const server = await startServerChild(benchEnv(dir.path)).catch((error) => {
    dir.remove();
    throw error;
  });
  let file: FileClient | undefined;
  try {
    const http: Call = async (method, path, body, token) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${server.appUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = res.status === 204 ? null : ((await res.json()) as any);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    };
    const slug = "bench-checklists-bureau";
    const signup = await signUpOverHttp(server.appUrl, slug);
    const admin = signup.accessToken;
    const dbFile = join(dir.path, "tenants", `${signup.tenant.id}.db`);
    file = createFileClient({ url: `file:${dbFile}` });
    const org = await seedOrg(file, { members: memberCount, generals: Math.max(1, Math.round(memberCount / 250)), branchesPerGeneral: 5, passwordHash, seed: 100_000 });
    const units = org.branches.filter((b) => b.kind === "branch").length;

    // Three checklists published through the API: what a bureau's year holds.
    let publishMs = 0;
    let created = 0;
    const perChecklist: string[] = [];
    for (const spec of [PARTY_AFFAIRS, LEARNING, SERVICE]) {
      const { id } = await defineChecklist(http, admin, spec, org.rootId);
      const t0 = performance.now();
      const published = await http("POST", `/v1/checklists/${id}/publish`, { from: "2026-01-01" }, admin);
      const ms = performance.now() - t0;
      publishMs += ms;
      created += Number(published.tasksCreated);
      perChecklist.push(`${spec.kind} ${spec.items.length} items → ${fmtInt(published.tasksCreated)} tasks in ${fmtS(ms)}`);
    }
    const today = todayInShanghai();
    const t0 = performance.now();
    await mixStates(file, today);
    log(`published ${fmtInt(created)} tasks for ${fmtInt(memberCount)} members in ${fmtS(publishMs)}; states mixed as of ${today} in ${fmtS(performance.now() - t0)}`);

    const member = plainMember(org);
    const memberToken: string = (await http("POST", "/v1/auth/login", { tenant: slug, email: member.email, password: SEED_PASSWORD })).accessToken;
    const census = await file.execute({
      sql: `SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM task_assignees),
        (SELECT count(*) FROM tasks WHERE id IN (SELECT task_id FROM task_assignees WHERE member_id = ?1 OR branch_id = ?2)),
        (SELECT count(*) FROM tasks WHERE state IN ('open','returned') AND due_date < ?3 AND id IN (SELECT task_id FROM task_assignees WHERE member_id = ?1 OR branch_id = ?2)),
        (SELECT count(*) FROM tasks WHERE state IN ('open','returned') AND due_date < ?3)`,
      args: [member.id, member.branchId, today],
    });
    const [totalTasks, totalAssignees, memberTasks, memberOverdue, allOverdue] = Array.from(census.rows[0]! as unknown as ArrayLike<unknown>, Number) as [number, number, number, number, number];

    // The answers are what they should be before anything is timed.
    const page = await http("GET", "/v1/tasks?limit=50", undefined, memberToken);
    if (page.data.length !== Math.min(50, memberTasks) || (memberTasks > 50 && !page.nextCursor)) throw new Error(`GET /v1/tasks answered ${page.data.length} rows, expected ${Math.min(50, memberTasks)} of ${memberTasks}`);
    const overdue = await http("GET", "/v1/tasks?status=overdue&limit=50", undefined, memberToken);
    if (overdue.data.length !== Math.min(50, memberOverdue)) throw new Error(`GET /v1/tasks?status=overdue answered ${overdue.data.length} rows, the member has ${memberOverdue} overdue`);
    const ledger = await http("GET", "/v1/reports/checklists?period=2026&groupBy=branch", undefined, admin);
    if (ledger.data.length < units) throw new Error(`the branch ledger has ${ledger.data.length} rows for ${units} 支部`);

    const tasksLabel = `${fmtInt(totalTasks)} tasks`;
    const rows: Row[] = [
      {
        part: PART,
        case: `publish 3 checklists: ${fmtInt(memberCount)} members · ${units} 支部 (server child, file DB)`,
        result: `${fmtS(publishMs)} · ${fmtInt(created)} tasks`,
        relative: `${fmtInt(created / (publishMs / 1000))} tasks/s`,
        note: `${perChecklist.join("; ")}; then states mixed by SQL as of ${today}: ${fmtInt(allOverdue)} overdue, ${fmtInt(totalAssignees)} task_assignees rows`,
      },
    ];

    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const cases = [
      { name: "bare Hono route (this child)", url: `${server.bareUrl}/bare`, headers: {} as Record<string, string> },
      { name: ROUTES[0]!.name, label: `${ROUTES[0]!.name} (member: ${fmtInt(memberTasks)} of ${tasksLabel})`, url: `${server.appUrl}${ROUTES[0]!.path}`, headers: auth(memberToken) },
      { name: ROUTES[1]!.name, label: `${ROUTES[1]!.name} (member: ${fmtInt(memberOverdue)} overdue)`, url: `${server.appUrl}${ROUTES[1]!.path}`, headers: auth(memberToken) },
      // A report, not a hot path, and slow enough that 10 connections would only queue: one at a time.
      { name: ROUTES[2]!.name, label: `${ROUTES[2]!.name} (admin: ${ledger.data.length} rows over ${tasksLabel}; 1 connection)`, url: `${server.appUrl}${ROUTES[2]!.path}`, headers: auth(admin), connections: 1 },
    ];
    const warmup = Math.max(1, Math.min(3, Math.round(seconds / 5)));
    const figures: LoadFigures[] = [];
    const quiet: ({ p50: number; n: number } | undefined)[] = [];
    for (const c of cases) {
      quiet.push(c.url.endsWith("/bare") ? undefined : await unloaded(c.url, c.headers));
      const n = c.connections ?? connections;
      log(`load: ${c.name} (${warmup} s warm-up, ${seconds} s measured, ${n} connection${n === 1 ? "" : "s"})`);
      await load(c.url, warmup, n, c.headers);
      figures.push(await load(c.url, seconds, n, c.headers));
    }

    // c. The SQL each route sent in part a, EXPLAINed and timed on this tenant's file.
    const plans = new Map<string, { plan: Plan; alone: { p50: number; rows: number } }>();
    const appendix: string[] = [];
    for (const route of ROUTES) {
      const queries = trips?.get(route.name)?.queries ?? [];
      for (const [qi, captured] of queries.entries()) {
        const q = { sql: captured.sql, args: captured.params.map((p) => (p === MEMBER_PLACEHOLDER ? member.id : p ?? null)) as never[] };
        const plan = await explain(file, q);
        const alone = await timeQuery(file, q);
        const key = queries.length > 1 ? `${route.name} #${qi + 1}` : route.name;
        plans.set(key, { plan, alone });
        appendix.push(`### ${key}\n\nSQLite alone (bench process, file DB): p50 ${fmtMs(alone.p50)}, ${alone.rows} rows\n\n\`\`\`sql\n${captured.sql}\n\`\`\`\n\n\`\`\`\n${plan.lines.join("\n")}\n\`\`\`\n`);
      }
    }

    const bare = figures[0]!;
    cases.forEach((c, i) => {
      const f = figures[i]!;
      const n = c.connections ?? connections;
      const faults = f.errors + f.non2xx;
      const notes: string[] = [];
      let relative = i === 0 ? "1.00× (baseline)" : n === connections ? `${(f.reqPerSec / bare.reqPerSec).toFixed(2)}× req/s · ${(f.p50 / bare.p50).toFixed(1)}× p50` : `${fmtInt(f.p50 / bare.p50)}× bare p50 (1 connection here)`;
      if (i > 0) {
        const t = trips?.get(c.name);
        relative += t ? ` · ${t.tenant} tenant round trip${t.tenant === 1 ? "" : "s"} ${t.tenant > ROUND_TRIP_BUDGET ? `⚠ over budget (${ROUND_TRIP_BUDGET})` : `(budget ${ROUND_TRIP_BUDGET})`}${t.control ? ` · ⚠ ${t.control} control` : ""}` : " · round trips not measured (part a failed)";
        const q = quiet[i]!;
        const slow = q.p50 > SLOW_MS;
        notes.push(`unloaded p50 ${fmtMs(q.p50)} (${q.n} sequential)${slow ? ` ⚠ > ${SLOW_MS} ms` : ""}`);
        for (const [key, p] of plans) {
          if (key !== c.name && !key.startsWith(`${c.name} #`)) continue;
          notes.push(`SQLite alone ${fmtMs(p.alone.p50)}`, `plan: ${planSummary(p.plan)}`);
        }
        if (slow && SLOW_FINDINGS[c.name]) notes.push(SLOW_FINDINGS[c.name]!.finding);
      }
      notes.push(`${fmtInt(f.requests)} requests in ${seconds} s${faults ? ` · ${fmtInt(f.errors)} errors, ${fmtInt(f.non2xx)} non-2xx` : ""}`);
      rows.push({ part: PART, case: c.label ?? c.name, result: `${fmtInt(f.reqPerSec)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)}`, relative, note: notes.join("; ") });
    });

    // A member's list while an admin pulls the year's ledger: file DB calls are synchronous in Node.
    {
      const [list, report] = [cases[1]!, cases[3]!];
      log(`load: ${list.name} with ${report.name} alongside (${seconds} s)`);
      const [f, r] = await Promise.all([load(list.url, seconds, connections, list.headers), load(report.url, seconds, 1, report.headers)]);
      const alone = figures[1]!;
      rows.push({
        part: PART,
        case: `${list.name} while the ledger runs alongside (1 connection)`,
        result: `${fmtInt(f.reqPerSec)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)}`,
        relative: `${(f.reqPerSec / alone.reqPerSec).toFixed(2)}× req/s · ${(f.p99 / alone.p99).toFixed(1)}× p99 of the list alone`,
        note: `${fmtInt(r.requests)} ledgers (p50 ${fmtMs(r.p50)}) and ${fmtInt(f.requests)} lists in ${seconds} s; @libsql/client's file driver runs each statement synchronously, so a long query holds the server's event loop for every tenant it serves`,
      });
    }

    // For a slow route, the indexes one would try first: created on a scratch copy, the query timed against the original.
    const slowRoutes = cases.slice(1).filter((c, i) => quiet[i + 1]!.p50 > SLOW_MS && SLOW_FINDINGS[c.name] && trips?.get(c.name)?.queries.length);
    if (slowRoutes.length) {
      const scratchPath = join(dir.path, "scratch.db");
      await copyDatabase(dbFile, scratchPath);
      const scratch = createFileClient({ url: `file:${scratchPath}` });
      try {
        for (const c of slowRoutes) for (const ddl of SLOW_FINDINGS[c.name]!.ddl) await scratch.execute(ddl);
        for (const c of slowRoutes) {
          const { ddl } = SLOW_FINDINGS[c.name]!;
          for (const [qi, captured] of trips!.get(c.name)!.queries.entries()) {
            const q = { sql: captured.sql, args: captured.params.map((x) => (x === MEMBER_PLACEHOLDER ? member.id : x ?? null)) as never[] };
            const plan = await explain(scratch, q);
            const [before, after] = await compareQuery(file, scratch, q);
            const key = trips!.get(c.name)!.queries.length > 1 ? `${c.name} #${qi + 1}` : c.name;
            const indexes = ddl.map((d) => d.replace(/^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?\S+ ON /, "")).join(" + ");
            rows.push({
              part: PART,
              case: `what-if on a scratch copy: ${indexes}`,
              result: `${key}: SQLite alone ${fmtMs(before)} → ${fmtMs(after)} (fastest of 3, in turns)`,
              relative: `${(before / after).toFixed(2)}×`,
              note: `plan with them: ${planSummary(plan)}; src/ unchanged`,
            });
            appendix.push(`### what-if for ${key}\n\n${ddl.join(";\n")}\n\nSQLite alone: ${fmtMs(before)} → ${fmtMs(after)}\n\n\`\`\`\n${plan.lines.join("\n")}\n\`\`\`\n`);
          }
        }
      } finally {
        scratch.close();
      }
    }
    if (process.env.BENCH_KEEP_DB) {
      await copyDatabase(dbFile, process.env.BENCH_KEEP_DB);
      log(`kept the ≈${fmtInt(totalTasks)}-task tenant database at ${process.env.BENCH_KEEP_DB} (member ${member.id}, today ${today})`);
    }
    if (appendix.length) addAppendix(`## ${PART}: query plans (≈${fmtInt(totalTasks)} tasks, ${fmtInt(memberCount)} members)\n\nThe SQL each route sent (captured with drizzle's logger in the publish tenant; the member id swapped for this tenant's), EXPLAIN QUERY PLAN and timed on the reading tenant's file.\n\n${appendix.join("\n")}`);
    return rows;
  } finally {
    file?.close();
    await server.close();
    dir.remove();
  }
}

// ── the part ─────────────────────────────────────────────────────────────────────────────────────

export async function checklistsBench(settings: { seconds: number; connections: number; publishMembers: number; taskMembers: number }): Promise<Row[]> {
  const passwordHash = await hashPassword(SEED_PASSWORD);
  const rows: Row[] = [];
  let trips: Map<string, RouteTrips> | undefined;
  const t0 = performance.now();
  try {
    const a = await publishAtScale(passwordHash, settings.publishMembers);
    rows.push(...a.rows);
    trips = a.trips;
  } catch (error) {
    log(`${PART} publish failed: ${error instanceof Error ? error.stack : String(error)}`);
    rows.push(failedRow(`${PART} (publish)`, error));
  }
  log(`${PART} publish: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    rows.push(...(await readingAtScale(settings, passwordHash, settings.taskMembers, trips)));
  } catch (error) {
    log(`${PART} reading failed: ${error instanceof Error ? error.stack : String(error)}`);
    rows.push(failedRow(`${PART} (reading)`, error));
  }
  return rows;
}
