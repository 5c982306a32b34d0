// `npm run bench:peers` (not part of npm test, CI or npm run bench): qingdan beside Directus 11.17.4,
// the tool a bureau's IT department might assemble the same list with (issue 19, "Peers").
//  1. Installs directus@11.17.4 into a scratch folder (BENCH_PEERS_DIR, default a temp dir; kept
//     there when given, so a second run skips the install). 12.x refuses per-user permission rules
//     and more than 3 users without a licence.
//  2. Builds bench part 12's bureau (≈100,000 tasks over 2,000 members, bench/hot-path.ts bureau())
//     in a qingdan server child, and gives its member a personal API token (static, read only).
//  3. Copies that tenant's tasks into Directus's SQLite database (ATTACH, one INSERT … SELECT), the
//     member's own tasks owned by a Directus user whose role's policy reads only its own tasks
//     (`owner = $CURRENT_USER`), with a static token; starts Directus with
//     `node <dir>/node_modules/@directus/api/dist/cli/run.js start` (the `directus` command asks the
//     registry for updates first), telemetry, cache and rate limiter off.
//  4. Asserts both answer the same 50 rows in the same order (qingdan `GET /v1/tasks?limit=50`,
//     Directus `GET /items/tasks?limit=50&sort=due_date,id`), then loads both with the same
//     autocannon settings and reports server CPU per request (utime + stime of the serving process
//     from /proc), req/s, p50/p99, RSS after the run and cold start (spawn → first answer).
// Its rows go into the bench's record as part "18 peers" (bench/results/), RESULTS.md rendered again.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { bureau, type CpuFigures, fmtUs, loadWithCpu } from "./hot-path.js";
import { load } from "./http-load.js";
import { readRecord, renderRecord, writeRecord } from "./record.js";
import { machine } from "./run.js";
import { startServerChild } from "./server.js";
import { benchEnv, envNumber, fmtInt, fmtMiB, fmtMs, log, markdownTable, type Row, tempDir } from "./support.js";

const DIRECTUS = "11.17.4";
const ADMIN = { email: "admin@peers.example.cn", password: "Peers-Admin-2026" };
const TOKEN = "peers-static-token-0123456789abcdef";
const LABEL = "18 peers";
const PART = LABEL;
const METHOD = `npm run bench:peers, by hand (not in npm run bench): directus@${DIRECTUS} installed into a scratch folder, part 12's ≈100,000-task bureau copied into its SQLite database, the member's own tasks behind a role whose policy reads only them, a static token on both sides; same 50 rows in the same order asserted; server CPU per request from /proc (utime + stime) over the same autocannon run settings.`;

const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
/** utime + stime of a process, µs, from /proc (the child is not ours to ask over IPC). */
function procCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / ticks) * 1e6;
}
const procRss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** npm install of Directus into `dir`; throws with npm's last lines (and why) when it cannot. */
function installDirectus(dir: string) {
  const run = join(dir, "node_modules", "@directus", "api", "dist", "cli", "run.js");
  if (existsSync(run)) return run;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "qingdan-peers", private: true }));
  log(`peers: npm install directus@${DIRECTUS} into ${dir} (several minutes)`);
  try {
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--save-exact", `directus@${DIRECTUS}`], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 30 * 60_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const tail = `${e.stdout ?? ""}\n${e.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(
      `npm install directus@${DIRECTUS} failed (${e.message.split("\n")[0]}). Its native modules (isolated-vm, sqlite3) fetch prebuilt binaries from GitHub (prebuild-install) and otherwise compile from source with node-gyp; @directus/api 35 declares Node >= 22 (this is ${process.version}). npm said:\n${tail}`,
    );
  }
  if (!existsSync(run)) throw new Error(`directus@${DIRECTUS} installed, but ${run} is missing`);
  return run;
}

interface Directus {
  url: string;
  pid: number;
  coldStartMs: number;
  close(): Promise<void>;
}

async function startDirectus(run: string, env: Record<string, string>): Promise<Directus> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [run, "start"], { env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" }, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Directus exited (${child.exitCode}) before answering`);
    try {
      if ((await fetch(`${url}/server/ping`)).ok) break;
    } catch {}
    if (performance.now() - started > 120_000) throw new Error("Directus did not answer /server/ping within 120 s");
    await new Promise((r) => setTimeout(r, 25));
  }
  const coldStartMs = performance.now() - started;
  return {
    url,
    pid: child.pid!,
    coldStartMs,
    close: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM")))),
  };
}

async function json(res: Response, what: string) {
  const body = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${body.slice(0, 300)}`);
  return body ? JSON.parse(body) : null;
}

export async function peersBench(settings: { seconds: number; connections: number; taskMembers: number }): Promise<Row[]> {
  const kept = process.env.BENCH_PEERS_DIR;
  const scratch = kept ? { path: kept, remove() {} } : tempDir("peers");
  const qd = tempDir("peers-qingdan");
  let server: Awaited<ReturnType<typeof startServerChild>> | undefined;
  let directus: Directus | undefined;
  try {
    const run = installDirectus(scratch.path);

    // qingdan: part 12's bureau, its member reading with a personal API token.
    const coldStarted = performance.now();
    server = await startServerChild(benchEnv(qd.path));
    const qingdanColdMs = performance.now() - coldStarted;
    const b = await bureau(qd.path, server.appUrl, settings.taskMembers);
    const apiToken = (await json(await fetch(`${server.appUrl}/v1/api-tokens`, { method: "POST", headers: { authorization: `Bearer ${b.token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "peers" }) }), "api token")).token as string;
    const qAuth = { authorization: `Bearer ${apiToken}` };
    // Every task the member sees, paged: those become the Directus user's own.
    const visible: string[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await json(await fetch(`${server.appUrl}/v1/tasks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: qAuth }), "qingdan tasks");
      visible.push(...page.data.map((t: { id: string }) => t.id));
      if (!(cursor = page.nextCursor)) break;
    }
    const first = (await json(await fetch(`${server.appUrl}/v1/tasks?limit=50`, { headers: qAuth }), "qingdan tasks")).data.map((t: { id: string }) => t.id) as string[];

    // Directus: bootstrap its database, then the tasks copied from the tenant's file.
    const dbFile = join(scratch.path, "directus.db");
    const env = { DB_CLIENT: "sqlite3", DB_FILENAME: dbFile, KEY: "qingdan-peers-key", SECRET: "qingdan-peers-secret-0123456789abcdef", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, TELEMETRY: "false", CACHE_ENABLED: "false", RATE_LIMITER_ENABLED: "false", LOG_LEVEL: "warn", WEBSOCKETS_ENABLED: "false" };
    execFileSync(process.execPath, [run, "bootstrap"], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
    const tenantFile = join(qd.path, "tenants", `${b.tenantId}.db`);
    const d = createClient({ url: `file:${dbFile}` });
    try {
      await d.execute("DROP TABLE IF EXISTS tasks");
      await d.execute({ sql: "ATTACH ? AS q", args: [tenantFile] });
      await d.execute("CREATE TABLE tasks (id TEXT PRIMARY KEY, title TEXT, module TEXT, due_date TEXT, state TEXT, done_count INTEGER, min_count INTEGER, owner TEXT)");
      await d.execute("INSERT INTO tasks SELECT t.id, t.title, t.module, t.due_date, t.state, t.done_count, t.min_count, NULL FROM q.tasks t");
      await d.execute("CREATE INDEX tasks_owner_due ON tasks (owner, due_date, id)");
      await d.execute("DETACH q");
      await d.execute("INSERT OR IGNORE INTO directus_collections (collection) VALUES ('tasks')");
    } finally {
      d.close();
    }
    directus = await startDirectus(run, env);
    const admin = (await json(await fetch(`${directus.url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ADMIN) }), "directus login")).data.access_token as string;
    const as = (method: string, path: string, body: unknown) => fetch(`${directus!.url}${path}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => json(r, `${method} ${path}`));
    const policy = (await as("POST", "/policies", { name: "own tasks", app_access: false, admin_access: false })).data.id as string;
    await as("POST", "/permissions", { policy, collection: "tasks", action: "read", permissions: { owner: { _eq: "$CURRENT_USER" } }, fields: ["*"] });
    const role = (await as("POST", "/roles", { name: "member", policies: { create: [{ policy }] } })).data.id as string;
    const user = (await as("POST", "/users", { email: "member@peers.example.cn", password: "Peers-Member-2026", role, token: TOKEN, status: "active" })).data.id as string;
    const w = createClient({ url: `file:${dbFile}` });
    try {
      for (let i = 0; i < visible.length; i += 500) {
        const ids = visible.slice(i, i + 500);
        await w.execute({ sql: `UPDATE tasks SET owner = ? WHERE id IN (${ids.map(() => "?").join(",")})`, args: [user, ...ids] });
      }
    } finally {
      w.close();
    }
    const dAuth = { authorization: `Bearer ${TOKEN}` };
    const dUrl = `${directus.url}/items/tasks?limit=50&sort=due_date,id`;
    const theirs = (await json(await fetch(dUrl, { headers: dAuth }), "directus items")).data.map((t: { id: string }) => t.id) as string[];
    if (JSON.stringify(theirs) !== JSON.stringify(first)) throw new Error(`Directus's 50 rows differ from qingdan's (first ${theirs[0]} vs ${first[0]})`);

    const cases: { name: string; url: string; headers: Record<string, string>; cpu: () => Promise<number>; pid: number; coldMs: number }[] = [
      { name: `qingdan GET /v1/tasks?limit=50 (member's API token, ${fmtInt(visible.length)} own of ${fmtInt(b.tasks)} tasks)`, url: `${server.appUrl}/v1/tasks?limit=50`, headers: qAuth, cpu: server.cpu, pid: server.pid, coldMs: qingdanColdMs },
      { name: `Directus ${DIRECTUS} GET /items/tasks?limit=50&sort=due_date,id (role: own tasks, static token)`, url: dUrl, headers: dAuth, cpu: async () => procCpu(directus!.pid), pid: directus.pid, coldMs: directus.coldStartMs },
    ];
    const figures: CpuFigures[] = [];
    for (const c of cases) {
      log(`peers: ${c.name}`);
      await load(c.url, 2, settings.connections, c.headers);
      figures.push(await loadWithCpu(c.url, settings.seconds, settings.connections, c.headers, c.cpu));
    }
    const [q, dx] = figures as [CpuFigures, CpuFigures];
    return cases.map((c, i) => {
      const f = figures[i]!;
      return {
        part: PART,
        case: c.name,
        result: `${fmtUs(f.cpuPerRequest)} CPU/req · ${fmtInt(f.reqPerSec)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)}`,
        relative: i === 0 ? `${(q.cpuPerRequest / dx.cpuPerRequest).toFixed(2)}× Directus's CPU per request` : "1.00×",
        note: `RSS ${fmtMiB(procRss(c.pid))} after the run; cold start ${(c.coldMs / 1000).toFixed(2)} s (spawn → first answer); same 50 rows in the same order (asserted); ${settings.seconds} s, ${settings.connections} connections${f.errors + f.non2xx ? `; ${f.errors} errors, ${f.non2xx} non-2xx` : ""}`,
      };
    });
  } finally {
    await directus?.close();
    await server?.close();
    qd.remove();
    scratch.remove();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const settings = { seconds: envNumber("BENCH_SECONDS", 10), connections: envNumber("BENCH_CONNECTIONS", 10), taskMembers: envNumber("BENCH_TASK_MEMBERS", 2_000) };
  let rows: Row[];
  try {
    rows = await peersBench(settings);
  } catch (error) {
    log(`peers failed: ${error instanceof Error ? error.message : String(error)}`);
    rows = [{ part: PART, case: `Directus ${DIRECTUS} beside qingdan`, result: "(failed)", relative: "–", note: String(error instanceof Error ? error.message.split("\n")[0] : error).replace(/\|/g, "/") }];
    process.exitCode = 1;
  }
  const table = markdownTable(rows);
  // Into the bench's record as a part of its own (bench/results/18-peers.json), RESULTS.md rendered again.
  const record = readRecord();
  record.parts[LABEL] = { date: new Date().toISOString(), load: loadavg(), machine: machine(), method: METHOD, rows, appendices: [] };
  writeRecord(record, [LABEL], renderRecord(record, { date: new Date().toISOString(), seconds: Math.round(performance.now() / 1000), settings: "npm run bench:peers", ran: [LABEL] }));
  process.stdout.write(`${table}\n`);
}
