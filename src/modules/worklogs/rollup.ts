import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant/index.js";
import { firstOf, lastOf } from "./month.js";

/**
 * The member-month rollup, recounted from the month's (at most 31) entries by the same batch that
 * writes one, so it is right however the day was written, edited or corrected; reports read only
 * rollups and never scan a year of entries. A day counts as written when its current content (the
 * latest correction, else the entry) is `work` and it falls on one of the month's working days.
 */
export function rollupWrite(db: TenantDb, memberId: string, month: string, workingDates: string[], stamp: string) {
  const dates = workingDates.length ? sql.join(workingDates.map((d) => sql`${d}`), sql`, `) : sql`NULL`;
  return db.run(sql`
    INSERT INTO worklog_months (member_id, month, days_written, leave_days, working_days, updated_at)
    SELECT ${memberId}, ${month}, coalesce(sum(k = 'work' AND d IN (${dates})), 0), coalesce(sum(k = 'leave' AND d IN (${dates})), 0), ${workingDates.length}, ${stamp}
    FROM (SELECT e.date AS d, coalesce((SELECT c.kind FROM worklog_corrections c WHERE c.entry_id = e.id ORDER BY c.seq DESC LIMIT 1), e.kind) AS k
          FROM worklog_entries e WHERE e.member_id = ${memberId} AND e.date BETWEEN ${firstOf(month)} AND ${lastOf(month)}) WHERE true
    ON CONFLICT (member_id, month) DO UPDATE SET days_written = excluded.days_written, leave_days = excluded.leave_days, working_days = excluded.working_days, updated_at = excluded.updated_at`);
}
