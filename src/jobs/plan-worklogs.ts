import { type Placeholder, sql } from "drizzle-orm";
import { addDays } from "../calendar/days.js";
import { leaderOf } from "../modules/worklogs/leaders.js";
import { firstOf, lastWorkingDayOf, monthOfDate } from "../modules/worklogs/month.js";
import type { PlannedItem, ProbeValues, ReminderSource } from "./plan.js";

// Each of the three reads' own condition, shared with the probe.
const remindMissing = sql`EXISTS (SELECT 1 FROM worklog_settings s WHERE s.id = 1 AND s.remind_missing = 1)`;
const awaitingScore = sql`r.summary_at IS NOT NULL AND r.score IS NULL`;
const writtenIn = (month: string | Placeholder) => sql`r.month = ${month} AND r.days_written > 0`;

/** True whenever `worklogReminders` can plan anything (the planning's probe, plan-morning.ts). */
export const worklogsPossible = (p: ProbeValues) =>
  sql`(${remindMissing} OR EXISTS (SELECT 1 FROM worklog_months r WHERE ${awaitingScore}) OR EXISTS (SELECT 1 FROM worklog_months r WHERE ${writtenIn(p.month)}))`;

/**
 * 电子日志 in the morning digest, in one round trip:
 * - 「昨日日志未填写」: the previous working day without a day written (work or leave), only where the
 *   bureau turned it on (worklog_settings.remind_missing; off by default);
 * - 「待打分」: to each 分管领导, the summaries waiting for their score in a month not yet closed;
 * - 「待点评」: on the month's last working day, to each leader, how many of their team's days this
 *   month have no 点评 yet (one line, not one a day).
 */
export const worklogReminders: ReminderSource = async ({ db, day, calendar }) => {
  let previous = addDays(day, -1);
  for (let i = 0; i < 30 && !calendar.isWorkingDay(previous); i++) previous = addDays(previous, -1);
  const month = monthOfDate(day);
  const monthEnd = lastWorkingDayOf(calendar, month) === day;
  const [missing, toScore, toReview] = await db.batch([
    db.all<{ id: string }>(sql`
      SELECT m.id AS id FROM members m
      WHERE m.status = 'active' AND ${remindMissing}
        AND NOT EXISTS (SELECT 1 FROM worklog_entries e WHERE e.member_id = m.id AND e.date = ${previous})`),
    db.all<{ leader: string | null; month: string; name: string; memberId: string }>(sql`
      SELECT ${leaderOf("m")} AS leader, r.month AS month, m.name AS name, m.id AS memberId
      FROM worklog_months r JOIN members m ON m.id = r.member_id
      WHERE ${awaitingScore} AND m.status = 'active'
        AND r.month NOT IN (SELECT month FROM worklog_closed_months)`),
    monthEnd
      ? // From the rollups (a row a member), not a scan of the month's entries: written days less those with a 点评.
        db.all<{ leader: string | null; days: number }>(sql`
          SELECT ${leaderOf("m")} AS leader, sum(r.days_written - (SELECT count(DISTINCT c.entry_id) FROM worklog_comments c JOIN worklog_entries e ON e.id = c.entry_id
              WHERE c.member_id = m.id AND c.kind = 'review' AND e.date BETWEEN ${firstOf(month)} AND ${day})) AS days
          FROM worklog_months r JOIN members m ON m.id = r.member_id
          WHERE ${writtenIn(month)} AND m.status = 'active'
          GROUP BY leader`)
      : db.all<{ leader: string | null; days: number }>(sql`SELECT NULL AS leader, 0 AS days WHERE 0`),
  ]);
  const items: PlannedItem[] = [];
  for (const m of missing) items.push({ recipientId: m.id, category: "worklog", kind: "log_missing", ref: { type: "log_day", id: previous }, title: previous });
  for (const r of toScore) if (r.leader) items.push({ recipientId: r.leader, category: "worklog", kind: "log_score", ref: { type: "log_month", id: r.month }, title: r.month, who: r.name });
  for (const r of toReview) if (r.leader && Number(r.days) > 0) items.push({ recipientId: r.leader, category: "worklog", kind: "log_review", ref: { type: "log_team", id: month }, title: month, progress: String(r.days) });
  return items;
};
