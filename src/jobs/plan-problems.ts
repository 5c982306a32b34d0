import { sql } from "drizzle-orm";
import { localDate } from "../calendar/zoned.js";
import type { IssueStatus } from "../db/tenant/schema.js";
import { isUnacknowledged, UNRESOLVED_SQL } from "../modules/issues/statuses.js";
import type { PlannedItem, ReminderSource } from "./plan.js";

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * 吹哨报到 clocks: the handler hears of acknowledge-by and resolve-by deadlines on the lead days and
 * every day they are overdue; once a problem is `escalateAfterDays` overdue, its supervisor and the
 * project's road chief hear of it (有人督) on that day.
 */
export const problemReminders: ReminderSource = async ({ db, rules, day, coveredDays: days, timeZone }) => {
  const rows = await db.all<{ id: string; title: string; status: string; ackDueAt: string; resolveDueAt: string; handlerId: string | null; supervisorId: string | null; roadChiefId: string | null; project: string }>(sql`
    SELECT i.id AS id, i.title AS title, i.status AS status, i.ack_due_at AS ackDueAt, i.resolve_due_at AS resolveDueAt,
      i.handler_id AS handlerId, i.supervisor_id AS supervisorId, p.road_chief_id AS roadChiefId, p.name AS project
    FROM issues i JOIN projects p ON p.id = i.project_id
    WHERE i.status IN ${UNRESOLVED_SQL}`);
  const items: PlannedItem[] = [];
  for (const r of rows) {
    const unacknowledged = isUnacknowledged(r.status as IssueStatus);
    const clock = unacknowledged && r.ackDueAt < r.resolveDueAt ? { due: r.ackDueAt, kind: "ack" as const } : { due: r.resolveDueAt, kind: "resolve" as const };
    const dueDay = localDate(new Date(clock.due), timeZone);
    const daysLeft = daysBetween(day, dueDay);
    const base = { category: "problems" as const, ref: { type: "issue" as const, id: r.id }, title: r.title, context: r.project, dueDate: dueDay, daysLeft, clock: clock.kind };
    if (r.handlerId) {
      if (daysLeft < 0) items.push({ ...base, recipientId: r.handlerId, kind: "overdue" });
      else if (days.some((d) => rules.leadDays.includes(daysBetween(d, dueDay)))) items.push({ ...base, recipientId: r.handlerId, kind: "due" });
    }
    // Escalate on the day it has been overdue long enough (or a holiday just before it): once, not daily.
    if (days.some((d) => daysBetween(dueDay, d) === rules.escalateAfterDays)) {
      for (const to of new Set([r.supervisorId, r.roadChiefId])) if (to && to !== r.handlerId) items.push({ ...base, recipientId: to, kind: "escalation" });
    }
  }
  return items;
};
