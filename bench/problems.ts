// Part 8: road-chief problems at scale (issue 5's bench line: "listing a road chief's open problems
// across 200 projects with 50,000 problems in the tenant").
//  a. A bureau signed up over HTTP in a server child of its own (file DBs, as part 1), then seeded by
//     SQL (bench/problem-fixtures.ts): 1,500 members, 200 projects under 8 road chiefs — the first with
//     30% of the projects —, ≈2,000 service logs, 50,000 problems with their whole histories.
//  b. Round trips: the seeded file copied (VACUUM INTO) into tools/libsql-server, the app in-process
//     over HTTP to it (as the Worker has it), each route called 3 times; the server's counters give
//     the tenant and control requests, and a wrapper around the app's libSQL client the SQL it sends.
//  c. autocannon against the server child beside its bare Hono route: the road chief's unresolved
//     problems, the project list with its open/overdue counts (road chief and admin), the year's
//     timeliness report (admin, 1 connection; the road chief's unloaded only). "unloaded" = sequential
//     requests, one at a time.
//  d. The SQL of each route EXPLAINed and timed on the tenant's file; a slow one (> 50 ms unloaded)
//     gets what the plan says, and the index or rewrite one would try is timed on a scratch copy.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createClient as createFileClient, type Client as FileClient } from "@libsql/client";
import { type Client, createClient, type InStatement } from "@libsql/client/web";
import { eq } from "drizzle-orm";
import { drizzle as drizzleFile } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
import { createApp } from "../src/app.js";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import * as controlSchema from "../src/db/control/schema.js";
import { applyMigrations } from "../src/db/migrate.js";
import { bundledMigrations } from "../src/db/migrations.generated.js";
import { schema, type TenantDb } from "../src/db/tenant/index.js";
import { hashPassword } from "../src/platform/crypto.js";
import { databaseNameFor, libsqlServerProvisioner } from "../src/platform/http-tenant-databases.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import type { TenantDatabases } from "../src/platform/ports.js";
import { startLibsqlServer } from "../tools/libsql-server/server.js";
import { seedOrg, signUpOverHttp } from "./fixtures.js";
import { load, type LoadFigures } from "./http-load.js";
import { checkClockReplica, seedProblems } from "./problem-fixtures.js";
import { ROUND_TRIP_BUDGET } from "./round-trips.js";
import { copyDatabase, explain, type Plan, planSummary, timeQuery, unloaded } from "./sql-tools.js";
import { startServerChild } from "./server.js";
import { addAppendix, benchEnv, fmtInt, fmtMs, log, percentile, type Row, tempDir } from "./support.js";

const PART = "8 problems";
const SEED_PASSWORD = "Seeded-Member-2026";
/** Unloaded p50 above which a route's SQL is EXPLAINed and a fix looked for. */
const SLOW_MS = 50;
const UNRESOLVED = ["open", "transferred", "acknowledged", "in_progress", "returned"];

type Who = "chief" | "admin";
interface Route { key: string; path: string; as: Who; connections?: number; autocannon: boolean }

const ISSUES = "/v1/issues?role=road_chief&status=unresolved&limit=50";
const PROJECTS = "/v1/projects?limit=50";
const REPORT = "/v1/reports/projects?period=2026&by=project";
const ROUTES: Route[] = [
  { key: `GET ${ISSUES} (road chief)`, path: ISSUES, as: "chief", autocannon: true },
  { key: `GET ${PROJECTS} (road chief)`, path: PROJECTS, as: "chief", autocannon: true },
  { key: `GET ${PROJECTS} (admin)`, path: PROJECTS, as: "admin", autocannon: true },
  // A report, not a hot path: one at a time, as part 7 does for its ledger.
  { key: `GET ${REPORT} (admin)`, path: REPORT, as: "admin", connections: 1, autocannon: true },
  { key: `GET ${REPORT} (road chief)`, path: REPORT, as: "chief", connections: 1, autocannon: false },
];

/**
 * What EXPLAIN says about a slow route and what one would try, found by reading the plans in the
 * appendix: indexes (created on a scratch copy; src/ unchanged), a rewritten statement (timed beside
 * the original on the same file), or a statement the route need not send. `queries` are 1-based
 * positions in the route's batch. Shown only while the route is slow.
 */
interface WhatIf { queries: number[]; label: string; ddl?: string[]; rewrite?: (sql: string) => string; drop?: boolean }
const UNRESOLVED_SQL = "('open','transferred','acknowledged','in_progress','returned')";
const REPORT_FINDINGS: { finding: string; whatIfs: WhatIf[] } = {
  finding:
    "9 statements in one batch (round trip 1), each grouped statement run again for the totals; " +
    "#5/#9 (open/overdue now) read every problem of every visible project to sum two flags that are 0 unless unresolved; " +
    "#3/#7 (cohort) and #4/#8 (percentiles) find the year's problems by issues_raised, then look each row up in the table; " +
    "#4/#8 are two window sorts over every resolved problem of the year — no index removes those",
  whatIfs: [
    { queries: [5, 9], label: `open/overdue now restricted to unresolved problems (AND i.status IN ${UNRESOLVED_SQL}: same sums)`, rewrite: (sql) => sql.replace(/\s*GROUP BY k\s*$/, `\n      AND i.status IN ${UNRESOLVED_SQL}\n      GROUP BY k`) },
    {
      queries: [3, 4, 7, 8],
      label: "covering indexes for the year's cohort: by raised_at first for every project (admin), by project first for a road chief's",
      ddl: [
        "CREATE INDEX bench_issues_cohort ON issues (raised_at, project_id, acknowledged_at, ack_due_at, resolved_at, resolve_due_at)",
        "CREATE INDEX bench_issues_project_cohort ON issues (project_id, raised_at, acknowledged_at, ack_due_at, resolved_at, resolve_due_at)",
      ],
    },
    { queries: [7, 9], label: "cohort and now totals summed from the grouped rows in JS (by=project and by=road_chief put each problem in one group; by=unit does not)", drop: true },
  ],
};
const SLOW_FINDINGS: Record<string, { finding: string; whatIfs: WhatIf[] }> = {
  [`GET ${REPORT} (admin)`]: REPORT_FINDINGS,
  [`GET ${REPORT} (road chief)`]: REPORT_FINDINGS,
};

interface Captured { sql: string; params: unknown[] }
interface RouteTrips { tenant: number; control: number; runs: number[]; queries: Captured[]; overHttp: { p50: number; n: number } }

const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A ratio to the bare route: two decimals, or two significant digits when that would print 0.00. */
const fmtRatio = (x: number) => (x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));


// ── b. round trips on a copy served by tools/libsql-server ───────────────────────────────────────

/**
 * httpTenantDatabases whose clients keep the statements they are given (drizzle's logger does not see
 * the statements of db.batch, which most of these routes use), so the SQL a route sends can be read back.
 */
function capturingTenantDatabases(baseUrl: string, authToken: string) {
  const provisioner = libsqlServerProvisioner(baseUrl, authToken);
  const handles = new Map<string, { client: Client; db: TenantDb }>();
  const state = { capture: null as Captured[] | null };
  const keep = (stmt: InStatement) => void state.capture?.push(typeof stmt === "string" ? { sql: stmt, params: [] } : { sql: stmt.sql, params: Array.isArray(stmt.args) ? stmt.args : [] });
  const handle = (tenantId: string, locator: string) => {
    let h = handles.get(tenantId);
    if (!h) {
      const inner = createClient({ url: locator, authToken });
      const client = new Proxy(inner, {
        get(target, prop, receiver) {
          if (prop === "execute") return (stmt: InStatement, ...rest: unknown[]) => (keep(stmt), (target.execute as (...a: unknown[]) => unknown)(stmt, ...rest));
          if (prop === "batch") return (stmts: InStatement[], ...rest: unknown[]) => (stmts.forEach(keep), (target.batch as (...a: unknown[]) => unknown)(stmts, ...rest));
          const value = Reflect.get(target, prop, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      h = { client, db: drizzle(client, { schema }) };
      handles.set(tenantId, h);
    }
    return h;
  };
  const dbs: TenantDatabases = {
    open: (tenantId, locator) => handle(tenantId, locator).db,
    client: (tenantId, locator) => handle(tenantId, locator).client,
    provision: async (tenantId) => ({ locator: (await provisioner.create(databaseNameFor(tenantId))).url }),
    destroy: async (tenantId) => provisioner.destroy(databaseNameFor(tenantId)),
  };
  return { dbs, state, close: () => handles.forEach((h) => h.client.close()) };
}

async function roundTrips(dir: string, dbFile: string, controlFile: string, tenantId: string, tokens: Record<Who, string>): Promise<Map<string, RouteTrips>> {
  const authToken = "bench-libsql-token";
  const name = databaseNameFor(tenantId);
  mkdirSync(join(dir, "libsql"), { recursive: true });
  await copyDatabase(dbFile, join(dir, "libsql", `${name}.db`));
  const libsql = await startLibsqlServer({ dataDir: join(dir, "libsql"), port: 0, authToken });
  const built = await nodePorts(parseEnv(nodeEnvSchema, benchEnv(join(dir, "rt"))), { mailer: { send: async () => ({ messageId: "<bench@local>" }) } });
  const tenantDbs = capturingTenantDatabases(libsql.url, authToken);
  const controlClient = createClient({ url: libsql.databaseUrl("control"), authToken });
  try {
    // The tenant's registry row, as signup left it in the child's control DB, pointing at the copy.
    const childControl = createFileClient({ url: `file:${controlFile}` });
    const [row] = await drizzleFile(childControl, { schema: controlSchema }).select().from(controlSchema.tenants).where(eq(controlSchema.tenants.id, tenantId));
    childControl.close();
    if (!row) throw new Error(`tenant ${tenantId} is not in the server child's control DB`);
    libsql.createDatabase("control");
    await applyMigrations(controlClient, bundledMigrations.control);
    const control = drizzle(controlClient, { schema: controlSchema });
    await control.insert(controlSchema.tenants).values({ ...row, dbLocator: libsql.databaseUrl(name) });
    const app = createApp({ ...built.ports, control, tenantDatabases: tenantDbs.dbs });
    const get = async (path: string, token: string) => {
      const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${path} over libSQL: ${res.status}`);
    };

    const out = new Map<string, RouteTrips>();
    for (const route of ROUTES) {
      const token = tokens[route.as];
      const runs: number[] = [];
      const controlRuns: number[] = [];
      let queries: Captured[] = [];
      for (let i = 0; i < 3; i++) {
        libsql.resetCounts();
        tenantDbs.state.capture = [];
        await get(route.path, token);
        queries = tenantDbs.state.capture;
        tenantDbs.state.capture = null;
        runs.push(libsql.requestCount(name));
        controlRuns.push(libsql.requestCount("control"));
      }
      // Latency with the tenant DB over HTTP (libSQL server in this same process): the Worker's shape.
      const times: number[] = [];
      const started = performance.now();
      while (times.length < 20 && (times.length < 3 || performance.now() - started < 1_500)) {
        const t0 = performance.now();
        await get(route.path, token);
        times.push(performance.now() - t0);
      }
      out.set(route.key, { tenant: runs.at(-1)!, control: controlRuns.at(-1)!, runs, queries, overHttp: { p50: percentile(times, 50), n: times.length } });
    }
    log(`round trips: ${[...out].map(([k, t]) => `${k}=${t.tenant}`).join(", ")}`);
    return out;
  } finally {
    controlClient.close();
    tenantDbs.close();
    built.close();
    await libsql.close();
    rmSync(join(dir, "libsql"), { recursive: true, force: true });
  }
}

// ── d. plans ─────────────────────────────────────────────────────────────────────────────────────





/** A report statement's answer as figures per group, groups whose figures are all 0 left out (the service reads a missing group as zeros). */
function figuresOf(rows: ArrayLike<Record<string, unknown>>): string {
  const kept = Array.from(rows, (r) => Object.values(r).map((v) => (typeof v === "bigint" ? Number(v) : v))).filter((values) => values.slice(1).some((v) => v !== 0 && v !== null));
  return JSON.stringify(kept.sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
}

/** Two statements (or one on two files) taken in turns, fastest of each: other work on the machine hits both alike. */
async function compare(a: () => Promise<unknown>, b: () => Promise<unknown>, rounds = 3): Promise<[number, number]> {
  const best = [Infinity, Infinity] as [number, number];
  for (let r = 0; r < rounds; r++) {
    for (const [i, run] of [a, b].entries()) {
      const t0 = performance.now();
      await run();
      best[i] = Math.min(best[i]!, performance.now() - t0);
    }
  }
  return best;
}

// ── c. load ──────────────────────────────────────────────────────────────────────────────────────


// ── the part ─────────────────────────────────────────────────────────────────────────────────────

export async function problemsBench(settings: { seconds: number; connections: number; problems: number; projects: number }): Promise<Row[]> {
  const { seconds, connections } = settings;
  const dir = tempDir("problems");
  const server = await startServerChild(benchEnv(dir.path)).catch((error) => {
    dir.remove();
    throw error;
  });
  let file: FileClient | undefined;
  try {
    const get = async (path: string, token: string) => {
      const res = await fetch(`${server.appUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const json = (await res.json()) as any;
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    };
    const slug = "bench-problems-bureau";
    const signup = await signUpOverHttp(server.appUrl, slug);
    const dbFile = join(dir.path, "tenants", `${signup.tenant.id}.db`);
    file = createFileClient({ url: `file:${dbFile}` });

    // a. The bureau and its ledger.
    checkClockReplica();
    const t0 = performance.now();
    const org = await seedOrg(file, { members: 1_500, generals: 4, branchesPerGeneral: 5, passwordHash: await hashPassword(SEED_PASSWORD), seed: 55_000 });
    const seeded = await seedProblems(file, org, { projects: settings.projects, problems: settings.problems, adminId: signup.member.id });
    const seedMs = performance.now() - t0;
    const c = seeded.counts;
    log(`seeded ${fmtInt(c.projects)} projects, ${fmtInt(c.logs)} logs, ${fmtInt(c.issues)} problems (${fmtInt(c.unresolved)} unresolved), ${fmtInt(c.events)} events in ${fmtS(seedMs)}`);

    // The file driver ran synchronously all that while: let the event loop see the keep-alive socket
    // the child closed meanwhile, or the next fetch reuses it and fails with "other side closed".
    await new Promise((resolve) => setTimeout(resolve, 100));

    const chief = seeded.chiefs[0]!;
    const login = await fetch(`${server.appUrl}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tenant: slug, email: chief.email, password: SEED_PASSWORD }) });
    if (login.status !== 200) throw new Error(`road chief login: ${login.status}`);
    const tokens: Record<Who, string> = { chief: ((await login.json()) as { accessToken: string }).accessToken, admin: signup.accessToken };

    // The answers are what they should be before anything is timed.
    const now = new Date().toISOString();
    const census = await file.execute({
      sql: `SELECT
        (SELECT count(*) FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.road_chief_id = ?1),
        (SELECT count(*) FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.road_chief_id = ?1 AND i.status IN ('open','transferred','acknowledged','in_progress','returned')),
        (SELECT count(*) FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.road_chief_id = ?1 AND ((i.status IN ('open','transferred','acknowledged','in_progress','returned') AND i.resolve_due_at < ?2) OR (i.status IN ('open','transferred') AND i.ack_due_at < ?2))),
        (SELECT count(*) FROM issues WHERE raised_at >= '2025-12-31T16:00:00.000Z'),
        (SELECT count(*) FROM issues WHERE (status IN ('open','transferred','acknowledged','in_progress','returned') AND resolve_due_at < ?2) OR (status IN ('open','transferred') AND ack_due_at < ?2))`,
      args: [chief.id, now],
    });
    const [chiefIssues, chiefOpen, chiefOverdue, raised2026, overdueAll] = Array.from(census.rows[0]! as unknown as ArrayLike<unknown>, Number) as [number, number, number, number, number];
    const list = await get(ISSUES, tokens.chief);
    if (list.data.length !== Math.min(50, chiefOpen) || (chiefOpen > 50 && !list.nextCursor)) throw new Error(`the road chief's unresolved page has ${list.data.length} rows of ${chiefOpen}`);
    if (list.data.some((i: any) => !UNRESOLVED.includes(i.status) || i.roadChiefId !== chief.id)) throw new Error("the road chief's unresolved page holds a problem that is resolved or not theirs");
    const chiefProjects = await get(PROJECTS, tokens.chief);
    if (chiefProjects.data.length !== Math.min(50, chief.projects) || chiefProjects.data.some((p: any) => !p.mine)) throw new Error(`the road chief's project page has ${chiefProjects.data.length} rows (${chief.projects} projects)`);
    const adminProjects = await get(PROJECTS, tokens.admin);
    if (adminProjects.data.length !== 50 || !adminProjects.nextCursor) throw new Error(`the admin's project page has ${adminProjects.data.length} rows`);
    const probe = adminProjects.data[0];
    const own = await file.execute({ sql: "SELECT count(*) FROM issues WHERE project_id = ? AND status IN ('open','transferred','acknowledged','in_progress','returned')", args: [probe.id] });
    if (probe.openIssueCount !== Number(own.rows[0]![0])) throw new Error(`project ${probe.id} says ${probe.openIssueCount} open, the table ${own.rows[0]![0]}`);
    const report = await get(REPORT, tokens.admin);
    // overdueNow is judged at the request's instant, the table's count at the bench's: a deadline may pass in between.
    if (report.rows.length !== c.projects || report.totals.raised !== raised2026 || Math.abs(report.totals.overdueNow - overdueAll) > 3) {
      throw new Error(`the admin's report: ${report.rows.length} rows, raised ${report.totals.raised} (table ${raised2026}), overdue ${report.totals.overdueNow} (table ${overdueAll})`);
    }
    const chiefReport = await get(REPORT, tokens.chief);
    if (chiefReport.rows.length !== chief.projects) throw new Error(`the road chief's report has ${chiefReport.rows.length} rows for ${chief.projects} projects`);

    const rows: Row[] = [
      {
        part: PART,
        case: `seed: ${fmtInt(c.projects)} projects · ${fmtInt(c.issues)} problems (signup over HTTP, then SQL batches)`,
        result: `${fmtS(seedMs)} · ${fmtInt(c.issues / (seedMs / 1000))} problems/s`,
        relative: "–",
        note: `1,500 members in 20 支部; ${seeded.chiefs.length} road chiefs (the benched one: ${chief.projects} projects, ${fmtInt(chiefIssues)} problems, ${fmtInt(chiefOpen)} unresolved, ${fmtInt(chiefOverdue)} overdue); ${fmtInt(c.unresolved)} unresolved in the tenant; ${fmtInt(c.events)} issue_events, ${fmtInt(c.followers)} followers, ${fmtInt(c.units)} unit rows, ${fmtInt(c.comments)} comments, ${fmtInt(c.logs)} service logs; histories generated step by step on the categories' clocks (China's working days)`,
      },
    ];

    // b. Round trips on a copy served over HTTP.
    let trips: Map<string, RouteTrips> | undefined;
    let lap = performance.now();
    const stage = (what: string) => {
      log(`${what}: ${fmtS(performance.now() - lap)}`);
      lap = performance.now();
    };
    try {
      trips = await roundTrips(dir.path, dbFile, join(dir.path, "control.db"), signup.tenant.id, tokens);
    } catch (error) {
      log(`${PART} round trips failed: ${error instanceof Error ? error.stack : String(error)}`);
    }

    stage("round trips over libSQL");

    // c. Load against the server child.
    const auth = (who: Who) => ({ authorization: `Bearer ${tokens[who]}` });
    const labels: Record<string, string> = {
      [ROUTES[0]!.key]: `${ROUTES[0]!.key}: ${fmtInt(chiefOpen)} unresolved over ${chief.projects} projects`,
      [ROUTES[1]!.key]: `${ROUTES[1]!.key}: ${chief.projects} projects, counts per project`,
      [ROUTES[2]!.key]: `${ROUTES[2]!.key}: ${c.projects} projects, counts per project`,
      [ROUTES[3]!.key]: `${ROUTES[3]!.key}: ${c.projects} rows over ${fmtInt(c.issues)} problems; 1 connection`,
      [ROUTES[4]!.key]: `${ROUTES[4]!.key}: ${chief.projects} rows; unloaded only`,
    };
    const warmup = Math.max(1, Math.min(3, Math.round(seconds / 5)));
    log(`load: bare Hono route (${warmup} s warm-up, ${seconds} s measured, ${connections} connections)`);
    await load(`${server.bareUrl}/bare`, warmup, connections);
    const bare = await load(`${server.bareUrl}/bare`, seconds, connections);
    rows.push({ part: PART, case: "bare Hono route (this child)", result: `${fmtInt(bare.reqPerSec)} req/s · p50 ${fmtMs(bare.p50)} · p99 ${fmtMs(bare.p99)}`, relative: "1.00× (baseline)", note: `${fmtInt(bare.requests)} requests in ${seconds} s` });

    const quiet = new Map<string, { p50: number; n: number }>();
    const figures = new Map<string, LoadFigures>();
    for (const route of ROUTES) {
      const url = `${server.appUrl}${route.path}`;
      // A moment for the previous run's last requests to finish in the child.
      await new Promise((resolve) => setTimeout(resolve, 500));
      quiet.set(route.key, await unloaded(url, auth(route.as)));
      if (!route.autocannon) continue;
      const n = route.connections ?? connections;
      log(`load: ${route.key} (${warmup} s warm-up, ${seconds} s measured, ${n} connection${n === 1 ? "" : "s"})`);
      await load(url, warmup, n, auth(route.as));
      figures.set(route.key, await load(url, seconds, n, auth(route.as)));
    }

    stage("load");

    // d. Plans and SQLite alone, on the tenant's file.
    const appendix: string[] = [];
    const plans = new Map<string, { plan: Plan; alone: { p50: number; rows: number } }[]>();
    for (const route of ROUTES) {
      const queries = trips?.get(route.key)?.queries ?? [];
      const entries: { plan: Plan; alone: { p50: number; rows: number } }[] = [];
      for (const [qi, captured] of queries.entries()) {
        const q = { sql: captured.sql, args: captured.params.map((p) => p ?? null) as never[] };
        const plan = await explain(file, q);
        const alone = await timeQuery(file, q);
        entries.push({ plan, alone });
        appendix.push(`### ${route.key}${queries.length > 1 ? ` — statement ${qi + 1} of ${queries.length}` : ""}\n\nSQLite alone (bench process, file DB): p50 ${fmtMs(alone.p50)}, ${alone.rows} rows\n\n\`\`\`sql\n${captured.sql}\n\`\`\`\n\n\`\`\`\n${plan.lines.join("\n")}\n\`\`\`\n`);
      }
      plans.set(route.key, entries);
    }

    for (const route of ROUTES) {
      const q = quiet.get(route.key)!;
      const f = figures.get(route.key);
      const t = trips?.get(route.key);
      const n = route.connections ?? connections;
      const slow = q.p50 > SLOW_MS;
      const notes: string[] = [`unloaded p50 ${fmtMs(q.p50)} (${q.n} sequential)${slow ? ` ⚠ > ${SLOW_MS} ms` : ""}`];
      if (t) notes.push(`over libSQL HTTP (in-process app + local libsql-server) p50 ${fmtMs(t.overHttp.p50)}`);
      const entries = plans.get(route.key) ?? [];
      const heaviest = entries.map((e, i) => ({ ...e, i })).sort((a, b) => b.alone.p50 - a.alone.p50);
      if (heaviest.length) {
        const sum = entries.reduce((s, e) => s + e.alone.p50, 0);
        notes.push(`SQLite alone ${fmtMs(sum)} for ${entries.length} statement${entries.length === 1 ? "" : "s"}${entries.length > 1 ? ` (heaviest #${heaviest[0]!.i + 1}: ${fmtMs(heaviest[0]!.alone.p50)}: ${planSummary(heaviest[0]!.plan)})` : `: ${planSummary(heaviest[0]!.plan)}`}`);
      }
      if (slow && SLOW_FINDINGS[route.key]) notes.push(SLOW_FINDINGS[route.key]!.finding);
      if (f) notes.push(`${fmtInt(f.requests)} requests in ${seconds} s${f.errors + f.non2xx ? ` · ${fmtInt(f.errors)} errors, ${fmtInt(f.non2xx)} non-2xx` : ""}`);
      let relative = f ? (n === connections ? `${fmtRatio(f.reqPerSec / bare.reqPerSec)}× req/s · ${(f.p50 / bare.p50).toFixed(1)}× p50` : `${fmtInt(f.p50 / bare.p50)}× bare p50 (1 connection here)`) : `${fmtInt(q.p50 / bare.p50)}× bare p50 (unloaded)`;
      relative += t ? ` · ${t.tenant} tenant round trip${t.tenant === 1 ? "" : "s"} ${t.tenant > ROUND_TRIP_BUDGET ? `⚠ over budget (${ROUND_TRIP_BUDGET})` : `(budget ${ROUND_TRIP_BUDGET})`} · ${t.control} control` : " · round trips not measured (failed)";
      rows.push({
        part: PART,
        case: labels[route.key] ?? route.key,
        result: f ? `${fmtInt(f.reqPerSec)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)}` : `unloaded p50 ${fmtMs(q.p50)}`,
        relative,
        note: notes.join("; "),
      });
    }

    stage("plans");

    // What the plans suggest for slow routes: indexes on a scratch copy, rewrites beside the original.
    const slowRoutes = ROUTES.filter((r) => quiet.get(r.key)!.p50 > SLOW_MS && SLOW_FINDINGS[r.key] && (trips?.get(r.key)?.queries.length ?? 0) >= 9);
    if (slowRoutes.length) {
      const scratchPath = join(dir.path, "scratch.db");
      await copyDatabase(dbFile, scratchPath);
      const scratch = createFileClient({ url: `file:${scratchPath}` });
      try {
        const ddls = [...new Set(slowRoutes.flatMap((r) => SLOW_FINDINGS[r.key]!.whatIfs.flatMap((w) => w.ddl ?? [])))];
        for (const ddl of ddls) await scratch.execute(ddl);
        for (const route of slowRoutes) {
          const queries = trips!.get(route.key)!.queries.map((c) => ({ sql: c.sql, args: c.params.map((p) => p ?? null) as never[] }));
          // Each statement at its best what-if (not measured together): the estimate for the route.
          // Each statement as timed for the plans above (p50); then each at its best what-if.
          const before = (plans.get(route.key) ?? []).map((e) => e.alone.p50);
          const best = [...before];
          for (const w of SLOW_FINDINGS[route.key]!.whatIfs) {
            const parts: string[] = [];
            const planNotes: string[] = [];
            let sumBefore = 0;
            let sumAfter = 0;
            let allSame = true;
            for (const n of w.queries) {
              const q = queries[n - 1]!;
              if (w.drop) {
                parts.push(`#${n} ${fmtMs(before[n - 1]!)} → not sent`);
                sumBefore += before[n - 1]!;
                best[n - 1] = 0;
                continue;
              }
              const changed = w.rewrite ? { sql: w.rewrite(q.sql), args: q.args } : q;
              const target = w.ddl?.length ? scratch : file;
              const [b, a] = await compare(() => file!.execute(q), () => target.execute(changed));
              const [ra, rb] = [await file.execute(q), await target.execute(changed)];
              const same = figuresOf(ra.rows) === figuresOf(rb.rows);
              allSame &&= same;
              best[n - 1] = Math.min(best[n - 1]!, a);
              sumBefore += b;
              sumAfter += a;
              parts.push(`#${n} ${fmtMs(b)} → ${fmtMs(a)}${same ? "" : " ⚠ figures differ"}`);
              const plan = await explain(target, changed);
              planNotes.push(`#${n}: ${planSummary(plan)}`);
              appendix.push(`### what-if for ${route.key} #${n}: ${w.label}\n\n${w.ddl?.length ? `${w.ddl.join(";\n")}\n\n` : ""}${w.rewrite ? `\`\`\`sql\n${changed.sql.trim()}\n\`\`\`\n\n` : ""}SQLite alone: ${fmtMs(b)} → ${fmtMs(a)}${same ? " (same figures)" : " (⚠ figures differ)"}\n\n\`\`\`\n${plan.lines.join("\n")}\n\`\`\`\n`);
            }
            rows.push({
              part: PART,
              case: `what-if, ${route.key}: ${w.label}`,
              result: parts.join(" · "),
              relative: w.drop ? `−${fmtMs(sumBefore)}` : `${(sumBefore / sumAfter).toFixed(1)}× (fastest of 3, in turns)`,
              note: w.drop
                ? "a change to the service code, not SQL: nothing to time but what is no longer sent"
                : `${allSame ? "same figures" : "⚠ figures differ"}${w.rewrite ? " (a group with nothing unresolved is no longer a row: the service reads a missing group as 0)" : ""}; ${w.ddl?.length ? "indexes on a scratch copy" : "rewrite on the original file"}; plan: ${planNotes.join("; ")}; src/ unchanged`,
            });
          }
          const total = before.reduce((a, b) => a + b, 0);
          const after = best.reduce((a, b) => a + b, 0);
          rows.push({
            part: PART,
            case: `what-if, ${route.key}: all of the above`,
            result: `SQLite alone ${fmtMs(total)} → ≈${fmtMs(after)} for the batch`,
            relative: `${(total / after).toFixed(1)}× (estimate)`,
            note: `each statement at its best what-if above (or its p50 from the plans), not measured together; still > ${SLOW_MS} ms while the percentiles are two window sorts per request (a nightly rollup, or percentiles only on demand, would remove them)`,
          });
        }
      } finally {
        scratch.close();
      }
    }
    if (slowRoutes.length) stage("what-ifs");
    if (process.env.BENCH_KEEP_PROBLEMS_DB) {
      await copyDatabase(dbFile, process.env.BENCH_KEEP_PROBLEMS_DB);
      log(`kept the problems tenant database at ${process.env.BENCH_KEEP_PROBLEMS_DB} (road chief ${chief.id}, now ${now})`);
    }
    if (appendix.length) addAppendix(`## ${PART}: query plans (${fmtInt(c.issues)} problems, ${fmtInt(c.projects)} projects)\n\nThe SQL each route sent (captured from the libSQL client of the in-process app, on the copy: same ids and clock), EXPLAIN QUERY PLAN and timed on the tenant's file.\n\n${appendix.join("\n")}`);
    return rows;
  } finally {
    file?.close();
    await server.close();
    dir.remove();
  }
}
