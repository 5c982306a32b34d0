import { sql } from "drizzle-orm";
import { awaitingReviewers, awaitingReviewQueries } from "../modules/pledges/overdue.js";
import type { PlannedItem, ReminderSource } from "./plan.js";

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** 承诺践诺: the member hears of an approved pledge due soon or overdue; the secretaries who may review hear of what waits for them. */
export const pledgeReminders: ReminderSource = async ({ db, rules, day, coveredDays: days }) => {
  const horizon = Math.max(...rules.leadDays, 0);
  // One round trip for both reads (the morning's requests per tenant are budgeted).
  const [open, waitingRows, led] = await db.batch([
    db.all<{ id: string; memberId: string; dueDate: string; progress: number; title: string }>(sql`
      SELECT p.id AS id, p.member_id AS memberId, p.due_date AS dueDate, p.progress_percent AS progress, v.title AS title
      FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.approved_version
      WHERE p.closed_at IS NULL AND p.approved_version IS NOT NULL AND p.progress_percent < 100
        AND p.due_date <= date(${day}, '+' || ${horizon} || ' days')`),
    ...awaitingReviewQueries(db),
  ]);
  const waiting = awaitingReviewers(waitingRows, led);
  const items: PlannedItem[] = [];
  for (const p of open) {
    const daysLeft = daysBetween(day, p.dueDate);
    const base = { recipientId: p.memberId, category: "pledges" as const, ref: { type: "pledge" as const, id: p.id }, title: p.title, dueDate: p.dueDate, daysLeft, progress: `${Math.round(p.progress)}%` };
    if (daysLeft < 0) items.push({ ...base, kind: "overdue" });
    else if (days.some((d) => rules.leadDays.includes(daysBetween(d, p.dueDate)))) items.push({ ...base, kind: "due" });
  }
  for (const w of waiting) {
    for (const reviewer of w.reviewerIds) items.push({ recipientId: reviewer, category: "pledges", kind: "review", ref: { type: "pledge", id: w.pledgeId }, title: w.title });
  }
  return items;
};
