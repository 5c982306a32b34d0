import { addDays } from "../calendar/days.js";
import { sql } from "drizzle-orm";
import { pledges } from "../db/tenant/schema.js";
import { awaitingReview, awaitingReviewers, awaitingReviewQueries, overduePledgesQuery, owed, pledgesDueQuery } from "../modules/pledges/overdue.js";
import type { PlannedItem, ReminderSource } from "./plan.js";

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * 承诺践诺, by the rules the pages use (`overdueCondition` in modules/pledges/overdue.ts): the member
 * hears of an approved pledge due on a lead day or overdue; the secretaries who may review hear of
 * what waits for them. One round trip.
 */
export const pledgeReminders: ReminderSource = async ({ db, rules, day, coveredDays: days }) => {
  const [overdue, due, waiting, led] = await db.batch([overduePledgesQuery(db, day), pledgesDueQuery(db, day, addDays(day, Math.max(...rules.leadDays, 0))), ...awaitingReviewQueries(db)]);
  const items: PlannedItem[] = [];
  const base = (p: (typeof overdue)[number]) => ({ recipientId: p.memberId, category: "pledges" as const, ref: { type: "pledge" as const, id: p.pledgeId }, title: p.title, dueDate: p.dueDate, daysLeft: daysBetween(day, p.dueDate), progress: `${Math.round(p.progressPercent)}%` });
  for (const p of overdue) items.push({ ...base(p), kind: "overdue" });
  for (const p of due) if (days.some((d) => rules.leadDays.includes(daysBetween(d, p.dueDate)))) items.push({ ...base(p), kind: "due" });
  for (const w of awaitingReviewers(waiting, led)) {
    for (const reviewer of w.reviewerIds) items.push({ recipientId: reviewer, category: "pledges", kind: "review", ref: { type: "pledge", id: w.pledgeId }, title: w.title });
  }
  return items;
};

/** True whenever `pledgeReminders` can plan anything (the planning's probe): its reads are owed pledges and submitted versions. */
export const pledgesPossible = () => sql`(EXISTS (SELECT 1 FROM ${pledges} WHERE ${owed}) OR EXISTS (SELECT 1 FROM ${pledges} WHERE ${awaitingReview}))`;
