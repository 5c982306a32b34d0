// Part 17: the Worker's CPU per request (issue 19) — src/worker.ts in workerd (wrangler's
// startWorker, as `npm run dev:worker`), its databases on tools/libsql-server over HTTP in this
// process. CPU is workerd's own utime + stime from /proc over a run of sequential requests, divided
// by their number: the Worker's JavaScript plus workerd's HTTP, not the database server's work.
import { readdirSync, readFileSync } from "node:fs";
import { unstable_startWorker } from "wrangler";
import { startLibsqlServer } from "../tools/libsql-server/server.js";
import { benchBankRows, benchPaper } from "./exams.js";
import { EACH_MEMBER_ITEM, fmtUs } from "./hot-path.js";
import { BENCH_JWT_SECRET, BENCH_PASSWORD, fmtInt, log, type Row, tempDir } from "./support.js";

const PART = "17 Worker CPU";
const TICK_US = 1_000_000 / 100; // USER_HZ on Linux

/** The workerd processes started under this one (wrangler's child, or its child). */
function workerdPids(): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
      names.set(Number(entry), name);
    } catch {}
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid), hops = 0; p && hops < 5; p = parents.get(p), hops++) if (p === process.pid) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => name.startsWith("workerd") && descends(pid)).map(([pid]) => pid);
}

function cpuOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // a short-lived workerd wrangler started beside the serving one (the serving one lives to the end)
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return ticks * TICK_US;
}

export async function workerCpuBench(requests = 400): Promise<Row[]> {
  Object.assign(process.env, { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" });
  const dir = tempDir("worker-cpu");
  const token = "bench-libsql-token";
  const libsql = await startLibsqlServer({ dataDir: `${dir.path}/libsql`, port: 0, authToken: token });
  libsql.createDatabase("control");
  const vars: Record<string, string> = {
    JWT_SECRET: BENCH_JWT_SECRET,
    CONTROL_DB_AUTH_TOKEN: token,
    TENANT_DB_AUTH_TOKEN: token,
    LIBSQL_SERVER_ADMIN_TOKEN: token,
    TENANT_DB_PROVIDER: "libsql-server",
    CONTROL_DB_URL: `${libsql.url}/t/control/`,
    LIBSQL_SERVER_URL: libsql.url,
    PUBLIC_URL: "http://127.0.0.1:8787",
    LOG: "silent",
  };
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist: `${dir.path}/wrangler`, watch: false, logLevel: "warn" },
  });
  try {
    await worker.ready;
    const base = (await worker.url).toString().replace(/\/$/, "");
    const call = async (method: string, path: string, body?: unknown, bearer?: string) => {
      const res = await fetch(`${base}${path}`, { method, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body ? { "content-type": "application/json", origin: base } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const json = res.status === 204 ? null : ((await res.json()) as any);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
      return json;
    };
    const signup = await call("POST", "/v1/tenants", { slug: "bench-worker-cpu", name: "某市住房和城乡建设局", admin: { email: "admin@bench-worker-cpu.example.cn", name: "王局长", password: BENCH_PASSWORD } });
    const admin: string = signup.accessToken;
    // A checklist of monthly items for the admin: the task list has a page to show.
    const list = await call("POST", "/v1/checklists", { title: "2026年度党建工作清单", kind: "party_affairs", year: 2026 }, admin);
    for (let i = 0; i < 5; i++) await call("POST", `/v1/checklists/${list.id}/items`, { ...EACH_MEMBER_ITEM, title: `${EACH_MEMBER_ITEM.title} ${i + 1}`, sortOrder: i }, admin);
    const published = await call("POST", `/v1/checklists/${list.id}/publish`, { from: "2026-01-01" }, admin);
    const pids = workerdPids();
    if (pids.length === 0) throw new Error("no workerd process found under this one");
    const rows: Row[] = [];
    for (const [name, path] of [["GET /v1/me", "/v1/me"], [`GET /v1/tasks?limit=50 (${fmtInt(published.tasksCreated)} tasks)`, "/v1/tasks?limit=50"]] as const) {
      for (let i = 0; i < 50; i++) await call("GET", path, undefined, admin);
      const before = cpuOf(pids);
      const t0 = performance.now();
      for (let i = 0; i < requests; i++) await call("GET", path, undefined, admin);
      const wall = performance.now() - t0;
      const perRequest = (cpuOf(pids) - before) / requests;
      log(`${PART}: ${name} ${fmtUs(perRequest)} CPU/req`);
      rows.push({ part: PART, case: `${name} in workerd (tenant DB over HTTP)`, result: `${fmtUs(perRequest)} CPU/req · ${fmtUs((wall * 1000) / requests)} wall/req`, relative: "Free plan: 10 ms CPU per invocation", note: `${requests} sequential requests after 50 warm-up; workerd's utime + stime from /proc (10 ms ticks): the Worker, workerd's HTTP and wrangler's dev proxy worker in the same process; the libSQL server's work not included; local workerd, not Cloudflare's CPU accounting` });
    }
    rows.push(await answerSaveCpu({ call, admin, requests, pids, tenantRequests: () => tenantRequests(libsql, `${dir.path}/libsql`) }));
    return rows;
  } finally {
    await worker.dispose();
    await libsql.close();
    dir.remove();
  }
}

/** Pipeline requests the tenant databases (every one but control) have served on the libSQL server. */
function tenantRequests(libsql: { requestCount(name: string): number }, dataDir: string) {
  return readdirSync(dataDir)
    .filter((f) => f.endsWith(".db") && f !== "control.db")
    .reduce((sum, f) => sum + libsql.requestCount(f.slice(0, -3)), 0);
}

/**
 * 在线考试's hot path in workerd: PUT /v1/exams/attempts/:id/answers/:position on a 100-question
 * attempt, each save a real write (positions in turn, the rev rising each round), CPU per save and
 * tenant round trips per save (the budget is 1).
 */
async function answerSaveCpu(o: { call: (method: string, path: string, body?: unknown, bearer?: string) => Promise<any>; admin: string; requests: number; pids: number[]; tenantRequests: () => number }): Promise<Row> {
  const bank = await o.call("POST", "/v1/exams/questions/import", { rows: benchBankRows() }, o.admin);
  const paper = await o.call("POST", "/v1/exams/papers", benchPaper(bank.rows), o.admin);
  await o.call("POST", `/v1/exams/papers/${paper.id}/publish`, {}, o.admin);
  const attempt = await o.call("POST", `/v1/exams/papers/${paper.id}/attempts`, {}, o.admin);
  const items = attempt.items as { position: number; type: string }[];
  const answer = (type: string) => (type === "single" ? ["A"] : type === "multiple" ? ["A", "B", "C", "D"] : type === "judge" ? ["T"] : ["1921"]);
  const save = (i: number, rev: number) => o.call("PUT", `/v1/exams/attempts/${attempt.id}/answers/${items[i % items.length]!.position}`, { answer: answer(items[i % items.length]!.type), rev }, o.admin);
  for (let i = 0; i < 50; i++) await save(i, 1);
  const before = cpuOf(o.pids);
  const trips = o.tenantRequests();
  const t0 = performance.now();
  for (let i = 0; i < o.requests; i++) {
    const saved = await save(i, 2 + Math.floor(i / items.length));
    if (saved.rev !== 2 + Math.floor(i / items.length)) throw new Error(`save ${i} not written: ${JSON.stringify(saved)}`);
  }
  const wall = performance.now() - t0;
  const perRequest = (cpuOf(o.pids) - before) / o.requests;
  const roundTrips = (o.tenantRequests() - trips) / o.requests;
  log(`${PART}: answer save ${fmtUs(perRequest)} CPU/req, ${roundTrips} tenant round trips`);
  return {
    part: PART,
    case: `PUT /v1/exams/attempts/:id/answers/:position in workerd (100-question attempt, tenant DB over HTTP)`,
    result: `${fmtUs(perRequest)} CPU/req · ${fmtUs((wall * 1000) / o.requests)} wall/req`,
    relative: `${roundTrips.toFixed(2)} tenant round trips per save ${roundTrips === 1 ? "(budget 1)" : "⚠ budget 1"}`,
    note: `${o.requests} sequential saves after 50 warm-up, each a real write (rev rising each round of 100); workerd's utime + stime from /proc, as above; round trips counted on the libSQL server`,
  };
}
