// `npm run bench`: every figure in one run, printed as one markdown table and written to
// bench/RESULTS.md (rendered from bench/results/, one file per part's last run). Figures, not pass/fail: a part that fails becomes a "(failed)" row.
//   BENCH_SECONDS      seconds per autocannon case (default 10)
//   BENCH_CONNECTIONS  autocannon connections (default 10)
//   BENCH_MEMBERS      members seeded in the load-test tenant (default 20000)
//   BENCH_SIGNUPS      signups timed (default 30)
//   BENCH_MIGRATE_TENANTS / BENCH_MEMORY_TENANTS  (defaults 1000 / 2000)
//   BENCH_PUBLISH_MEMBERS  members of the tenant a 25-item checklist is published for (default 500)
//   BENCH_TASK_MEMBERS     members of the tenant whose ≈100,000 tasks are read (default 2000; tasks scale with it)
//   BENCH_KEEP_DB          a path: keep a copy of that ≈100,000-task tenant database there (for EXPLAIN by hand)
//   BENCH_PROBLEMS / BENCH_PROBLEM_PROJECTS  problems and projects of the road-chief tenant (defaults 50000 / 200)
//   BENCH_REMINDER_TENANTS / BENCH_REMINDER_MEMBERS / BENCH_REMINDER_THREADS  the reminder sweep's tenants, members per tenant and worker threads (defaults 1000 / 200 / one per core: measured, not extrapolated; the part takes ~3 min on a quiet machine); FILE_DB_DRIVER=stock runs its sweeps on @libsql/client's file driver (default: the server's, thin); BENCH_DELIVERY_EMAILS the delivery-alone row's prebuilt digests (default min(40,000, the sweep's))
//   BENCH_KEEP_PROBLEMS_DB  a path: keep a copy of that tenant database there (for EXPLAIN by hand)
//   BENCH_UPLOADS      2 MB photos uploaded per case of the files part (default 40)
//   BENCH_IMPORT_ROWS  rows of the members import timed (default 5000, the route's maximum)
//   BENCH_WORKLOG_MEMBERS / BENCH_WORKLOG_SECONDS  members of the 电子日志 tenant and seconds spent generating its entries (defaults 25315 / 120)
//   BENCH_EXAM_MEMBERS / BENCH_EXAM_SECONDS  members starting the 100-question paper within a minute, and seconds of answering after (defaults 1000 / 45)
//   BENCH_ONLY         comma-separated parts to run (the others keep their last figures in bench/results/)
//   BENCH_SKIP         comma-separated parts to skip: load,signup,migrate,round-trips,bundle,memory,checklists,problems,reminders,console,files,hot-path,import,worklogs,attacks,exams,worker-cpu
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { attacksBench } from "./attacks.js";
import { bundleBench } from "./bundle.js";
import { checklistsBench } from "./checklists.js";
import { consoleBench } from "./console.js";
import { filesBench } from "./files.js";
import { hotPathBench } from "./hot-path.js";
import { httpLoadBench } from "./http-load.js";
import { importBench } from "./import.js";
import { memoryBench } from "./memory.js";
import { migrateBench } from "./migrate.js";
import { problemsBench } from "./problems.js";
import { remindersBench } from "./reminders.js";
import { roundTripBench } from "./round-trips.js";
import { startServerChild } from "./server.js";
import { signupBench } from "./signup.js";
import { workerCpuBench } from "./worker-cpu.js";
import { worklogBench } from "./worklogs.js";
import { examsBench } from "./exams.js";
import { readRecord, renderRecord, writeRecord } from "./record.js";
import { benchEnv, envNumber, failedRow, log, type Row, takeAppendices, tempDir } from "./support.js";

export function machine(): string {
  let model = cpus()[0]?.model ?? "unknown CPU";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) model = line.split(":").slice(1).join(":").trim();
  } catch {}
  let nproc = String(availableParallelism());
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {}
  return `nproc ${nproc}, ${model}, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export async function runBench(): Promise<string> {
  const settings = {
    seconds: envNumber("BENCH_SECONDS", 10),
    connections: envNumber("BENCH_CONNECTIONS", 10),
    members: envNumber("BENCH_MEMBERS", 20_000),
    signups: envNumber("BENCH_SIGNUPS", 30),
    migrateTenants: envNumber("BENCH_MIGRATE_TENANTS", 1_000),
    memoryTenants: envNumber("BENCH_MEMORY_TENANTS", 2_000),
    publishMembers: envNumber("BENCH_PUBLISH_MEMBERS", 500),
    taskMembers: envNumber("BENCH_TASK_MEMBERS", 2_000),
    problems: envNumber("BENCH_PROBLEMS", 50_000),
    problemProjects: envNumber("BENCH_PROBLEM_PROJECTS", 200),
    reminderTenants: envNumber("BENCH_REMINDER_TENANTS", 1_000),
    reminderThreads: envNumber("BENCH_REMINDER_THREADS", availableParallelism()),
    reminderMembers: envNumber("BENCH_REMINDER_MEMBERS", 200),
    uploads: envNumber("BENCH_UPLOADS", 40),
    importRows: envNumber("BENCH_IMPORT_ROWS", 5_000),
  };
  const only = new Set((process.env.BENCH_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  const skip = new Set((process.env.BENCH_SKIP ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  const skipped = (name: string) => skip.has(name) || (only.size > 0 && !only.has(name));
  const started = performance.now();
  const record = readRecord();
  const ran: string[] = [];
  const part = async (name: string, label: string, fn: () => Promise<Row[]>) => {
    if (skipped(name)) return;
    const t0 = performance.now();
    const rows: Row[] = [];
    takeAppendices();
    try {
      rows.push(...(await fn()));
    } catch (error) {
      log(`${label} failed: ${error instanceof Error ? error.stack : String(error)}`);
      rows.push(failedRow(label, error));
    }
    record.parts[label] = { date: new Date().toISOString(), load: loadavg(), machine: machine(), method: methods(settings)[name], rows, appendices: takeAppendices() };
    ran.push(label);
    log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };

  // Parts 1 and 2 share one server child and DATA_DIR (signups do not touch the loaded tenant).
  if (!skipped("load") || !skipped("signup")) {
    const dir = tempDir("http");
    const server = await startServerChild(benchEnv(dir.path)).catch((error) => {
      dir.remove();
      throw error;
    });
    try {
      await part("load", "1 HTTP load", () => httpLoadBench(server, dir.path, settings));
      await part("signup", "2 signup", () => signupBench(server, settings.signups));
    } finally {
      await server.close();
      dir.remove();
    }
  }
  await part("migrate", "3 migrate", () => migrateBench(settings.migrateTenants));
  await part("round-trips", "4 round trips", () => roundTripBench());
  await part("bundle", "5 Worker bundle", () => bundleBench());
  await part("memory", "6 memory", () => memoryBench(settings.memoryTenants));
  await part("checklists", "7 checklists", () => checklistsBench(settings));
  await part("problems", "8 problems", () => problemsBench({ ...settings, projects: settings.problemProjects }));
  await part("reminders", "9 reminders", () => remindersBench({ tenants: settings.reminderTenants, members: settings.reminderMembers, threads: settings.reminderThreads }));
  await part("console", "10 console", () => consoleBench());
  await part("files", "11 files", () => filesBench({ uploads: settings.uploads }));
  await part("hot-path", "12 hot path", () => hotPathBench(settings));
  await part("import", "13 import", () => importBench(settings.importRows));
  await part("worklogs", "14 work log", () => worklogBench());
  await part("attacks", "15 attacks", () => attacksBench());
  await part("exams", "16 exams", () => examsBench());
  await part("worker-cpu", "17 Worker CPU", () => workerCpuBench());

  const seconds = Math.round((performance.now() - started) / 1000);
  const described = `${settings.seconds} s per load case (+ warm-up), ${settings.connections} connections`;
  const report = renderRecord(record, { date: new Date().toISOString(), seconds, settings: described, ran });
  writeRecord(record, ran, report);
  return report;
}

/** How the parts that need it are measured: shown in RESULTS.md's header beside their figures. */
function methods(settings: { reminderTenants: number; reminderMembers: number; reminderThreads: number }): Record<string, string> {
  return {
    checklists: "publish timed in-process against tools/libsql-server (its counters give the round trips); the ≈100,000-task tenant is read through a server child of its own with file DBs, beside a bare route in that child; \"unloaded\" = sequential requests, one at a time; \"SQLite alone\" = the captured SQL run on the tenant's file from the bench process. Plans in the appendix below.",
    problems: "one tenant seeded by SQL after signup, read through a server child of its own (file DBs) beside its bare route; round trips counted on a copy served by tools/libsql-server to the app in-process; \"unloaded\" = sequential requests; \"SQLite alone\" = the route's SQL run on the tenant's file from the bench process; what-ifs on a scratch copy or beside the original. Plans in the appendix below.",
    "hot-path": "part 7's ≈100,000-task bureau in a server child of its own; CPU/req = the serving process's utime + stime over the measured run ÷ its requests (each child reports process.cpuUsage()); the limit baseline (bench/limit-child.ts) is node:http + the `libsql` package with prepared statements, the product's SQL captured from drizzle, HMAC token check with node:crypto, answers asserted equal to the product's.",
    memory: "the server as `npm start` runs it: build/node.js (esbuild bundle, rebuilt when stale) under plain node, REMINDERS=off, bench/product-probe.mjs preloaded to report over IPC; RSS and heap after a full GC; tenant DB files = open fds on tenants/*.db (one per connection). Tenants are copies of a migrated template with their first admin. BENCH_MEMORY_TENANTS (2,000), FILE_DB_DRIVER and TENANT_DB_CACHE apply.",
    reminders: `${settings.reminderTenants} tenants × ${settings.reminderMembers} members on Node (file DBs, ${settings.reminderThreads} worker threads as npm start runs them) into a counting smtp-server in a child process, measured; planning and composing = the median of three sweeps on three mornings, each on fresh threads; CPU = the bench process's utime + stime (threads included) over the sweep, the SMTP server's reported apart; "where a tenant's CPU goes" = the morning job on the bench's main thread, each job's process.cpuUsage() and /proc/self/io wchar, every libsql prepare/all/get/run/iterate/exec timed by statement (bench/sweep-costs.ts), 20 of the tenants first given 250 working days of sent digests; the Worker's cron and one queue message counted on tools/libsql-server.`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const report = await runBench();
  process.stdout.write(report);
  log("written to bench/RESULTS.md and bench/results/");
}
