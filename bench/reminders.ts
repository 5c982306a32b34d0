// Part 9: the reminder sweep (issues 7 and 19), measured at full size, not extrapolated.
//  a. Tenants made from a migrated template file (bench/fixtures.ts createTenantsFromTemplate), each
//     with 200 active members and a published 2026 checklist whose three tasks per member make every
//     member due on the sweep day (one due that day, one due in 7 days and short of its count, one
//     overdue), registered with reminder_hour 8 in Asia/Shanghai. Built once for the part (~30 s for 1,000).
//  b. On Node as `npm start` runs it: sweepReminders → tenantJobQueue on tenantJobThreads (worker
//     threads, started before the clock), four sweeps: (1) a Thursday 08:00 with mail discarded —
//     planning, composing, claims and marks; (2) the same hour again — nothing to do; (3) the next
//     morning into a counting smtp-server in a child process (bench/smtp-sink.ts) — delivery, every
//     digest exactly once, connections counted; (4) that hour again — nothing sent; then planning and
//     composing twice more on later mornings, each on fresh threads (the row is the median of three).
//     CPU: the bench process's utime + stime (its threads included); the SMTP server reports its own.
//  c. On the Worker's side, counted on tools/libsql-server: the cron (src/worker.ts scheduled():
//     failStaleProvisioning, tenantsDueAt's pages of 500, sendBatch of 100) for 1,000 registered
//     tenants, and one queue message's work (runReminderJob) for one of the tenants above, its
//     database copied onto the libSQL server before the Node sweep.
import { mkdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { createClient as createFileClient } from "@libsql/client";
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import * as controlSchema from "../src/db/control/schema.js";
import { newId } from "../src/db/ids.js";
import { applyMigrations } from "../src/db/migrate.js";
import { bundledMigrations } from "../src/db/migrations.generated.js";
import { dispatchCalendarRerolls } from "../src/jobs/calendar-reroll.js";
import { type ReminderJob, tenantsDueAt } from "../src/jobs/sweep.js";
import { runReminderJob } from "../src/jobs/run-job.js";
import type { ReminderRun } from "../src/jobs/tenant-reminders.js";
import type { RerollOutcome } from "../src/modules/calendar/reroll.js";
import { failStaleProvisioning } from "../src/modules/tenants/service.js";
import { DUMMY_PASSWORD_HASH } from "../src/platform/crypto.js";
import { databaseNameFor, httpTenantDatabases, libsqlServerProvisioner } from "../src/platform/http-tenant-databases.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import { sweepReminders, tenantJobQueue } from "../src/platform/node/reminder-queue.js";
import { type TenantJobThreads, tenantJobThreads } from "../src/platform/node/reminder-threads.js";
import type { Logger, Ports } from "../src/platform/ports.js";
import { startLibsqlServer } from "../tools/libsql-server/server.js";
import { chineseName, createTenantsFromTemplate, type DirectTenant, inserts, prng, type TenantSeeder } from "./fixtures.js";
import { deliveryOnly } from "./mail-delivery.js";
import { startSmtpSink } from "./smtp-sink.js";
import { sweepCostBreakdown } from "./sweep-costs.js";
import { benchEnv, fmtInt, log, type Row, tempDir } from "./support.js";

const PART = "9 reminders";
/** Thursday 2026-12-24, 08:00 in Shanghai: a working day, not the secretaries' summary day (Monday). */
const AT = new Date("2026-12-24T00:00:00Z");
const DAY = "2026-12-24";
/** The next morning (Friday): new digest keys, every member due again (overdue and short of a count). */
const NEXT_AT = new Date("2026-12-25T00:00:00Z");
/**
 * Two more mornings for planning and composing, each on fresh threads as sweep 1: one sweep's time on
 * this shared 2-core machine varied 10.2–15.4 s for the same code (2026-11-30), so the row reports
 * the median of three. Thursday and the next Tuesday: working days, not the secretaries' summary day,
 * every member due (overdue or due that day) as on DAY; after the delivery sweeps, before the breakdown.
 */
const MORE_PLANNING = [new Date("2026-12-31T00:00:00Z"), new Date("2027-01-05T00:00:00Z")];
/** The breakdown's sample and its two mornings (Tuesday, then Wednesday: working days after the sweeps' two); the aged tenants' year ends before the sweeps'. */
const BREAKDOWN_TENANTS = 200;
/** Tenants given a year of delivery history for the breakdown's second row (≈50,000 rows each). */
const AGED_TENANTS = 20;
const BREAKDOWN_DAYS = { historyBefore: DAY, warm: new Date("2026-12-29T00:00:00Z"), measured: new Date("2026-12-30T00:00:00Z") };
/** The issue's figure, for the Worker's cron. */
const FULL_TENANTS = 1_000;
/** sendBatch takes at most 100 messages (src/worker.ts sends 100 per call). */
const SEND_BATCH = 100;
const PAGE = 500;
/** Workers' subrequests per invocation (developers.cloudflare.com/workers/platform/limits, 2026): Free 50, Paid 10,000 (older pages: 1,000). */
const LIMITS = { free: 50, paid: 10_000 };

const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const ITEMS = [
  { module: "思想建设", title: "提交思想汇报", due: DAY, minCount: 1, done: 0 },
  { module: "服务群众", title: "参加志愿服务（不少于2次）", due: "2026-12-31", minCount: 2, done: 1 },
  { module: "学习教育", title: "撰写学习心得", due: "2026-12-15", minCount: 1, done: 0 },
];

/** 200 active members (the admin among them), a 党委 with four 支部, and three tasks each that fall due on DAY. */
export function seedBureauWithDueTasks(memberCount: number): TenantSeeder {
  return (tenant) => {
    const rand = prng(9_000 + tenant.index);
    const at = Date.parse("2026-01-05T01:00:00Z");
    const stamp = new Date(at).toISOString();
    const rootId = newId("br", at);
    const units = Array.from({ length: 4 }, (_, i) => ({ id: newId("br", at), name: `第${"一二三四"[i]}党支部` }));
    const branchRows = [[rootId, "机关党委", "party_committee", null, `/${rootId}/`, 0, null, 0, stamp, stamp], ...units.map((u, i) => [u.id, u.name, "branch", rootId, `/${rootId}/${u.id}/`, 1, null, i, stamp, stamp])];
    const memberRows: unknown[][] = [[tenant.adminId, `admin@${tenant.slug}.example.cn`, "王局长", "admin", "active", rootId, null, DUMMY_PASSWORD_HASH, null, "zh-CN", stamp, stamp, null]];
    for (let i = 1; i < memberCount; i++) {
      const { name, pinyin } = chineseName(rand);
      memberRows.push([newId("mem", at), `${pinyin}.${String(i).padStart(3, "0")}@${tenant.slug}.example.cn`, name, "member", "active", units[i % units.length]!.id, null, DUMMY_PASSWORD_HASH, null, rand() < 0.05 ? "en" : null, stamp, stamp, null]);
    }
    const checklistId = newId("cl", at);
    const items = ITEMS.map((item, i) => ({ ...item, id: newId("itm", at), sort: i }));
    const itemRows = items.map((it) => [it.id, checklistId, it.module, it.title, null, null, it.due, "next", "all", JSON.stringify([{ type: "each_member" }]), it.minCount, 3, 2, 0, 0, 0, it.sort, null, stamp, stamp]);
    const taskRows: unknown[][] = [];
    const assigneeRows: unknown[][] = [];
    for (const member of memberRows) {
      for (const it of items) {
        const taskId = newId("tsk", at);
        taskRows.push([taskId, checklistId, it.id, `member:${member[0]}`, it.module, it.title, "2026-01-01", it.due, it.due, "open", it.done, it.minCount, 0, 0, stamp, stamp]);
        assigneeRows.push([taskId, member[0], null]);
      }
    }
    return [
      ...inserts("branches", ["id", "name", "kind", "parent_id", "path", "depth", "secretary_id", "sort_order", "created_at", "updated_at"], branchRows),
      ...inserts("members", ["id", "email", "name", "role", "status", "branch_id", "second_branch_id", "password_hash", "phone", "locale", "created_at", "updated_at", "last_login_at"], memberRows),
      { sql: "INSERT INTO checklists (id, title, kind, year, branch_id, description, status, published_at, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", args: [checklistId, "2026年度党建工作清单", "party_affairs", 2026, rootId, null, "published", stamp, tenant.adminId, stamp, stamp] as never[] },
      ...inserts("checklist_items", ["id", "checklist_id", "module", "title", "guidance", "recurrence", "due_date", "roll_policy", "assignee_mode", "assignees", "min_count", "points", "late_points", "return_penalty", "evidence_required", "review_required", "sort_order", "archived_at", "created_at", "updated_at"], itemRows),
      ...inserts("tasks", ["id", "checklist_id", "item_id", "assignee_key", "module", "title", "period_start", "nominal_date", "due_date", "state", "done_count", "min_count", "evidence_required", "review_required", "created_at", "updated_at"], taskRows),
      ...inserts("task_assignees", ["task_id", "member_id", "branch_id"], assigneeRows),
    ];
  };
}

/** What runReminderJob and runCalendarRerollJob log per tenant, gathered (the logger is the only place a queued job's outcome shows). */
function runsLogger() {
  const runs: ReminderRun[] = [];
  const rerolls: RerollOutcome[] = [];
  const errors: Record<string, unknown>[] = [];
  const logger: Logger = {
    info: (fields) => {
      if (fields.msg === "reminders") runs.push(fields as unknown as ReminderRun);
      else if (fields.msg === "calendar re-roll") rerolls.push(fields as unknown as RerollOutcome);
    },
    error: (fields) => void errors.push(fields),
  };
  return { logger, runs, rerolls, errors, reset: () => (runs.splice(0), rerolls.splice(0), errors.splice(0)) };
}

const sum = (runs: ReminderRun[], key: "planned" | "sent" | "alreadySent" | "inProgress" | "failed") => runs.reduce((s, r) => s + r[key], 0);

/** The queue consumer's batch size, read from wrangler.toml (10 when absent there). */
function consumerBatchSize(): number {
  try {
    const toml = readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8");
    return Number(/^\s*max_batch_size\s*=\s*(\d+)/m.exec(toml)?.[1] ?? 10);
  } catch {
    return 10;
  }
}

/** scheduled()'s subrequests for n tenants all due in one hour, by its code path: see cronOnLibsql for the measured ones. */
export function cronSubrequests(n: number) {
  const pages = Math.ceil(n / PAGE) + 1; // tenantsDueAt stops only at an empty page
  let sendBatches = 0;
  for (let left = n; left > 0; left -= PAGE) sendBatches += Math.ceil(Math.min(PAGE, left) / SEND_BATCH);
  return { controlRequests: 1 + pages, sendBatches, total: 1 + pages + sendBatches };
}

export async function remindersBench(settings: { tenants: number; members: number; threads: number }): Promise<Row[]> {
  const { tenants: count, members, threads } = settings;
  const dir = tempDir("reminders");
  const sink = await startSmtpSink();
  const gathered = runsLogger();
  // FILE_DB_DRIVER=stock measures the sweep on @libsql/client's file driver (default: the server's default, thin).
  const driver = process.env.FILE_DB_DRIVER;
  const env = parseEnv(nodeEnvSchema, benchEnv(dir.path, { SMTP_URL: sink.url, MAIL_FROM: "qingdan <noreply@qingdan.test>", ...(driver ? { FILE_DB_DRIVER: driver } : {}) }));
  const built = await nodePorts(env);
  const ports: Ports = { ...built.ports, logger: gathered.logger };
  const authToken = "bench-libsql-token";
  try {
    // a. The tenants, built once for the whole part.
    let t0 = performance.now();
    const made = await createTenantsFromTemplate(ports.control, dir.path, count, seedBureauWithDueTasks(members), (done) => done % 1000 === 0 && log(`  ${fmtInt(done)} tenants`));
    const buildMs = performance.now() - t0;
    log(`reminders: ${fmtInt(count)} tenants × ${members} members made in ${fmtS(buildMs)}`);
    // One tenant copied for the Worker-side count (c), before the Node sweep marks its digests sent.
    const sample = made[0]!;
    const libsqlDir = join(dir.path, "libsql");
    mkdirSync(libsqlDir, { recursive: true });
    const source = createFileClient({ url: sample.locator });
    await source.execute({ sql: "VACUUM INTO ?", args: [join(libsqlDir, `${databaseNameFor(sample.id)}.db`)] });
    source.close();

    // b. The sweep on Node as `npm start` runs it (sweepReminders → tenantJobQueue on worker threads),
    // four times: without SMTP (planning, composing, claims and marks), again (nothing to do), the next
    // morning into the SMTP sink (delivery), and that again.
    const expected = count * members;
    // Threads started (and their ports opened) before the clock starts, as a running server has them.
    const pools = { discard: tenantJobThreads(env, gathered.logger, threads, { mail: "discard" }), env: tenantJobThreads(env, gathered.logger, threads) };
    // One queued run, timed: wall clock, the bench process's CPU (its threads included), load before and after.
    const timed = async (pool: TenantJobThreads, enqueue: (queue: ReturnType<typeof tenantJobQueue>) => Promise<number>) => {
      gathered.reset();
      await pool.ready();
      const queue = tenantJobQueue(ports, { threads: { ...pool, size: threads } });
      const load = loadavg()[0]!;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const enqueued = await enqueue(queue);
      await queue.drained();
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      return { ms, enqueued, cpuMicros: used.user + used.system, load: [load, loadavg()[0]!], errors: [...gathered.errors] };
    };
    const sweep = async (at: Date, mail: "env" | "discard") => {
      const sinkBefore = await sink.stats();
      const run = await timed(pools[mail], (queue) => sweepReminders(ports, queue, at));
      return { ...run, runs: [...gathered.runs], rerolls: gathered.rerolls.length, sink: await sink.stats(), sinkBefore };
    };
    // The national calendar's years seeded with the control database count as imported since the last
    // sweep, so the first sweep would also queue one calendar re-roll per tenant (dispatchCalendarRerolls,
    // once a year in service). They are their own job: timed here, before sweep 1 and on threads of their
    // own, so that sweep 1 times planning and composing alone, on threads whose JIT is still cold.
    log(`reminders: calendar re-roll (${fmtInt(count)} tenants, ${threads} threads)`);
    const rerollThreads = tenantJobThreads(env, gathered.logger, threads, { mail: "discard" });
    const rerolled = { ...(await timed(rerollThreads, (queue) => dispatchCalendarRerolls(ports.control, AT, (jobs) => queue.enqueue(jobs)))), outcomes: [...gathered.rerolls] };
    await rerollThreads.close();
    log(`reminders: ${fmtS(rerolled.ms)}; sweep 1 without SMTP (${fmtInt(count)} tenants, ${fmtInt(expected)} digests, ${threads} threads)`);
    const composed = await sweep(AT, "discard");
    log(`reminders: ${fmtS(composed.ms)}; sweep 2 (same hour, nothing to do)`);
    const idle = await sweep(AT, "discard");
    log(`reminders: ${fmtS(idle.ms)}; sweep 3 (next morning, into the SMTP sink)`);
    const delivered = await sweep(NEXT_AT, "env");
    log(`reminders: ${fmtS(delivered.ms)}; sweep 4 (same hour again)`);
    const again = await sweep(NEXT_AT, "env");
    log(`reminders: ${fmtS(again.ms)}`);
    await Promise.all([pools.discard.close(), pools.env.close()]);
    const planning = [composed];
    for (const at of MORE_PLANNING) {
      log(`reminders: planning and composing again, ${at.toISOString().slice(0, 10)} (fresh threads)`);
      pools.discard = tenantJobThreads(env, gathered.logger, threads, { mail: "discard" });
      planning.push(await sweep(at, "discard"));
      await pools.discard.close();
      log(`reminders: ${fmtS(planning.at(-1)!.ms)}`);
    }
    // The median sweep by wall time, its CPU with it.
    const median = [...planning].sort((a, b) => a.ms - b.ms)[1]!;
    // Where a tenant's CPU goes (bench/sweep-costs.ts): a sample of the same tenants, two mornings more.
    log(`reminders: where a tenant's CPU goes (${fmtInt(Math.min(BREAKDOWN_TENANTS, count))} tenants, one thread; ${AGED_TENANTS} more with a year of deliveries)`);
    const { rows: costs, cpuMsPerTenant: oneThreadMs } = await sweepCostBreakdown(env, made.slice(0, BREAKDOWN_TENANTS), made.slice(BREAKDOWN_TENANTS, BREAKDOWN_TENANTS + AGED_TENANTS), BREAKDOWN_DAYS, PART);

    const problems: string[] = [];
    if (rerolled.enqueued !== count || rerolled.outcomes.length !== count || rerolled.errors.length) {
      problems.push(`calendar re-roll: ${rerolled.enqueued} enqueued, ${rerolled.outcomes.length} ran of ${count} tenants, ${rerolled.errors.length} errors (${JSON.stringify(rerolled.errors[0] ?? null)})`);
    }
    const check = (name: string, r: typeof composed, want: { sent: number; already: number }) => {
      if (r.enqueued !== count) problems.push(`${name} enqueued ${r.enqueued} of ${count} tenants`);
      if (r.rerolls) problems.push(`${name} ran ${r.rerolls} calendar re-rolls as well`);
      if (r.runs.length !== count) problems.push(`${name} ran ${r.runs.length} of ${count} jobs`);
      if (sum(r.runs, "sent") !== want.sent || sum(r.runs, "alreadySent") !== want.already || sum(r.runs, "failed") || r.errors.length) {
        problems.push(`${name}: ${sum(r.runs, "sent")} sent, ${sum(r.runs, "alreadySent")} already sent, ${sum(r.runs, "failed")} failed, ${r.errors.length} errors (${JSON.stringify(r.errors[0] ?? null)})`);
      }
    };
    check("sweep 1", composed, { sent: expected, already: 0 });
    check("sweep 2", idle, { sent: 0, already: expected });
    check("sweep 3", delivered, { sent: expected, already: 0 });
    check("sweep 4", again, { sent: 0, already: expected });
    planning.slice(1).forEach((r, i) => check(`planning sweep ${i + 2}`, r, { sent: expected, already: 0 }));
    const s3 = delivered.sink;
    const got = s3.messages - delivered.sinkBefore.messages;
    if (delivered.sinkBefore.messages !== 0 || got !== expected || s3.uniqueMessageIds !== expected || s3.recipients !== expected || s3.duplicateMessageIds || s3.recipientsWithMore || s3.withoutMessageId) {
      problems.push(`the SMTP server got ${got} messages, ${s3.uniqueMessageIds} distinct Message-IDs, ${s3.recipients} recipients (${s3.recipientsWithMore} with more than one), expected ${expected}`);
    }
    if (again.sink.messages !== s3.messages) problems.push(`sweep 4 delivered ${again.sink.messages - s3.messages} more messages`);
    if (problems.length) throw new Error(problems.join("; "));

    const perS = (n: number, ms: number) => fmtInt(n / (ms / 1000));
    const connections = s3.connections - delivered.sinkBefore.connections;
    const sinkCpu = s3.cpuMicros - delivered.sinkBefore.cpuMicros;
    const loads = (r: { load: number[] }) => `load ${r.load[0]!.toFixed(1)} → ${r.load[1]!.toFixed(1)}`;
    const label = `${fmtInt(count)} tenants × ${members} members`;
    // The median sweep's CPU a tenant, and what 10 s would allow at the cores it kept busy, each against
    // one warm thread's in the same run (the machine's two-core penalty, ADR 0025).
    const sweepMs = median.cpuMicros / 1000 / count;
    const allowedMs = (10_000 * sweepMs) / median.ms;
    return [
      {
        part: PART,
        case: `build ${fmtInt(count)} tenant DB files × ${members} members (template copy + one SQL batch each)`,
        result: `${fmtS(buildMs)} · ${perS(count, buildMs)} tenants/s`,
        relative: "–",
        note: `each: ${members} active members (the admin among them, 5% locale en), a published checklist, ${ITEMS.length} tasks per member due on ${DAY} or overdue (${fmtInt(count * members * ITEMS.length)} tasks in all); registered active, reminder_hour 8, Asia/Shanghai`,
      },
      {
        part: PART,
        case: `Node calendar re-roll after a year's import: ${label}, ${threads} worker threads (dispatchCalendarRerolls + tenantJobQueue on tenantJobThreads)`,
        result: `${fmtS(rerolled.ms)} · ${(rerolled.ms / count).toFixed(1)} ms per tenant`,
        relative: `${(rerolled.cpuMicros / 1000 / count).toFixed(1)} ms CPU per tenant (${(rerolled.cpuMicros / 1000 / rerolled.ms).toFixed(2)} cores busy)`,
        note: `one job per tenant, as the first sweep after the State Council's calendar is imported queues them (here the years seeded with the control database); ${fmtInt(rerolled.outcomes.reduce((n, o) => n + o.tasksMoved + o.tasksAdded + o.tasksRemoved + o.problemsMoved, 0))} tasks or problems moved, added or removed, ${fmtInt(rerolled.outcomes.reduce((n, o) => n + o.tasksConfirmed + o.problemsConfirmed, 0))} confirmed; run before sweep 1 on threads of its own (until 2026-11-30 sweep 1 ran these too, ~2.8 s of its time); ${loads(rerolled)}`,
      },
      {
        part: PART,
        case: `Node sweep, planning and composing: ${label}, ${threads} worker threads (sweepReminders + tenantJobQueue on tenantJobThreads; mail counted sent and discarded; FILE_DB_DRIVER=${env.FILE_DB_DRIVER})`,
        result: `${fmtS(median.ms)} (median of 3: ${planning.map((r) => fmtS(r.ms)).join(", ")}) · ${perS(expected, median.ms)} digests/s`,
        relative: `goal ≤ 10 s: ${median.ms <= 10_000 ? "met" : "not met"} · ${(median.cpuMicros / expected).toFixed(0)} µs CPU per digest, ${(median.cpuMicros / 1000 / count).toFixed(1)} ms per tenant (${(median.cpuMicros / 1000 / median.ms).toFixed(2)} cores busy; the three: ${planning.map((r) => (r.cpuMicros / 1000 / count).toFixed(1)).join(", ")} ms per tenant) · ${(sweepMs / oneThreadMs).toFixed(2)}× the warm one-thread CPU a tenant below (same run); 10 s at these cores busy allows ${allowedMs.toFixed(1)} ms a tenant, ${(allowedMs / oneThreadMs).toFixed(2)}× it`,
        note: `each sweep ${fmtInt(expected)} digests planned, composed (unsubscribe link signed, text + HTML) and claimed then marked sent, each tenant one claiming INSERT … SELECT and one marking UPDATE … FROM, their rows one JSON parameter (json_each); mornings ${[AT, ...MORE_PLANNING].map((d) => d.toISOString().slice(0, 10)).join(", ")}, each on fresh threads (their JIT cold, as every hourly sweep's); the first is each tenant's first morning, its file last opened by its re-roll; ${planning.map(loads).join("; ")} (1 min)`,
      },
      {
        part: PART,
        case: `Node sweep again, same hour: nothing to do`,
        result: `${fmtS(idle.ms)} · ${(idle.ms / count).toFixed(1)} ms per tenant`,
        relative: `${(idle.cpuMicros / 1000 / count).toFixed(1)} ms CPU per tenant`,
        note: `${fmtInt(sum(idle.runs, "alreadySent"))} already sent: the day's sent keys are read in the planning's first round trip, so nothing is composed, signed or claimed again; ${loads(idle)}`,
      },
      ...costs,
      {
        part: PART,
        case: `Node sweep into smtp-server: the next morning, ${label}, ${threads} worker threads, one prebuilt MIME string a digest over nodemailer's SMTPConnection (smtpMailer: a kept connection per tenant being sent, ≤ 5 a thread, no message cap)`,
        result: `${fmtS(delivered.ms)} · ${perS(expected, delivered.ms)} emails/s`,
        relative: `goal ≥ 3,000 emails/s: ${expected / (delivered.ms / 1000) >= 3000 ? "met" : "not met"} · ${(delivered.cpuMicros / expected).toFixed(0)} µs CPU per email in the sweep's process + ${(sinkCpu / expected).toFixed(0)} in the SMTP server's`,
        note: `exactly once: ${fmtInt(got)} messages for ${fmtInt(expected)} members, ${fmtInt(s3.uniqueMessageIds)} distinct Message-IDs, ${fmtInt(s3.recipients)} distinct recipients, 0 duplicates (${fmtInt(s3.bytes / s3.messages)} bytes each); ${fmtInt(connections)} SMTP connections for ${fmtInt(got)} messages; planning and composing included (the sweep end to end); ${loads(delivered)}; the same sweep again sent nothing (${fmtS(again.ms)})`,
      },
      // Sending alone (bench/mail-delivery.ts, owned with the mailer): BENCH_DELIVERY_EMAILS prebuilt digests, default min(40,000, the sweep's).
      await deliveryOnly(sink, { emails: Number(process.env.BENCH_DELIVERY_EMAILS ?? Math.min(40_000, expected)), members, sessions: 4 }),
    ].concat(await workerSide(libsqlDir, authToken, built.ports, sample, members));
  } finally {
    built.close();
    await sink.close();
    dir.remove();
  }
}

async function workerSide(libsqlDir: string, authToken: string, base: Ports, sample: DirectTenant, members: number): Promise<Row[]> {
  const libsql = await startLibsqlServer({ dataDir: libsqlDir, port: 0, authToken });
  const setup = createClient({ url: libsql.databaseUrl("control"), authToken });
  const cold = createClient({ url: libsql.databaseUrl("control"), authToken });
  try {
    libsql.createDatabase("control");
    await applyMigrations(setup, bundledMigrations.control);
    // 1,000 registered tenants, all with their send hour at AT: the sampled tenant (on this server) and 999 more.
    const stamp = AT.toISOString();
    const registry = [
      { id: sample.id, slug: sample.slug, dbLocator: libsql.databaseUrl(databaseNameFor(sample.id)) },
      ...Array.from({ length: FULL_TENANTS - 1 }, (_, i) => {
        const id = newId("ten", AT.getTime() - 86_400_000 + i);
        return { id, slug: `cron-${String(i).padStart(4, "0")}`, dbLocator: libsql.databaseUrl(databaseNameFor(id)) };
      }),
    ].map((t, i) => ({ ...t, name: `某市第${i + 1}局`, status: "active" as const, timezone: "Asia/Shanghai", locale: "zh-CN", schemaVersion: bundledMigrations.tenant.length, reminderHour: 8, provisioningError: null, createdAt: stamp, updatedAt: stamp }));
    const setupDb = drizzle(setup, { schema: controlSchema });
    for (let i = 0; i < registry.length; i += 200) await setupDb.insert(controlSchema.tenants).values(registry.slice(i, i + 200));

    // The cron, as src/worker.ts scheduled() runs it (that module imports cloudflare:sockets and cannot load in Node):
    // a fresh isolate's control client applies the control migrations once, then failStaleProvisioning,
    // then a sendBatch of ≤ 100 per slice of each page tenantsDueAt yields.
    const control = drizzle(cold, { schema: controlSchema });
    const ports: Ports = { ...base, control, tenantDatabases: httpTenantDatabases({ authToken, provisioner: libsqlServerProvisioner(libsql.url, authToken) }) };
    libsql.resetCounts();
    await applyMigrations(cold, bundledMigrations.control);
    const coldStart = libsql.requestCount("control");
    libsql.resetCounts();
    const stale = await failStaleProvisioning(ports, AT);
    const staleRequests = libsql.requestCount("control");
    libsql.resetCounts();
    let sendBatches = 0;
    let messages = 0;
    let pages = 0;
    const sendBatch = async (batch: { body: ReminderJob }[]) => {
      if (batch.length > SEND_BATCH) throw new Error(`sendBatch of ${batch.length} > ${SEND_BATCH}`);
      sendBatches++;
      messages += batch.length;
    };
    for await (const page of tenantsDueAt(control, AT)) {
      pages++;
      for (let i = 0; i < page.length; i += SEND_BATCH) await sendBatch(page.slice(i, i + SEND_BATCH).map((t) => ({ body: { tenantId: t.id, at: AT.toISOString() } })));
    }
    const pageRequests = libsql.requestCount("control");
    if (messages !== FULL_TENANTS || stale !== 0) throw new Error(`the cron queued ${messages} of ${FULL_TENANTS} tenants (${stale} stale provisioning failed)`);
    const formula = cronSubrequests(FULL_TENANTS);
    const measured = staleRequests + pageRequests + sendBatches;
    if (measured !== formula.total) log(`reminders: cron measured ${measured} subrequests, the formula says ${formula.total}`);
    let freeCeiling = FULL_TENANTS;
    while (cronSubrequests(freeCeiling + 1).total + coldStart <= LIMITS.free) freeCeiling++;
    while (cronSubrequests(freeCeiling).total + coldStart > LIMITS.free) freeCeiling--;

    // One queue message: runReminderJob for the sampled tenant, its database on this server, sends counted.
    let sends = 0;
    const consumer: Ports = { ...ports, mailer: { send: async () => ((sends += 1), { messageId: "<bench@local>" }) }, logger: { info: () => {}, error: () => {} } };
    const name = databaseNameFor(sample.id);
    libsql.resetCounts();
    const run = await runReminderJob(consumer, { tenantId: sample.id, at: AT.toISOString() });
    const job = { tenant: libsql.requestCount(name), control: libsql.requestCount("control"), sends };
    libsql.resetCounts();
    sends = 0;
    const again = await runReminderJob(consumer, { tenantId: sample.id, at: AT.toISOString() });
    const redelivery = { tenant: libsql.requestCount(name), control: libsql.requestCount("control"), sends };
    if (run?.sent !== members || again?.alreadySent !== members || redelivery.sends !== 0) throw new Error(`the queued job sent ${run?.sent} (then ${again?.sent}, ${again?.alreadySent} already sent) for ${members} members`);
    const perMessage = job.tenant + job.control;
    const batch = consumerBatchSize();
    log(`reminders: cron ${measured} subrequests for ${FULL_TENANTS} tenants; one job ${job.tenant} tenant + ${job.control} control requests, ${job.sends} sends`);

    return [
      {
        part: PART,
        case: `Worker cron for ${fmtInt(FULL_TENANTS)} tenants due at 08:00 Asia/Shanghai (scheduled(): control DB over HTTP + REMINDERS.sendBatch)`,
        result: `${measured} subrequests: ${staleRequests + pageRequests} control-DB requests + ${sendBatches} sendBatch calls (${fmtInt(messages)} messages)`,
        relative: `limits per invocation: Free ${LIMITS.free} · Paid ${fmtInt(LIMITS.paid)} (1,000 on older pages); +${coldStart} on a cold isolate (control migrations)`,
        note: `measured with tools/libsql-server's counters: failStaleProvisioning ${staleRequests}, tenantsDueAt ${pageRequests} for ${pages} pages of ≤ ${PAGE} (it stops only at an empty page: one request more than the pages); sendBatch ${SEND_BATCH} per call, counted as subrequests (a call to a Cloudflare service); the loop replayed from src/worker.ts (it imports cloudflare:sockets, not loadable in Node); by the same path n tenants due in one hour cost 2 + ⌈n/500⌉ + ⌈n/100⌉ (per page), so the Free plan's ${LIMITS.free} last to ≈${fmtInt(freeCeiling)} tenants in one hour (with a cold start)`,
      },
      {
        part: PART,
        case: `Worker queue consumer: one message = one tenant of ${members} members (runReminderJob, tenant DB over HTTP)`,
        result: `${job.tenant} tenant-DB requests + ${job.control} control + ${job.sends} SMTP sends`,
        relative: `${perMessage} DB subrequests per message${job.tenant + job.control > LIMITS.free ? ` ⚠ > Free plan's ${LIMITS.free}` : ""}; max_batch_size ${batch} → up to ${fmtInt(perMessage * batch)} per invocation${perMessage * batch > LIMITS.paid ? ` ⚠ > Paid ${fmtInt(LIMITS.paid)}` : ""}, plus one SMTP conversation per message (worker-mailer session)`,
        note: `one claiming INSERT and sent marks as one UPDATE … FROM json_each (every 20 when the relay is slow; deliverAll), the rest planning: the count does not grow with the members, ${job.sends} emails over one worker-mailer connection (openSession); a redelivered message sends 0 and costs ${redelivery.tenant} tenant + ${redelivery.control} control requests; the runtime's figures, not workerd's: requests counted at the libSQL server`,
      },
    ];
  } finally {
    setup.close();
    cold.close();
    await libsql.close();
  }
}
