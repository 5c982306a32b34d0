// Part 9's breakdown: where a tenant's morning spends its CPU, on whatever machine the bench runs.
// The sweep's own figure (CPU per tenant on the threads) says how much; this says where: each SQL
// statement's time, measured around libsql's own calls, against the job's whole CPU, on the bench's
// main thread (one tenant at a time, the JIT warmed by a first pass over the same tenants).
import { readFileSync } from "node:fs";
import Database from "libsql";
import { addDays, isWeekend } from "../src/calendar/days.js";
import { runReminderJob } from "../src/jobs/run-job.js";
import { digestKey } from "../src/jobs/tenant-reminders.js";
import type { NodeEnv } from "../src/config.js";
import { openLibsqlFile } from "../src/platform/node/libsql-file.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import { discardMailer } from "../src/platform/node/discard-mailer.js";
import type { Ports } from "../src/platform/ports.js";
import type { DirectTenant } from "./fixtures.js";
import { fmtInt, type Row } from "./support.js";

interface Spent {
  ms: number;
}

/** What a statement is, by its text: the reminder job's statements by name, the rest as they begin. */
const LABELS: [RegExp, string][] = [
  [/FROM tasks t JOIN checklists c/, "the due tasks (plan.ts)"],
  [/^INSERT INTO reminder_deliveries/, "the claim (deliver.ts)"],
  [/^UPDATE reminder_deliveries/, "the sent marks (deliver.ts)"],
  [/FROM "members" LEFT JOIN "notification_prefs"/, "the recipients (tenant-reminders.ts)"],
  [/^SELECT EXISTS/, "the probe (plan-morning.ts)"],
  [/from "reminder_settings"/i, "the settings"],
  [/FROM reminder_deliveries WHERE day/, "the day's sent keys"],
  [/calendar_day_overrides/, "the calendar overrides"],
  [/^(BEGIN|COMMIT|ROLLBACK|PRAGMA|SELECT 1 AS)/, "transactions, pragmas and the open probe"],
];
const labelOf = (sql: string) => LABELS.find(([re]) => re.test(sql.trim()))?.[1] ?? `other: ${sql.trim().slice(0, 40)}`;
const SCHEMA = "the schema load (each connection's first statement prepared)";

/**
 * Times libsql's prepare and its statements' all/get/run/iterate (the outermost call only: `all`
 * iterates inside) and exec, by label, until `stop()` puts the prototypes back. A connection reads and
 * parses the whole schema once (57 tables, 129 indexes): a trivial statement on sqlite_schema is
 * prepared first on each connection, so that cost is counted apart.
 */
function timeStatements() {
  /** Where the time goes now: the caller switches it between the groups it compares. */
  let spent = new Map<string, Spent>();
  const add = (label: string, ms: number) => {
    const s = spent.get(label) ?? { ms: 0 };
    s.ms += ms;
    spent.set(label, s);
  };
  const db = Database.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const { prepare, exec } = db;
  const seen = new WeakSet<object>();
  const labels = new WeakMap<object, string>();
  const restore: (() => void)[] = [() => ((db.prepare = prepare!), (db.exec = exec!))];
  let statementsTimed = false;
  let depth = 0;
  db.prepare = function (this: object, sql: unknown) {
    if (!seen.has(this)) {
      // SQLite reads the schema at the first statement that names a table (the driver's open probe names none).
      seen.add(this);
      const t0 = performance.now();
      prepare!.call(this, "SELECT 1 FROM sqlite_schema LIMIT 0");
      add(SCHEMA, performance.now() - t0);
    }
    const started = performance.now();
    const stmt = prepare!.call(this, sql) as object;
    const label = labelOf(String(sql));
    add(label, performance.now() - started);
    labels.set(stmt, label);
    if (!statementsTimed) {
      // libsql's Statement class is not exported: its prototype is reached through the first statement.
      statementsTimed = true;
      const proto = Object.getPrototypeOf(stmt) as Record<string, (...args: unknown[]) => unknown>;
      for (const name of ["all", "get", "run", "iterate"]) {
        const own = proto[name]!;
        proto[name] = function (this: object, ...args: unknown[]) {
          if (depth > 0) return own.apply(this, args);
          depth++;
          const t0 = performance.now();
          try {
            return own.apply(this, args);
          } finally {
            depth--;
            add(labels.get(this) ?? "other", performance.now() - t0);
          }
        };
        restore.push(() => (proto[name] = own));
      }
    }
    return stmt;
  };
  db.exec = function (this: object, sql: unknown) {
    const t0 = performance.now();
    try {
      return exec!.call(this, sql);
    } finally {
      add(labelOf(String(sql)), performance.now() - t0);
    }
  };
  return {
    into: (group: Map<string, Spent>) => void (spent = group),
    stop: () => restore.forEach((r) => r()),
  };
}

/** What a group of tenants' mornings cost, summed job by job. */
class Tally {
  readonly sql = new Map<string, Spent>();
  tenants = 0;
  sent = 0;
  cpuMicros = 0;
  written = 0;
  get cpuMs() {
    return this.cpuMicros / 1000 / this.tenants;
  }
  get sqlMs() {
    return [...this.sql.values()].reduce((a, b) => a + b.ms, 0) / this.tenants;
  }
  /** Bytes handed to write() and pwrite() a tenant while its job ran: the WAL frames its commits wrote. */
  get kib() {
    return this.written / 1024 / this.tenants;
  }
  ms(label: string) {
    return (this.sql.get(label)?.ms ?? 0) / this.tenants;
  }
  top(k: number) {
    return [...this.sql].sort((a, b) => b[1].ms - a[1].ms).slice(0, k).map(([label, v]) => `${label} ${(v.ms / this.tenants).toFixed(2)} ms`);
  }
}

/** Bytes this process handed to write() and pwrite() so far (Linux: /proc/self/io's wchar). */
const bytesWritten = () => Number(/^wchar: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"))?.[1] ?? Number.NaN);

/** Working days (Monday to Friday) before `day`, newest first. */
function weekdaysBefore(day: string, count: number): string[] {
  const out: string[] = [];
  for (let d = addDays(day, -1); out.length < count; d = addDays(d, -1)) if (!isWeekend(d)) out.push(d);
  return out;
}

/**
 * A year of mornings already sent (HISTORY_DAYS working days × every member), written as the job
 * writes them (digestKey, one JSON parameter a day), before `before`.
 */
async function addHistory(tenant: DirectTenant, before: string) {
  // Its own connection, closed after: the morning then opens the file cold, as a sweep does.
  const client = openLibsqlFile(tenant.locator, "thin");
  try {
    const members = (await client.execute("SELECT id FROM members WHERE status = 'active'")).rows.map((r) => r[0] as string);
    const statements = weekdaysBefore(before, HISTORY_DAYS).map((day) => ({
      sql: "INSERT INTO reminder_deliveries (key, member_id, day, status, attempts, message_id, subject, items, claimed_at, sent_at) SELECT value ->> 0, value ->> 1, ?, 'sent', 1, value ->> 2, '今日待办 2 项，逾期 1 项', 3, ?, ? FROM json_each(?)",
      args: [day, `${day}T00:00:00.000Z`, `${day}T00:00:05.000Z`, JSON.stringify(members.map((m, i) => [digestKey(day, m), m, `<${day}.${i}@bench>`]))],
    }));
    await client.batch(statements, "write");
    return members.length * statements.length;
  } finally {
    client.close();
  }
}
const HISTORY_DAYS = 250;

const CLAIM = "the claim (deliver.ts)";
const MARKS = "the sent marks (deliver.ts)";

/**
 * Where a tenant's morning spends its CPU, on this thread, mail discarded: `tenants`, and `aged` (more
 * of the same kind, given a year of digests already sent first: the delivery ledger grows every working
 * day, and the bench's fresh tenants would not show what that costs), interleaved so both meet the same
 * collections and JIT. A first morning (`warm`) is not counted; the next (`measured`) is, job by job:
 * the CPU, every libsql call, and the bytes written (a commit appends the pages it dirtied to the WAL;
 * the checkpoint writes them again when the file is freed). Returns its rows and the new tenants' CPU a
 * tenant, the one-thread figure part 9's planning row is set against.
 */
export async function sweepCostBreakdown(env: NodeEnv, tenants: DirectTenant[], aged: DirectTenant[], days: { historyBefore: string; warm: Date; measured: Date }, part: string): Promise<{ rows: Row[]; cpuMsPerTenant: number }> {
  let history = 0;
  for (const t of aged) history += await addHistory(t, days.historyBefore);
  // Each tenant opened afresh, as a sweep's thread does; a small cache, as the thread's.
  const built = await nodePorts({ ...env, TENANT_DB_CACHE: 16 }, { mailer: discardMailer });
  const ports: Ports = { ...built.ports, logger: { info: () => {}, error: (f) => console.error(f) } };
  const fresh = new Tally();
  const old = new Tally();
  // An aged tenant after every `every` fresh ones.
  const every = Math.max(1, Math.floor(tenants.length / Math.max(aged.length, 1)));
  const order: { t: DirectTenant; tally: Tally }[] = [];
  let next = 0;
  tenants.forEach((t, i) => {
    order.push({ t, tally: fresh });
    if ((i + 1) % every === 0 && next < aged.length) order.push({ t: aged[next++]!, tally: old });
  });
  try {
    for (const { t } of order) await runReminderJob(ports, { tenantId: t.id, at: days.warm.toISOString() });
    const timing = timeStatements();
    try {
      for (const { t, tally } of order) {
        timing.into(tally.sql);
        const written = bytesWritten();
        const cpu = process.cpuUsage();
        tally.sent += (await runReminderJob(ports, { tenantId: t.id, at: days.measured.toISOString() }))?.sent ?? 0;
        const used = process.cpuUsage(cpu);
        tally.cpuMicros += used.user + used.system;
        tally.written += bytesWritten() - written;
        tally.tenants++;
      }
    } finally {
      timing.stop();
    }
  } finally {
    built.close();
  }
  // Both mornings are working days on which every member is due: a sample that sent nothing measured nothing.
  for (const [name, tally] of [["new", fresh], ["aged", old]] as const) {
    if (tally.tenants > 0 && tally.sent < tally.tenants) throw new Error(`sweep-costs: the ${name} tenants sent ${tally.sent} digests in ${tally.tenants} mornings`);
  }
  const rows: Row[] = [
    {
      part,
      case: `where a tenant's CPU goes: the morning job for ${fmtInt(fresh.tenants)} of the tenants above, one at a time on the bench's main thread (JIT warmed by a first morning), every libsql call timed`,
      result: `${fresh.cpuMs.toFixed(1)} ms CPU a tenant · SQLite ${fresh.sqlMs.toFixed(1)} ms (${((100 * fresh.sqlMs) / fresh.cpuMs).toFixed(0)} %)`,
      relative: `${((fresh.cpuMicros / Math.max(fresh.sent, 1))).toFixed(0)} µs CPU per digest · the rest (${(fresh.cpuMs - fresh.sqlMs).toFixed(1)} ms): planning, composing, signing, the driver, GC`,
      note: `${fmtInt(fresh.sent)} digests; per tenant, wall time inside libsql (prepare and run): ${fresh.top(8).join(" · ")}; ${fmtInt(fresh.kib)} KiB written a tenant; the threads' sweep above costs more a tenant (two threads sharing two cores, their JIT cold, the main thread's work)`,
    },
  ];
  if (old.tenants === 0) return { rows, cpuMsPerTenant: fresh.cpuMs };
  rows.push({
    part,
    case: `the same morning after a year of mornings: ${fmtInt(old.tenants)} more of the tenants above, each with ${HISTORY_DAYS} working days of digests already in reminder_deliveries, interleaved with those`,
    result: `${old.cpuMs.toFixed(1)} ms CPU a tenant · claim ${old.ms(CLAIM).toFixed(2)} ms · marks ${old.ms(MARKS).toFixed(2)} ms · ${fmtInt(old.kib)} KiB written`,
    relative: `${(old.cpuMs / fresh.cpuMs).toFixed(2)}× the fresh tenants' CPU · claim ${(old.ms(CLAIM) / fresh.ms(CLAIM)).toFixed(2)}× · marks ${(old.ms(MARKS) / fresh.ms(MARKS)).toFixed(2)}× · writes ${(old.kib / fresh.kib).toFixed(2)}×`,
    note: `${fmtInt(history / old.tenants)} delivery rows a tenant before the morning, ${fmtInt(old.sent)} digests; keys day first (digestKey): a morning's claims are neighbours in the key's index, however long the ledger (ADR 0030); SQLite ${old.sqlMs.toFixed(1)} ms a tenant`,
  });
  return { rows, cpuMsPerTenant: fresh.cpuMs };
}
