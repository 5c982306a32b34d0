import { and, eq, sql, type SQL } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { branches, members } from "../../db/tenant/schema.js";
import { worklogLeaders } from "../../db/tenant/worklogs.js";
import type { Actor, ServiceContext } from "../../http/env.js";
import { forbidden, invalidField, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { pathInLedSubtree } from "../branches/scope.js";

/**
 * 分管领导, the one home of "who leads whom" in the log: the bureau's choice for the member, else its
 * choice for the member's (home) branch, else that branch's secretary — and a secretary, who would
 * lead themself, is led by the secretary of the branch above. Resolved live on every request, so a
 * leader who is replaced (or whose override is removed) loses the team at once.
 */
export const leaderOf = (m: string) =>
  sql.raw(`coalesce(
    (SELECT l.leader_id FROM worklog_leaders l WHERE l.subject_type = 'member' AND l.subject_id = ${m}.id),
    (SELECT l.leader_id FROM worklog_leaders l WHERE l.subject_type = 'branch' AND l.subject_id = ${m}.branch_id),
    (SELECT CASE WHEN b.secretary_id = ${m}.id THEN (SELECT p.secretary_id FROM branches p WHERE p.id = b.parent_id) ELSE b.secretary_id END FROM branches b WHERE b.id = ${m}.branch_id))`);

/**
 * The ids of the members a person leads, as a subquery: the few places a leader can come from (each
 * an indexed lookup) narrowed by `leaderOf`, so a team of 50 among 25,000 costs 50 checks, not 25,000.
 */
export const teamIds = (leaderId: string) => sql`(
  SELECT tm.id FROM members tm WHERE tm.status != 'disabled' AND tm.id IN (
    SELECT subject_id FROM worklog_leaders WHERE leader_id = ${leaderId} AND subject_type = 'member'
    UNION SELECT id FROM members WHERE branch_id IN (SELECT subject_id FROM worklog_leaders WHERE leader_id = ${leaderId} AND subject_type = 'branch')
    UNION SELECT id FROM members WHERE branch_id IN (SELECT id FROM branches WHERE secretary_id = ${leaderId})
    UNION SELECT c.secretary_id FROM branches c JOIN branches p ON p.id = c.parent_id WHERE p.secretary_id = ${leaderId} AND c.secretary_id IS NOT NULL)
  AND ${leaderOf("tm")} = ${leaderId})`;

/**
 * Whose log an actor may read, as one condition on a member id column: their own; an admin all; the
 * member's 分管领导; a secretary the members homed in the subtrees they lead.
 */
export function readableLogOf(actor: Actor, memberId: SQL): SQL {
  if (actor.role === "admin") return sql`1`;
  const led = sql`EXISTS (SELECT 1 FROM members rm WHERE rm.id = ${memberId} AND ${leaderOf("rm")} = ${actor.memberId})`;
  if (actor.role !== "secretary") return sql`(${memberId} = ${actor.memberId} OR ${led})`;
  return sql`(${memberId} = ${actor.memberId} OR ${led} OR EXISTS (SELECT 1 FROM members rm JOIN branches rb ON rb.id = rm.branch_id WHERE rm.id = ${memberId} AND ${pathInLedSubtree(actor.memberId, sql`rb.path`)}))`;
}

/** For a read batch: the member (when the actor may read their log) and whether the actor is their leader. */
export const memberForLog = (ctx: Pick<ServiceContext, "db" | "actor">, memberId: string) =>
  ctx.db
    .select({ id: members.id, name: members.name, branchId: members.branchId, status: members.status, leaderId: sql<string | null>`${leaderOf(`"members"`)}` })
    .from(members)
    .where(and(eq(members.id, memberId), readableLogOf(ctx.actor, sql`${members.id}`)));

/** The bureau sets (or, with null, removes) the 分管领导 of one member or one branch. */
export async function setLeader(ctx: ServiceContext, subjectType: "member" | "branch", subjectId: string, leaderId: string | null) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const [subject, leader, before] = await ctx.db.batch([
    subjectType === "member" ? ctx.db.select({ id: members.id }).from(members).where(eq(members.id, subjectId)) : ctx.db.select({ id: branches.id }).from(branches).where(eq(branches.id, subjectId)),
    ctx.db.select({ id: members.id, status: members.status }).from(members).where(eq(members.id, leaderId ?? "")),
    ctx.db.select().from(worklogLeaders).where(and(eq(worklogLeaders.subjectType, subjectType), eq(worklogLeaders.subjectId, subjectId))),
  ]);
  if (!subject[0]) throw notFound(subjectType === "member" ? "member.not_found" : "branch.not_found");
  if (leaderId !== null && (!leader[0] || leader[0].status === "disabled")) throw invalidField("leaderId", "成员不存在或已停用 / No such active member");
  if (subjectType === "member" && leaderId === subjectId) throw invalidField("leaderId", "不能做自己的分管领导 / A member cannot lead themself");
  const stamp = ctx.now.toISOString();
  const write =
    leaderId === null
      ? ctx.db.delete(worklogLeaders).where(and(eq(worklogLeaders.subjectType, subjectType), eq(worklogLeaders.subjectId, subjectId)))
      : ctx.db.insert(worklogLeaders).values({ subjectType, subjectId, leaderId, updatedAt: stamp }).onConflictDoUpdate({ target: [worklogLeaders.subjectType, worklogLeaders.subjectId], set: { leaderId, updatedAt: stamp } });
  await runBatch(ctx.db, [write, auditInsert(ctx, { action: "worklog_leader.set", entityType: subjectType, entityId: subjectId, before: before[0]?.leaderId ?? null, after: leaderId })]);
  return { subjectType, subjectId, leaderId };
}
