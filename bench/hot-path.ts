// Part 12: the hot path against its limit (issue 19). GET /v1/me and GET /v1/tasks?limit=50 on a
// tenant of ≈100,000 tasks (part 7's bureau: 2,000 members, three checklists published through the
// API), served by the server child (serveApp, as npm start does) beside a bare Hono route and the
// limit baseline (bench/limit-child.ts: the product's own SQL on the same file, the same token
// check, the same answer — asserted before anything is timed). Each case reports the server's CPU
// time per request (the serving process's utime + stime over the run, divided by its requests):
// steadier than req/s on a machine others are using.
import { deepStrictEqual } from "node:assert";
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient as createFileClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { createApp } from "../src/app.js";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import { schema, type TenantDb } from "../src/db/tenant/index.js";
import { hashPassword } from "../src/platform/crypto.js";
import { openLibsqlFile } from "../src/platform/node/libsql-file.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import type { TenantDatabases } from "../src/platform/ports.js";
import { type Call, defineChecklist, LEARNING, mixStates, PARTY_AFFAIRS, plainMember, SEED_PASSWORD, SERVICE, todayInShanghai } from "./checklists.js";
import { childChannel } from "./child-ipc.js";
import { seedOrg, signUpOverHttp } from "./fixtures.js";
import { load, type LoadFigures } from "./http-load.js";
import type { LimitConfig, LimitMessage, LimitParam, LimitRoute } from "./limit-child.js";
import { startServerChild } from "./server.js";
import { BENCH_JWT_SECRET, benchEnv, fmtInt, fmtMs, log, type Row, tempDir } from "./support.js";

const PART = "12 hot path";

/** A monthly item for every member: what the Worker's part publishes for its small tenant. */
export const EACH_MEMBER_ITEM = PARTY_AFFAIRS.items.find((i) => i.recurrence === "FREQ=MONTHLY;BYMONTHDAY=-1" && JSON.stringify(i.assignees).includes("each_member")) ?? { ...PARTY_AFFAIRS.items[0]!, assignees: [{ type: "each_member" }] };
const LIMIT_CHILD = fileURLToPath(new URL("./limit-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The issue's goals, as ratios of CPU per request measured in the same run. */
const GOALS = { meOverBare: 4, meOverLimit: 1.3, tasksOverLimit: 1.5, tasksP99OverP50: 5 };

export interface CpuFigures extends LoadFigures {
  /** Server CPU per request, µs (the serving process's utime + stime over the run / requests). */
  cpuPerRequest: number;
}

/** One measured autocannon run with the serving process's CPU time taken before and after it. */
export async function loadWithCpu(url: string, seconds: number, connections: number, headers: Record<string, string>, cpu: () => Promise<number>): Promise<CpuFigures> {
  const before = await cpu();
  const f = await load(url, seconds, connections, headers);
  const after = await cpu();
  return { ...f, cpuPerRequest: (after - before) / Math.max(1, f.requests) };
}

export const fmtUs = (us: number) => (us < 100 ? `${us.toFixed(1)} µs` : us < 1_000 ? `${Math.round(us)} µs` : `${(us / 1000).toFixed(2)} ms`);

interface Captured { sql: string; params: unknown[] }

/** The tenant's file through the product's own driver, with drizzle's logger catching the SQL of each request. */
function capturingTenantDatabases(dataDir: string) {
  const captured: Captured[] = [];
  const handles = new Map<string, TenantDb>();
  const open = (tenantId: string) => {
    let db = handles.get(tenantId);
    if (!db) {
      const client = openLibsqlFile(`file:${join(dataDir, "tenants", `${tenantId}.db`)}`);
      db = drizzle(client, { schema, logger: { logQuery: (sql, params) => void captured.push({ sql, params }) } });
      handles.set(tenantId, db);
    }
    return db;
  };
  const dbs: Pick<TenantDatabases, "open" | "client"> = { open: (id) => open(id), client: (id) => (open(id) as unknown as { $client: never }).$client };
  return { dbs, captured, close: () => handles.forEach((db) => (db as unknown as { $client: { close(): void } }).$client.close()) };
}

async function startLimitChild(config: LimitConfig) {
  const child: ChildProcess = fork(LIMIT_CHILD, [], { cwd: ROOT, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const channel = childChannel<LimitMessage>(child, "limit child");
  const ready = channel.next("ready");
  child.send({ type: "start", config });
  const { port } = await ready;
  return { url: `http://127.0.0.1:${port}`, cpu: async () => (await channel.request("cpu")).micros, close: channel.close };
}

/** Part 7's reading bureau: 2,000 members, three checklists published through the API (≈100,000 tasks), states mixed by SQL. */
export async function bureau(dataDir: string, appUrl: string, members: number) {
  const http: Call = async (method, path, body, token) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${appUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = res.status === 204 ? null : ((await res.json()) as any);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const slug = "bench-hot-path";
  const metaFile = join(dataDir, "hot-path.json");
  let meta: { tenantId: string; member: { id: string; email: string }; tasks: number } | undefined = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, "utf8")) : undefined;
  if (!meta) {
    const signup = await signUpOverHttp(appUrl, slug);
    const file = createFileClient({ url: `file:${join(dataDir, "tenants", `${signup.tenant.id}.db`)}` });
    const t0 = performance.now();
    try {
      const org = await seedOrg(file, { members, generals: Math.max(1, Math.round(members / 250)), branchesPerGeneral: 5, passwordHash: await hashPassword(SEED_PASSWORD), seed: 100_000 });
      let tasks = 0;
      for (const spec of [PARTY_AFFAIRS, LEARNING, SERVICE]) {
        const { id } = await defineChecklist(http, signup.accessToken, spec, org.rootId);
        tasks += Number((await http("POST", `/v1/checklists/${id}/publish`, { from: "2026-01-01" }, signup.accessToken)).tasksCreated);
      }
      await mixStates(file, todayInShanghai());
      const { id, email } = plainMember(org);
      meta = { tenantId: signup.tenant.id, member: { id, email: email! }, tasks };
    } finally {
      file.close();
    }
    writeFileSync(metaFile, JSON.stringify(meta));
    log(`hot path: ${fmtInt(meta.tasks)} tasks for ${fmtInt(members)} members in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const token: string = (await http("POST", "/v1/auth/login", { tenant: slug, email: meta.member.email, password: SEED_PASSWORD })).accessToken;
  return { ...meta, token };
}

export async function hotPathBench(settings: { seconds: number; connections: number; taskMembers: number }): Promise<Row[]> {
  const { seconds, connections } = settings;
  // BENCH_HOT_PATH_DIR keeps the bureau there and reuses it next time (for measuring one change after another).
  const kept = process.env.BENCH_HOT_PATH_DIR;
  const dir = kept ? { path: kept, remove() {} } : tempDir("hot-path");
  const server = await startServerChild(benchEnv(dir.path, { FILE_DB_DRIVER: "stock" }));
  let limit: Awaited<ReturnType<typeof startLimitChild>> | undefined;
  let thin: Awaited<ReturnType<typeof startServerChild>> | undefined;
  try {
    const { tenantId, member, tasks, token } = await bureau(dir.path, server.appUrl, settings.taskMembers);
    const auth = { authorization: `Bearer ${token}` };

    // The product's SQL for each route, caught from drizzle's logger by the same app in this process.
    const routes: LimitRoute[] = [];
    const built = await nodePorts(parseEnv(nodeEnvSchema, benchEnv(dir.path)), { mailer: { send: async () => ({ messageId: "<bench@local>" }) } });
    const capture = capturingTenantDatabases(dir.path);
    try {
      const app = createApp({ ...built.ports, tenantDatabases: { ...built.ports.tenantDatabases, ...capture.dbs } });
      const today = todayInShanghai();
      for (const [url, shape, pageSize] of [["/v1/me", "me", undefined], ["/v1/tasks?limit=50", "tasks", 50]] as const) {
        // Twice: the first read proves the session through a guarded handle (guard.ts), which has no logger.
        for (let i = 0; i < 2; i++) {
          capture.captured.length = 0;
          const res = await app.request(url, { headers: auth });
          if (res.status !== 200) throw new Error(`${url} answered ${res.status} in process`);
        }
        if (capture.captured.length !== 1) throw new Error(`${url} sent ${capture.captured.length} statements; the baseline runs one`);
        const [{ sql, params }] = capture.captured as [Captured];
        const mapped: LimitParam[] = params.map((p) => (p === member.id ? { $: "member" } : p === today ? { $: "today" } : (p as LimitParam)));
        routes.push({ url, shape, sql, params: mapped, limit: pageSize });
      }
    } finally {
      capture.close();
      built.close();
    }

    limit = await startLimitChild({ dataDir: dir.path, jwtSecret: BENCH_JWT_SECRET, tenantId, routes });
    // Identical answers, or the comparison means nothing.
    for (const r of routes) {
      const answerOf = async (base: string): Promise<unknown> => {
        const res = await fetch(`${base}${r.url}`, { headers: auth });
        if (res.status !== 200) throw new Error(`${base}${r.url} answered ${res.status}`);
        return res.json();
      };
      const ours = await answerOf(server.appUrl);
      const theirs = await answerOf(limit.url);
      deepStrictEqual(theirs, ours, `the limit baseline's answer to ${r.url} differs from the product's`);
    }
    // The same app on the thin file driver (FILE_DB_DRIVER=thin), in a child of its own, same file.
    thin = await startServerChild(benchEnv(dir.path, { FILE_DB_DRIVER: "thin" }));
    for (const r of routes) {
      const answer = async (base: string): Promise<unknown> => (await fetch(`${base}${r.url}`, { headers: auth })).json();
      const a = await answer(server.appUrl);
      const b = await answer(thin.appUrl);
      deepStrictEqual(b, a, `the thin driver's answer to ${r.url} differs from the stock driver's`);
    }
    const thinCpu = () => thin!.cpu();
    const listed = ((await (await fetch(`${server.appUrl}/v1/tasks?limit=50`, { headers: auth })).json()) as { data: unknown[] }).data.length;

    const serverCpu = () => server.cpu();
    const cases = [
      { key: "bare", name: "bare Hono route (server child)", url: `${server.bareUrl}/bare`, headers: {}, cpu: serverCpu },
      { key: "me", name: "GET /v1/me, FILE_DB_DRIVER=stock", url: `${server.appUrl}/v1/me`, headers: auth, cpu: serverCpu },
      { key: "me-limit", name: "GET /v1/me, limit baseline", url: `${limit.url}/v1/me`, headers: auth, cpu: limit.cpu },
      { key: "tasks", name: `GET /v1/tasks?limit=50 (member, ${listed} rows of ${fmtInt(tasks)} tasks), FILE_DB_DRIVER=stock`, url: `${server.appUrl}/v1/tasks?limit=50`, headers: auth, cpu: serverCpu },
      { key: "tasks-limit", name: "GET /v1/tasks?limit=50, limit baseline", url: `${limit.url}/v1/tasks?limit=50`, headers: auth, cpu: limit.cpu },
      { key: "me-thin", name: "GET /v1/me, FILE_DB_DRIVER=thin (the default)", url: `${thin.appUrl}/v1/me`, headers: auth, cpu: thinCpu },
      { key: "tasks-thin", name: "GET /v1/tasks?limit=50, FILE_DB_DRIVER=thin (the default)", url: `${thin.appUrl}/v1/tasks?limit=50`, headers: auth, cpu: thinCpu },
    ];
    const warmup = Math.max(1, Math.min(3, Math.round(seconds / 5)));
    const figures = new Map<string, CpuFigures>();
    for (const c of cases) {
      log(`load: ${c.name} (${warmup} s warm-up, ${seconds} s measured, ${connections} connections)`);
      await load(c.url, warmup, connections, c.headers);
      figures.set(c.key, await loadWithCpu(c.url, seconds, connections, c.headers, c.cpu));
    }

    const bare = figures.get("bare")!;
    const ratio = (a: string, b: string) => figures.get(a)!.cpuPerRequest / figures.get(b)!.cpuPerRequest;
    const within = (value: number, goal: number) => `${value.toFixed(2)}×${value <= goal ? "" : ` ⚠ goal ≤ ${goal}×`}`;
    return cases.map((c) => {
      const f = figures.get(c.key)!;
      const faults = f.errors + f.non2xx;
      let relative: string;
      if (c.key === "bare") relative = "1.00× CPU (floor)";
      else if (c.key === "me-thin") relative = `CPU ${within(ratio("me-thin", "bare"), GOALS.meOverBare)} bare · ${within(ratio("me-thin", "me-limit"), GOALS.meOverLimit)} baseline · ${ratio("me-thin", "me").toFixed(2)}× stock`;
      else if (c.key === "tasks-thin") relative = `CPU ${ratio("tasks-thin", "bare").toFixed(1)}× bare · ${within(ratio("tasks-thin", "tasks-limit"), GOALS.tasksOverLimit)} baseline · ${ratio("tasks-thin", "tasks").toFixed(2)}× stock · p99/p50 ${within(f.p99 / f.p50, GOALS.tasksP99OverP50)}`;
      else if (c.key === "me") relative = `CPU ${within(ratio("me", "bare"), GOALS.meOverBare)} bare · ${within(ratio("me", "me-limit"), GOALS.meOverLimit)} baseline`;
      else if (c.key === "tasks") relative = `CPU ${ratio("tasks", "bare").toFixed(1)}× bare · ${within(ratio("tasks", "tasks-limit"), GOALS.tasksOverLimit)} baseline · p99/p50 ${within(f.p99 / f.p50, GOALS.tasksP99OverP50)}`;
      else relative = `CPU ${ratio(c.key, "bare").toFixed(1)}× bare`;
      return {
        part: PART,
        case: c.name,
        result: `${fmtUs(f.cpuPerRequest)} CPU/req · ${fmtInt(f.reqPerSec)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)}`,
        relative,
        note: `${fmtInt(f.requests)} requests in ${seconds} s, ${connections} connections; req/s ${(f.reqPerSec / bare.reqPerSec).toFixed(2)}× bare${c.key.endsWith("limit") ? "; same SQL, same file, same token check, answer asserted equal to the product's" : ""}${faults ? ` · ${fmtInt(f.errors)} errors, ${fmtInt(f.non2xx)} non-2xx` : ""}`,
      };
    });
  } finally {
    await limit?.close();
    await thin?.close();
    await server.close();
    dir.remove();
  }
}
