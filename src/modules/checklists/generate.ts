import { newId } from "../../db/ids.js";
import type { ChecklistItemRow, ChecklistRow } from "../../db/tenant/checklists.js";
import { taskAssignees, tasks } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import type { Statement } from "../../db/batch.js";
import { type Doer, doerKey, expandAssignees, type Org } from "./assignees.js";
import { occurrences } from "./recurrence.js";
import type { WorkCalendar } from "../../calendar/work-calendar.js";

type TaskInsert = typeof tasks.$inferInsert;
type AssigneeInsert = typeof taskAssignees.$inferInsert;

/** SQLite binds at most 32,766 variables a statement: 18 columns × 400 rows stays well under. */
const ROWS_PER_INSERT = 400;

/**
 * The tasks an item owes from `from` on: one per doer per occurrence ("all"), or one per occurrence
 * shared by every doer ("any"). Keys already present are skipped, so regenerating is safe.
 */
export function tasksForItem(ctx: ServiceContext, calendar: WorkCalendar, checklist: ChecklistRow, item: ChecklistItemRow, org: Org, from: string, existing: Set<string> = new Set()) {
  const doers = expandAssignees(item.assignees, org);
  const groups: { key: string; doers: Doer[] }[] = item.assigneeMode === "any" ? (doers.length ? [{ key: `any:${item.id}`, doers }] : []) : doers.map((d) => ({ key: doerKey(d), doers: [d] }));
  const taskRows: TaskInsert[] = [];
  const assigneeRows: AssigneeInsert[] = [];
  const stamp = ctx.now.toISOString();
  for (const occurrence of occurrences(item, checklist.year, calendar)) {
    if (occurrence.dueDate < from) continue;
    for (const group of groups) {
      if (existing.has(`${group.key}|${occurrence.nominalDate}`)) continue;
      const id = newId("tsk", ctx.now.getTime());
      taskRows.push({
        id,
        checklistId: checklist.id,
        itemId: item.id,
        assigneeKey: group.key,
        module: item.module,
        title: item.title,
        periodStart: occurrence.periodStart,
        nominalDate: occurrence.nominalDate,
        dueDate: occurrence.dueDate,
        calendarProvisional: occurrence.calendarProvisional ?? false,
        state: "open",
        doneCount: 0,
        minCount: item.minCount,
        evidenceRequired: item.evidenceRequired,
        reviewRequired: item.reviewRequired,
        createdAt: stamp,
        updatedAt: stamp,
      });
      for (const d of group.doers) assigneeRows.push({ taskId: id, memberId: d.memberId ?? null, branchId: d.branchId ?? null });
    }
  }
  return { taskRows, assigneeRows, doers: doers.length };
}

/** Multi-row inserts, chunked: thousands of tasks still go in one batch, one round trip. */
export function insertTasks(ctx: ServiceContext, taskRows: TaskInsert[], assigneeRows: AssigneeInsert[]): Statement[] {
  const statements: Statement[] = [];
  for (let i = 0; i < taskRows.length; i += ROWS_PER_INSERT) statements.push(ctx.db.insert(tasks).values(taskRows.slice(i, i + ROWS_PER_INSERT)));
  for (let i = 0; i < assigneeRows.length; i += ROWS_PER_INSERT * 4) statements.push(ctx.db.insert(taskAssignees).values(assigneeRows.slice(i, i + ROWS_PER_INSERT * 4)));
  return statements;
}
