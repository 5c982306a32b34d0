import { eq, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { branches, members } from "../../db/tenant/schema.js";
import type { Actor, ServiceContext } from "../../http/env.js";

/** "all" for an admin; for a secretary the paths of the branches they lead (each heads a subtree). */
export type Scope = "all" | string[];

export function scopeQuery(ctx: Pick<ServiceContext, "db" | "actor">) {
  return ctx.db.select({ path: branches.path }).from(branches).where(eq(branches.secretaryId, ctx.actor.memberId));
}

export const scopeOf = (actor: Actor, ledPaths: { path: string }[]): Scope =>
  actor.role === "admin" ? "all" : actor.role === "secretary" ? ledPaths.map((r) => r.path) : [];

/** Inside the subtree of a branch the actor leads (the led branch itself included). */
export const inScope = (scope: Scope, path: string | null | undefined) => scope === "all" || (!!path && scope.some((root) => path.startsWith(root)));

/** Strictly below a led branch: a secretary reshapes what is under them, not their own branch's place. */
export const belowScope = (scope: Scope, path: string) => scope === "all" || scope.some((root) => path.startsWith(root) && path !== root);

// Ids contain "_" (a LIKE wildcard), so subtrees match with GLOB on the materialised path.
// These are the one home of the "subtree" SQL: every module that filters by subtree imports them.

/** The ids of every branch in the subtrees a member leads as secretary (the led branches included), as a subquery. */
export const ledSubtreeIds = (memberId: string | SQL) =>
  sql`(SELECT b.id FROM ${branches} b JOIN ${branches} s ON b.path GLOB s.path || '*' WHERE s.secretary_id = ${memberId})`;

/** The ids of a branch and everything below it, as a subquery. */
export const subtreeIds = (branchId: string) =>
  sql`(SELECT b.id FROM ${branches} b WHERE b.path GLOB (SELECT r.path FROM ${branches} r WHERE r.id = ${branchId}) || '*')`;

/** A branch path (column or SQL) lies in a subtree the member leads: the form for rows that carry a path, not an id. */
export const pathInLedSubtree = (memberId: string | SQL, path: AnyColumn | SQL) =>
  sql`EXISTS (SELECT 1 FROM ${branches} s WHERE s.secretary_id = ${memberId} AND ${path} GLOB s.path || '*')`;

/** A materialised path (column or value) lies in the subtree rooted at `rootPath` (the root included). */
export const pathWithin = (path: AnyColumn | SQL | string, rootPath: AnyColumn | SQL | string) => sql`${path} GLOB ${rootPath} || '*'`;

/**
 * Which members an actor may see, as one SQL condition (no extra round trip): everyone for an admin;
 * for a secretary the members homed or seconded in the subtrees they lead; for a member the people of
 * their own branches; and always oneself.
 */
export function visibleMembers(actor: Actor): SQL | undefined {
  if (actor.role === "admin") return undefined;
  const own = sql`(SELECT m.branch_id FROM ${members} m WHERE m.id = ${actor.memberId} UNION SELECT m.second_branch_id FROM ${members} m WHERE m.id = ${actor.memberId})`;
  const branchesSeen = actor.role === "secretary" ? sql`(SELECT id FROM ${ledSubtreeIds(actor.memberId)} UNION SELECT * FROM ${own})` : own;
  return sql`(${members.id} = ${actor.memberId} OR ${members.branchId} IN ${branchesSeen} OR ${members.secondBranchId} IN ${branchesSeen})`;
}

/** Which branches an actor may hand work to, as one SQL condition: all for an admin, the led subtrees for a secretary, none otherwise. */
export function branchesInScope(actor: Actor): SQL | undefined {
  if (actor.role === "admin") return undefined;
  if (actor.role !== "secretary") return sql`0`;
  return sql`${branches.id} IN ${ledSubtreeIds(actor.memberId)}`;
}
