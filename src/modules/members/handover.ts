import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { isUniqueViolation, runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { checklistItems, checklists, taskAssignees, tasks, type AssigneeSpec } from "../../db/tenant/checklists.js";
import { issueFollowers, issues, projects, unresolvedStatuses } from "../../db/tenant/projects.js";
import { apiTokens, branches, invitations, members, refreshTokens } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { conflict, forbidden, invalidField, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { memberView } from "./views.js";

/** Tasks still to do, problems still moving: what a member leaving would leave stranded. */
const openTaskStates = ["open", "returned"] as const;
const liveIssueStatuses = [...unresolvedStatuses, "resolved", "verified"] as const;
const OPEN_WORK_LIMIT = 1000;

/**
 * Everything a member holds that others depend on, in one round trip: open tasks they are a doer of,
 * live problems they handle, supervise or follow, branches they lead (their reviews: the branch's
 * submitted tasks and pledges), projects they are 路长 of, and checklist items that name them.
 */
async function readOpenWork(ctx: ServiceContext, memberId: string) {
  const [target, taskRows, issueRows, followed, led, roads, items] = await ctx.db.batch([
    ctx.db.select().from(members).where(eq(members.id, memberId)),
    ctx.db
      .select({ id: tasks.id, title: tasks.title, module: tasks.module, dueDate: tasks.dueDate, state: tasks.state, checklistId: tasks.checklistId })
      .from(taskAssignees)
      .innerJoin(tasks, eq(tasks.id, taskAssignees.taskId))
      .where(and(eq(taskAssignees.memberId, memberId), inArray(tasks.state, [...openTaskStates])))
      .orderBy(asc(tasks.dueDate), asc(tasks.id))
      .limit(OPEN_WORK_LIMIT),
    ctx.db
      .select({ id: issues.id, title: issues.title, status: issues.status, handlerId: issues.handlerId, supervisorId: issues.supervisorId, version: issues.version })
      .from(issues)
      .where(and(or(eq(issues.handlerId, memberId), eq(issues.supervisorId, memberId)), inArray(issues.status, [...liveIssueStatuses])))
      .limit(OPEN_WORK_LIMIT),
    ctx.db
      .select({ id: issues.id, title: issues.title, status: issues.status })
      .from(issueFollowers)
      .innerJoin(issues, eq(issues.id, issueFollowers.issueId))
      .where(and(eq(issueFollowers.memberId, memberId), inArray(issues.status, [...liveIssueStatuses])))
      .limit(OPEN_WORK_LIMIT),
    ctx.db.select({ id: branches.id, name: branches.name }).from(branches).where(eq(branches.secretaryId, memberId)),
    ctx.db.select({ id: projects.id, name: projects.name }).from(projects).where(and(eq(projects.roadChiefId, memberId), sql`${projects.status} <> 'completed'`)),
    // Ids are unique strings: a JSON text search finds the items whose assignee list names the member.
    ctx.db
      .select({ id: checklistItems.id, title: checklistItems.title, checklistId: checklistItems.checklistId, assignees: checklistItems.assignees })
      .from(checklistItems)
      .innerJoin(checklists, eq(checklists.id, checklistItems.checklistId))
      .where(and(isNull(checklistItems.archivedAt), sql`${checklists.status} <> 'archived'`, sql`instr(${checklistItems.assignees}, ${`"${memberId}"`}) > 0`)),
  ]);
  return { target: target[0], taskRows, issueRows, followed, led, roads, items };
}

function view(work: Awaited<ReturnType<typeof readOpenWork>>, memberId: string) {
  const problems = [
    ...work.issueRows.map((i) => ({ id: i.id, title: i.title, status: i.status, as: i.handlerId === memberId ? ("handler" as const) : ("supervisor" as const) })),
    ...work.followed.map((i) => ({ id: i.id, title: i.title, status: i.status, as: "follower" as const })),
  ];
  return {
    tasks: work.taskRows.map(({ checklistId: _c, ...t }) => t),
    problems,
    branchesLed: work.led,
    projectsLed: work.roads,
    checklistItems: work.items.map(({ assignees: _a, ...i }) => i),
    total: work.taskRows.length + problems.length + work.led.length + work.roads.length + work.items.length,
  };
}

export async function openWork(ctx: ServiceContext, memberId: string) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const work = await readOpenWork(ctx, memberId);
  if (!work.target) throw notFound("member.not_found");
  return view(work, memberId);
}

/**
 * Hands everything a member holds to another active member in one batch, and (by default) disables
 * the member in the same batch: tasks' doer, problems' handler / supervisor / follower (each with a
 * line in the problem's history), branches' secretary, projects' 路长, and the checklist items that
 * name them, so future tasks go to the successor too. Finished work keeps its doers.
 */
export async function handOver(ctx: ServiceContext, memberId: string, input: { to: string; disable: boolean }) {
  if (ctx.actor.role !== "admin") throw forbidden();
  if (input.to === memberId) throw invalidField("to", "不能交接给本人 / Cannot hand over to the same member");
  const [work, [successor]] = await Promise.all([readOpenWork(ctx, memberId), ctx.db.select().from(members).where(eq(members.id, input.to))]);
  const from = work.target;
  if (!from) throw notFound("member.not_found");
  if (!successor || successor.status !== "active") throw invalidField("to", "接手人须为在职的已激活成员 / The successor must be an active member");
  if (input.disable && from.role === "admin" && from.status === "active") {
    const [{ n }] = (await ctx.db.select({ n: sql<number>`count(*)` }).from(members).where(and(eq(members.role, "admin"), eq(members.status, "active")))) as [{ n: number }];
    if (n <= 1) throw conflict("member.last_admin");
  }
  const stamp = ctx.now.toISOString();
  const statements: Statement[] = [];
  const taskIds = work.taskRows.map((t) => t.id);
  if (taskIds.length) {
    // Every open task, not only the listed first thousand; where the successor already shares a task
    // ("any" mode), the leaver's row just goes.
    const open = sql`${taskAssignees.taskId} IN (SELECT id FROM tasks WHERE state IN ('open', 'returned'))`;
    statements.push(
      ctx.db.delete(taskAssignees).where(and(eq(taskAssignees.memberId, memberId), open, sql`${taskAssignees.taskId} IN (SELECT task_id FROM task_assignees WHERE member_id = ${input.to})`)),
      ctx.db.update(taskAssignees).set({ memberId: input.to }).where(and(eq(taskAssignees.memberId, memberId), open)),
    );
  }
  const touched = new Map<string, { version: number; changed: Record<string, { from: unknown; to: unknown }> }>();
  for (const i of work.issueRows) {
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (i.handlerId === memberId) changed.handlerId = { from: memberId, to: input.to };
    if (i.supervisorId === memberId) changed.supervisorId = { from: memberId, to: i.handlerId === input.to ? null : input.to };
    touched.set(i.id, { version: i.version, changed });
  }
  for (const f of work.followed) {
    const entry = touched.get(f.id) ?? { version: -1, changed: {} };
    entry.changed.followerIds = { from: [memberId], to: [input.to] };
    touched.set(f.id, entry);
  }
  if (work.followed.length) {
    const ids = work.followed.map((f) => f.id);
    statements.push(
      ctx.db.run(sql`INSERT OR IGNORE INTO issue_followers (issue_id, member_id) SELECT issue_id, ${input.to} FROM issue_followers WHERE member_id = ${memberId} AND issue_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`),
      ctx.db.delete(issueFollowers).where(and(eq(issueFollowers.memberId, memberId), inArray(issueFollowers.issueId, ids))),
    );
  }
  for (const [issueId, { changed }] of touched) {
    const set: Record<string, unknown> = { updatedAt: stamp, version: sql`${issues.version} + 1` };
    if (changed.handlerId) set.handlerId = input.to;
    if (changed.supervisorId) set.supervisorId = changed.supervisorId.to;
    statements.push(
      // The history line takes the next sequence number of the problem's own timeline.
      ctx.db.run(sql`INSERT INTO issue_events (id, issue_id, seq, action, from_status, to_status, actor_id, note, data, at) SELECT ${newId("iev", ctx.now.getTime())}, id, version + 1, 'updated', status, status, ${ctx.actor.memberId}, ${"交接 / handed over"}, ${JSON.stringify(changed)}, ${stamp} FROM issues WHERE id = ${issueId}`),
      ctx.db.update(issues).set(set).where(eq(issues.id, issueId)),
    );
  }
  if (work.led.length) {
    statements.push(ctx.db.update(branches).set({ secretaryId: input.to, updatedAt: stamp }).where(eq(branches.secretaryId, memberId)));
    // Leading a branch is a secretary's role: a plain member who takes one over becomes one.
    if (successor.role === "member") statements.push(ctx.db.update(members).set({ role: "secretary", updatedAt: stamp }).where(eq(members.id, input.to)));
  }
  if (work.roads.length) statements.push(ctx.db.update(projects).set({ roadChiefId: input.to, updatedAt: stamp }).where(inArray(projects.id, work.roads.map((p) => p.id))));
  for (const item of work.items) {
    const specs = item.assignees.map((s): AssigneeSpec => (s.type === "member" && s.memberId === memberId ? { type: "member", memberId: input.to } : s));
    const unique = specs.filter((s, i) => s.type !== "member" || specs.findIndex((o) => o.type === "member" && o.memberId === s.memberId) === i);
    statements.push(ctx.db.update(checklistItems).set({ assignees: unique, updatedAt: stamp }).where(eq(checklistItems.id, item.id)));
  }
  const disabling = input.disable && from.status !== "disabled";
  // Disabling raises the session version, as PATCH does: the leaver's access tokens stop working.
  const after = disabling ? { ...from, status: "disabled" as const, sessionVersion: from.sessionVersion + 1, updatedAt: stamp } : from;
  if (disabling) {
    statements.push(
      ctx.db.update(members).set({ status: "disabled", sessionVersion: after.sessionVersion, updatedAt: stamp }).where(eq(members.id, memberId)),
      ctx.db.update(refreshTokens).set({ revokedAt: stamp }).where(and(eq(refreshTokens.memberId, memberId), isNull(refreshTokens.revokedAt))),
      ctx.db.update(apiTokens).set({ revokedAt: stamp }).where(and(eq(apiTokens.memberId, memberId), isNull(apiTokens.revokedAt))),
      ctx.db.update(invitations).set({ revokedAt: stamp }).where(and(eq(invitations.memberId, memberId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
    );
  }
  const handed = view(work, memberId);
  statements.push(
    auditInsert(ctx, {
      action: "member.handed_over",
      entityType: "member",
      entityId: memberId,
      before: memberView(from),
      after: { ...memberView(after), successorId: input.to, tasks: taskIds, problems: [...touched.keys()], branches: work.led.map((b) => b.id), projects: work.roads.map((p) => p.id), checklistItems: work.items.map((i) => i.id) },
    }),
  );
  try {
    await runBatch(ctx.db, statements);
  } catch (error) {
    // A problem moved on between our read and write (its history's sequence is taken): try again.
    if (isUniqueViolation(error)) throw conflict("issue.changed");
    throw error;
  }
  return { member: memberView(after), successorId: input.to, handedOver: handed };
}
