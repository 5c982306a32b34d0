import { and, desc, eq, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { worklogAssignments } from "../../db/tenant/worklogs.js";
import type { ServiceContext } from "../../http/env.js";
import { conflict, forbidden, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { today } from "../checklists/service.js";
import { memberForLog } from "./leaders.js";

/**
 * 交办: the 分管领导 hands a member a task. Open, it is in the member's 待办 (the console lists it with
 * their tasks); done, it shows in that day of their log (memberMonth's `assignmentsDone`).
 */

// Qualified by hand: drizzle writes a lone table's columns unqualified, which a subquery would read as its own.
const nameOf = (column: "member_id" | "assigned_by") => sql<string | null>`(SELECT m.name FROM members m WHERE m.id = ${sql.raw(`"worklog_assignments"."${column}"`)})`;

const select = (ctx: ServiceContext) =>
  ctx.db
    .select({
      id: worklogAssignments.id,
      memberId: worklogAssignments.memberId,
      memberName: nameOf("member_id"),
      assignedBy: worklogAssignments.assignedBy,
      assignedByName: nameOf("assigned_by"),
      title: worklogAssignments.title,
      detail: worklogAssignments.detail,
      dueDate: worklogAssignments.dueDate,
      status: worklogAssignments.status,
      doneDate: worklogAssignments.doneDate,
      doneNote: worklogAssignments.doneNote,
      doneAt: worklogAssignments.doneAt,
      createdAt: worklogAssignments.createdAt,
    })
    .from(worklogAssignments);

export async function assignTask(ctx: ServiceContext, input: { memberId: string; title: string; detail: string | null; dueDate: string | null }) {
  const [[member]] = await ctx.db.batch([memberForLog(ctx, input.memberId)]);
  if (!member) throw notFound("member.not_found");
  if (member.leaderId !== ctx.actor.memberId) throw forbidden();
  const stamp = ctx.now.toISOString();
  const row = { id: newId("wla", ctx.now.getTime()), memberId: input.memberId, assignedBy: ctx.actor.memberId, title: input.title, detail: input.detail, dueDate: input.dueDate, status: "open" as const, doneDate: null, doneNote: null, doneAt: null, createdAt: stamp };
  await runBatch(ctx.db, [ctx.db.insert(worklogAssignments).values(row), auditInsert(ctx, { action: "worklog_assignment.created", entityType: "worklog_assignment", entityId: row.id, after: row })]);
  const [out] = await select(ctx).where(eq(worklogAssignments.id, row.id));
  return out!;
}

/** The actor's assignments: given to them (their 待办), or given by them. Newest first, at most 200. */
export async function listAssignments(ctx: ServiceContext, q: { role: "assignee" | "assigner"; status?: "open" | "done" }) {
  const data = await select(ctx)
    .where(and(q.role === "assignee" ? eq(worklogAssignments.memberId, ctx.actor.memberId) : eq(worklogAssignments.assignedBy, ctx.actor.memberId), q.status ? eq(worklogAssignments.status, q.status) : undefined))
    .orderBy(desc(worklogAssignments.id))
    .limit(200);
  return { data };
}

/** The member marks it done (today, in their zone): it leaves the 待办 and joins the day's log. */
export async function completeAssignment(ctx: ServiceContext, id: string, note: string | null) {
  const [before] = await ctx.db.select().from(worklogAssignments).where(eq(worklogAssignments.id, id));
  if (!before || before.memberId !== ctx.actor.memberId) throw notFound("worklog_assignment.not_found");
  if (before.status === "done") throw conflict("worklog.assignment_done");
  const stamp = ctx.now.toISOString();
  const after = { status: "done" as const, doneDate: today(ctx), doneNote: note, doneAt: stamp };
  await runBatch(ctx.db, [
    // The status guard keeps two taps from both landing.
    ctx.db.update(worklogAssignments).set(after).where(and(eq(worklogAssignments.id, id), eq(worklogAssignments.status, "open"))),
    auditInsert(ctx, { action: "worklog_assignment.done", entityType: "worklog_assignment", entityId: id, before: { status: before.status }, after }),
  ]);
  const [out] = await select(ctx).where(eq(worklogAssignments.id, id));
  return out!;
}
