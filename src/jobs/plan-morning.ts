import type { Row } from "@libsql/client";
import { sql } from "drizzle-orm";
import { overrideRows, overridesStatement } from "../calendar/tenant.js";
import { addDays } from "../calendar/days.js";
import { clientOf } from "../db/batch.js";
import type { TenantDb } from "../db/tenant/index.js";
import { expiredAttempt } from "../modules/exams/attempts.js";
import { abandonedBefore, abandonedCutoff } from "../modules/files/service.js";
import { monthOfDate } from "../modules/worklogs/month.js";
import { PROBE_VALUES, reminderSources } from "./plan.js";
import { jsonRows, onceSql } from "../db/once-sql.js";
import { reminderSettingsRows, reminderSettingsStatement } from "./settings.js";

/** What the morning job learns of a tenant in its first round trip. */
export interface Morning {
  settings: ReturnType<typeof reminderSettingsRows>;
  overrides: ReturnType<typeof overrideRows>;
  /** The day's keys already marked sent (empty unless asked for). */
  sentKeys: Set<string>;
  /** Per entry of `reminderSources`: false when its own query would return nothing today. */
  sources: boolean[];
  /** Whether the daily cleanups have anything to do (run-job.ts). */
  abandonedFiles: boolean;
  expiredAttempts: boolean;
}

const probed = reminderSources.flatMap((s, i) => (s.possible ? [{ i, possible: s.possible }] : []));

/**
 * One row of flags: which sources, and which of the job's cleanups, can have anything today. Each
 * flag is an EXISTS on the source's own table with a condition its query implies (the same SQL
 * fragment, exported beside the query), so a source is skipped only when it would have planned
 * nothing. A tenant with tasks alone then runs 3 statements instead of ~25 (issue 19).
 */
const probeStatement = onceSql<{ day: string; dayBefore: string; month: string; now: string; cutoff: string }>(
  () => sql`SELECT ${sql.join([...probed.map((s) => s.possible(PROBE_VALUES)), sql`EXISTS (SELECT 1 FROM files WHERE ${abandonedBefore(sql.placeholder("cutoff"))})`, sql`EXISTS (SELECT 1 FROM exam_attempts a WHERE ${expiredAttempt(sql.placeholder("now"))})`], sql`, `)}`,
);

const sentStatement = onceSql<{ day: string }>(() => sql`SELECT json_group_array(key) FROM reminder_deliveries WHERE day = ${sql.placeholder("day")} AND status = 'sent'`);

const flag = (v: unknown) => Number(v) !== 0;

/**
 * The settings, the tenant's own calendar days, (with `skipSent`) the day's sent keys, and the probe:
 * one batch, one round trip on either runtime. `now` is the job's instant (the cleanups' cutoffs).
 */
export async function readMorning(db: TenantDb, day: string, now: Date, options: { skipSent?: boolean } = {}): Promise<Morning> {
  const statements = [
    reminderSettingsStatement({}),
    overridesStatement({}),
    probeStatement({ day, dayBefore: addDays(day, -1), month: monthOfDate(day), now: now.toISOString(), cutoff: abandonedCutoff(now) }),
    ...(options.skipSent ? [sentStatement({ day })] : []),
  ];
  const [settings, overrides, probe, sent] = await clientOf(db).batch(statements);
  const flags = probe!.rows[0] as Row;
  const sources = reminderSources.map(() => true);
  probed.forEach((s, k) => (sources[s.i] = flag(flags[k])));
  return {
    settings: reminderSettingsRows(settings!.rows),
    overrides: overrideRows(overrides!.rows),
    sentKeys: new Set(jsonRows<string>(sent)),
    sources,
    abandonedFiles: flag(flags[probed.length]),
    expiredAttempts: flag(flags[probed.length + 1]),
  };
}

/** After something changed the tenant's data under the probe (expired attempts scored): every source runs. */
export const everySource = (morning: Morning): Morning => ({ ...morning, sources: morning.sources.map(() => true) });
