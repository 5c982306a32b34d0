import { type Placeholder, sql } from "drizzle-orm";
import { addDays } from "../calendar/days.js";
import { localDate, offsetMinutes } from "../calendar/zoned.js";
import { memberTakes } from "../modules/exams/papers.js";
import type { PlannedItem, ProbeValues, ReminderSource } from "./plan.js";

/** Published and closing from `from` on (paper alias p): the one condition of the query and of its probe. */
const closingFrom = (from: string | Placeholder) => sql`p.status = 'published' AND p.closes_at >= ${from}`;

/** True whenever `examReminders` can plan anything (the planning's probe, plan-morning.ts). */
export const examsPossible = (p: ProbeValues) => sql`EXISTS (SELECT 1 FROM exam_papers p WHERE ${closingFrom(p.dayBefore)})`;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** "2026-12-05 17:00" in the tenant's zone. */
function localTime(iso: string, timeZone: string) {
  const instant = new Date(iso);
  const local = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return `${localDate(instant, timeZone)} ${local.toISOString().slice(11, 16)}`;
}

/**
 * 「考试将于…截止」: on a lead day before a published paper closes, each member who takes it and has
 * neither passed it nor used up their attempts hears of it in the morning digest (one query).
 */
export const examReminders: ReminderSource = async ({ db, rules, day, coveredDays: days, timeZone }) => {
  const horizon = addDays(day, Math.max(...rules.leadDays, 0) + 1);
  const rows = await db.all<{ id: string; title: string; closesAt: string; recipient: string }>(sql`
    SELECT p.id AS id, p.title AS title, p.closes_at AS closesAt, m.id AS recipient
    FROM exam_papers p JOIN members m ON m.status = 'active'
    WHERE ${closingFrom(addDays(day, -1))} AND p.closes_at < ${horizon}
      AND ${memberTakes(sql`m.id`, sql`p.branch_id`)}
      AND NOT EXISTS (SELECT 1 FROM exam_attempts a WHERE a.paper_id = p.id AND a.member_id = m.id AND a.passed = 1)
      AND (SELECT count(*) FROM exam_attempts a WHERE a.paper_id = p.id AND a.member_id = m.id) < p.attempts_allowed`);
  const items: PlannedItem[] = [];
  for (const r of rows) {
    const closeDay = localDate(new Date(r.closesAt), timeZone);
    if (closeDay < day || !days.some((d) => rules.leadDays.includes(daysBetween(d, closeDay)))) continue;
    items.push({ recipientId: r.recipient, category: "tasks", kind: "due", ref: { type: "exam", id: r.id }, title: r.title, closesAt: localTime(r.closesAt, timeZone) });
  }
  return items;
};
