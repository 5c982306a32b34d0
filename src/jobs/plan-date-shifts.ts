import { and, eq, inArray, isNull, or, type Placeholder, sql } from "drizzle-orm";
import { dateShifts } from "../db/tenant/calendar-days.js";
import type { TenantDb } from "../db/tenant/index.js";
import type { PlannedItem, ProbeValues, ReminderSource } from "./plan.js";

/** Not told yet, or told in this day's digest (a retried send): the one condition of the query and of its probe. */
const pending = (day: string | Placeholder) => or(isNull(dateShifts.digestDay), eq(dateShifts.digestDay, day));

/** True whenever `dateShiftReminders` can plan anything (the planning's probe, plan-morning.ts). */
export const dateShiftsPossible = (p: ProbeValues) => sql`EXISTS (SELECT 1 FROM ${dateShifts} WHERE ${pending(p.day)})`;

/**
 * 「截止日期调整」: deadlines the official calendar moved, told once. A shift waits for the person's next
 * digest (digest_day unset), and stays in that day's digest if it is planned again (a retried send).
 */
export const dateShiftReminders: ReminderSource = async ({ db, day }) => {
  const rows = await db
    .select()
    .from(dateShifts)
    .where(pending(day))
    .orderBy(dateShifts.toDate);
  return rows.map(
    (r): PlannedItem => ({
      recipientId: r.memberId,
      category: r.refType === "task" ? "tasks" : "problems",
      kind: "rescheduled",
      ref: { type: r.refType, id: r.refId },
      title: r.title,
      dueDate: r.toDate,
      movedFrom: r.fromDate,
    }),
  );
};

/** After a tenant's digests went out: the shifts they carried are told. */
export async function markShiftsTold(db: TenantDb, day: string, memberIds: string[]) {
  if (memberIds.length === 0) return;
  for (let i = 0; i < memberIds.length; i += 500) {
    const chunk = memberIds.slice(i, i + 500);
    await db.update(dateShifts).set({ digestDay: day }).where(and(isNull(dateShifts.digestDay), inList(chunk)));
  }
}

const inList = (ids: string[]) => inArray(dateShifts.memberId, ids);
