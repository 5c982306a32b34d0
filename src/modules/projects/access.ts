import { eq, sql, type SQL } from "drizzle-orm";
import { branches, issues, projectBranches, projects, type IssueRow, type ProjectRow } from "../../db/tenant/schema.js";
import type { Actor, ServiceContext } from "../../http/env.js";
import { inScope, ledSubtreeIds, scopeOf, scopeQuery } from "../branches/scope.js";

/**
 * Who may see a project or a problem, as SQL conditions (no extra round trip), and what an actor is
 * to one project or problem, from rows a write has read.
 *
 * - admin: everything;
 * - secretary: the projects with a partner branch in a subtree they lead (and every problem on them);
 * - anyone: the projects they are road chief of (and every problem on them), and the problems they
 *   handle, follow or supervise (and the projects those are on);
 * - nobody else: a plain 404.
 */

/** Projects a secretary oversees: a partner branch in a subtree they lead. */
const overseenProjectIds = (memberId: string) => sql`(SELECT pb.project_id FROM project_branches pb WHERE pb.branch_id IN ${ledSubtreeIds(memberId)})`;

/** Projects with a problem the member handles, supervises or follows. */
const involvedProjectIds = (memberId: string) =>
  sql`(SELECT i.project_id FROM issues i WHERE i.handler_id = ${memberId} OR i.supervisor_id = ${memberId} UNION SELECT i.project_id FROM issue_followers f JOIN issues i ON i.id = f.issue_id WHERE f.member_id = ${memberId})`;

/** Condition on `projects`: the projects the actor may see. */
export function visibleProjects(actor: Actor): SQL | undefined {
  if (actor.role === "admin") return undefined;
  const me = actor.memberId;
  const overseen = actor.role === "secretary" ? sql` OR ${projects.id} IN ${overseenProjectIds(me)}` : sql``;
  return sql`(${projects.roadChiefId} = ${me} OR ${projects.id} IN ${involvedProjectIds(me)}${overseen})`;
}

/** Condition on `issues`: the problems the actor may see. */
export function visibleIssues(actor: Actor): SQL | undefined {
  if (actor.role === "admin") return undefined;
  const me = actor.memberId;
  const overseen = actor.role === "secretary" ? sql` OR ${issues.projectId} IN ${overseenProjectIds(me)}` : sql``;
  return sql`(${issues.handlerId} = ${me} OR ${issues.supervisorId} = ${me} OR EXISTS (SELECT 1 FROM issue_followers f WHERE f.issue_id = ${issues.id} AND f.member_id = ${me}) OR ${issues.projectId} IN (SELECT p.id FROM projects p WHERE p.road_chief_id = ${me})${overseen})`;
}

/** Condition on a projects alias `p` for reports: the projects the actor answers for (admin all, secretary overseen, road chief own). */
export function reportableProjects(actor: Actor): SQL {
  if (actor.role === "admin") return sql`1`;
  const me = actor.memberId;
  const overseen = actor.role === "secretary" ? sql` OR p.id IN ${overseenProjectIds(me)}` : sql``;
  return sql`(p.road_chief_id = ${me}${overseen})`;
}

/** The selects a write puts in its read batch to learn what the actor is to a project. */
export function projectAccessQueries(ctx: Pick<ServiceContext, "db" | "actor">, projectId: string) {
  return [
    ctx.db.select().from(projects).where(eq(projects.id, projectId)),
    ctx.db.select({ branchId: projectBranches.branchId, path: branches.path }).from(projectBranches).innerJoin(branches, eq(branches.id, projectBranches.branchId)).where(eq(projectBranches.projectId, projectId)),
    scopeQuery(ctx),
  ] as const;
}

export interface ProjectAccess {
  admin: boolean;
  roadChief: boolean;
  /** A secretary leading a subtree that holds one of the project's partner branches. */
  overseer: boolean;
}

export function projectAccess(actor: Actor, project: ProjectRow, partnerPaths: { path: string }[], ledPaths: { path: string }[]): ProjectAccess {
  const scope = scopeOf(actor, ledPaths);
  return {
    admin: actor.role === "admin",
    roadChief: project.roadChiefId === actor.memberId,
    overseer: actor.role === "secretary" && partnerPaths.some((b) => inScope(scope, b.path)),
  };
}

/** Who keeps a project's ledger (writes logs, raises problems): the admin, the road chief, an overseeing secretary. */
export const keepsLedger = (a: ProjectAccess) => a.admin || a.roadChief || a.overseer;

export type IssueRole = "handler" | "supervisor" | "follower" | "road_chief";

export interface IssueAccess extends ProjectAccess {
  roles: IssueRole[];
  visible: boolean;
}

export function issueAccess(actor: Actor, issue: IssueRow, followerIds: string[], project: ProjectRow, partnerPaths: { path: string }[], ledPaths: { path: string }[]): IssueAccess {
  const base = projectAccess(actor, project, partnerPaths, ledPaths);
  const me = actor.memberId;
  const roles: IssueRole[] = [];
  if (issue.handlerId === me) roles.push("handler");
  if (issue.supervisorId === me) roles.push("supervisor");
  if (followerIds.includes(me)) roles.push("follower");
  if (base.roadChief) roles.push("road_chief");
  return { ...base, roles, visible: base.admin || base.overseer || roles.length > 0 };
}

