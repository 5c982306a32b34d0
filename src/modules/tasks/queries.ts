import { eq, type Placeholder, sql, type SQL } from "drizzle-orm";
import { checklists, tasks } from "../../db/tenant/checklists.js";
import type { Actor, ServiceContext } from "../../http/env.js";
import { ledSubtreeIds } from "../branches/scope.js";
import type { urgencies } from "./schemas.js";

export const DEFAULT_DUE_SOON_DAYS = 3;

/** Branches a member acts for: home and second (双重管理). */
/** A value written into the SQL: given now, or a placeholder of a prepared query (db/prepared.ts). */
type Value = string | SQL | Placeholder;

const branchesOf = (memberId: Value) => sql`(SELECT branch_id FROM members WHERE id = ${memberId} UNION SELECT second_branch_id FROM members WHERE id = ${memberId})`;

/**
 * Tasks a member does: their own, and those of the branches they belong to or lead. A 党小组 is part of
 * its 支部, so a member homed in one also acts for the 支部 above it.
 */
export const doneBy = (memberId: Value): SQL =>
  sql`${tasks.id} IN (SELECT task_id FROM task_assignees WHERE member_id = ${memberId} OR branch_id IN ${branchesOf(memberId)}
    OR branch_id IN (SELECT parent_id FROM branches WHERE kind = 'party_group' AND id IN ${branchesOf(memberId)})
    OR branch_id IN (SELECT id FROM branches WHERE secretary_id = ${memberId}))`;

/** Tasks of a branch: the branch's own, and its members'. */
export const ofBranch = (branchId: string): SQL =>
  sql`${tasks.id} IN (SELECT ta.task_id FROM task_assignees ta LEFT JOIN members m ON m.id = ta.member_id WHERE ta.branch_id = ${branchId} OR m.branch_id = ${branchId})`;

/** Tasks an actor oversees (may review): all for an admin; a secretary's, those whose doer sits in a subtree they lead. */
export function oversees(actor: Actor): SQL | undefined {
  if (actor.role === "admin") return undefined;
  if (actor.role === "member") return sql`0`;
  return sql`${tasks.id} IN (SELECT ta.task_id FROM task_assignees ta LEFT JOIN members m ON m.id = ta.member_id
    WHERE coalesce(ta.branch_id, m.branch_id) IN ${ledSubtreeIds(actor.memberId)})`;
}

/** What an actor may see: what they do and what they oversee. */
export const visibleTo = (actor: Actor): SQL | undefined => (actor.role === "admin" ? undefined : sql`(${doneBy(actor.memberId)} OR ${oversees(actor)})`);

/** The read-side status: an open or returned task past its due date is overdue (the stored state is not). */
export const statusSql = (today: Value) => sql<string>`CASE WHEN ${tasks.state} IN ('open','returned') AND ${tasks.dueDate} < ${today} THEN 'overdue' ELSE ${tasks.state} END`;

/**
 * How pressing a task is, one value for every status: done; submitted (waiting for a reviewer, not
 * the doer's to hurry, however late); overdue (open or returned past due); due soon; on track.
 */
export const urgencySql = (today: Value) =>
  sql<string>`CASE WHEN ${tasks.state} = 'done' THEN 'done'
    WHEN ${tasks.state} = 'submitted' THEN 'submitted'
    WHEN ${tasks.state} IN ('open','returned') AND ${tasks.dueDate} < ${today} THEN 'overdue'
    WHEN ${tasks.dueDate} <= date(${today}, '+' || coalesce((SELECT due_soon_days FROM task_settings WHERE id = 1), ${DEFAULT_DUE_SOON_DAYS}) || ' days') THEN 'due_soon'
    ELSE 'on_track' END`;

const assigneesSql = sql<string>`(SELECT json_group_array(json_object('memberId', member_id, 'branchId', branch_id)) FROM task_assignees WHERE task_id = "tasks"."id")`;

/** The columns of a task as the API shows it, computed in the same query (no second round trip). */
export function taskColumns(today: Value) {
  return {
    id: tasks.id,
    checklistId: tasks.checklistId,
    checklistTitle: checklists.title,
    kind: checklists.kind,
    itemId: tasks.itemId,
    module: tasks.module,
    title: tasks.title,
    periodStart: tasks.periodStart,
    nominalDate: tasks.nominalDate,
    dueDate: tasks.dueDate,
    calendarProvisional: tasks.calendarProvisional,
    state: tasks.state,
    status: statusSql(today),
    urgency: urgencySql(today),
    doneCount: tasks.doneCount,
    minCount: tasks.minCount,
    evidenceRequired: tasks.evidenceRequired,
    reviewRequired: tasks.reviewRequired,
    submittedAt: tasks.submittedAt,
    completedAt: tasks.completedAt,
    completedLate: tasks.completedLate,
    returnCount: tasks.returnCount,
    points: tasks.points,
    backfillReason: tasks.backfillReason,
    backfillBy: tasks.backfillBy,
    backfillAt: tasks.backfillAt,
    assignees: assigneesSql,
  };
}

export function taskQuery(ctx: Pick<ServiceContext, "db">, today: Value) {
  return ctx.db.select(taskColumns(today)).from(tasks).innerJoin(checklists, eq(checklists.id, tasks.checklistId));
}

export type TaskSelect = Awaited<ReturnType<ReturnType<typeof taskQuery>["execute"]>>[number];

/** A task as the API shows it. Spelled out rather than spread (rest/spread copies were ≈4 % of a 50-row list, issue 19); the type makes a new column of taskColumns fail here until it is shown or hidden. */
export function taskView(row: TaskSelect): TaskView {
  const { backfillReason, backfillBy, backfillAt } = row;
  return {
    id: row.id,
    checklistId: row.checklistId,
    checklistTitle: row.checklistTitle,
    kind: row.kind,
    itemId: row.itemId,
    module: row.module,
    title: row.title,
    periodStart: row.periodStart,
    nominalDate: row.nominalDate,
    dueDate: row.dueDate,
    calendarProvisional: row.calendarProvisional,
    status: row.status as TaskView["status"],
    urgency: row.urgency as TaskView["urgency"],
    doneCount: row.doneCount,
    minCount: row.minCount,
    evidenceRequired: row.evidenceRequired,
    reviewRequired: row.reviewRequired,
    submittedAt: row.submittedAt,
    completedAt: row.completedAt,
    completedLate: row.completedLate,
    returnCount: row.returnCount,
    points: row.points,
    backfill: backfillReason && backfillBy && backfillAt ? { reason: backfillReason, acceptedBy: backfillBy, acceptedAt: backfillAt } : null,
    assignees: JSON.parse(row.assignees) as { memberId: string | null; branchId: string | null }[],
  };
}

type TaskView = Omit<TaskSelect, "state" | "assignees" | "backfillReason" | "backfillBy" | "backfillAt" | "status" | "urgency"> & {
  status: "open" | "submitted" | "returned" | "done" | "overdue";
  urgency: (typeof urgencies)[number];
  backfill: { reason: string; acceptedBy: string; acceptedAt: string } | null;
  assignees: { memberId: string | null; branchId: string | null }[];
};
