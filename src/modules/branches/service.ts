import { and, asc, count, eq, getTableColumns, gt, or, sql } from "drizzle-orm";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { branches, members, type BranchRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { forbidden, invalidField, notFound, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import type { BranchCreate, BranchPatch } from "./schemas.js";
import { belowScope, inScope, pathWithin, scopeOf, scopeQuery } from "./scope.js";

// Spelled out in SQL: inside a select list drizzle renders a column without its table, which the subquery would capture.
const memberCount = sql<number>`(SELECT count(*) FROM members m WHERE (m.branch_id = "branches"."id" OR m.second_branch_id = "branches"."id") AND m.status != 'disabled')`.mapWith(Number);

const withCount = { ...getTableColumns(branches), memberCount };

/** The org tree is readable by every member of the tenant: it is how people find where they belong. */
export async function listBranches(ctx: ServiceContext, q: { limit: number; cursor?: string; parentId?: string; kind?: BranchRow["kind"]; within?: string }) {
  const after = decodeCursor(q.cursor, 1);
  const withinPath = q.within ? sql`(SELECT path FROM ${branches} WHERE id = ${q.within})` : undefined;
  const rows = await ctx.db
    .select(withCount)
    .from(branches)
    .where(
      and(
        q.parentId ? eq(branches.parentId, q.parentId) : undefined,
        q.kind ? eq(branches.kind, q.kind) : undefined,
        withinPath ? pathWithin(branches.path, withinPath) : undefined,
        after ? gt(branches.path, after[0]!) : undefined,
      ),
    )
    .orderBy(asc(branches.path))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.path]);
}

export async function getBranch(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select(withCount).from(branches).where(eq(branches.id, id)).limit(1);
  if (!row) throw notFound("branch.not_found");
  return row;
}

/** Reads everything a write needs in one round trip: the branch, the new parent, the new secretary, the actor's scope. */
async function readForWrite(ctx: ServiceContext, ids: { branchId?: string; parentId?: string | null; secretaryId?: string | null }) {
  const none = ctx.db.select().from(branches).where(sql`0`);
  const [target, parent, secretary, led, secretaryHome] = await ctx.db.batch([
    ids.branchId ? ctx.db.select().from(branches).where(eq(branches.id, ids.branchId)) : none,
    ids.parentId ? ctx.db.select().from(branches).where(eq(branches.id, ids.parentId)) : none,
    ids.secretaryId ? ctx.db.select().from(members).where(eq(members.id, ids.secretaryId)) : ctx.db.select().from(members).where(sql`0`),
    scopeQuery(ctx),
    ids.secretaryId ? ctx.db.select({ path: branches.path }).from(members).innerJoin(branches, eq(branches.id, members.branchId)).where(eq(members.id, ids.secretaryId)) : ctx.db.select({ path: branches.path }).from(branches).where(sql`0`),
  ]);
  if (ids.parentId && !parent[0]) throw invalidField("parentId", "上级组织不存在 / No such parent branch");
  const scope = scopeOf(ctx.actor, led);
  // A secretary names as secretary only a member homed in a subtree they lead: anyone else is "no such member" to them.
  const outOfReach = scope !== "all" && !inScope(scope, secretaryHome[0]?.path);
  if (ids.secretaryId && (!secretary[0] || secretary[0].status === "disabled" || outOfReach)) throw invalidField("secretaryId", "成员不存在或已停用 / No such active member");
  return { target: target[0], parent: parent[0], secretary: secretary[0], scope };
}

/**
 * Naming someone secretary gives them the role that lets them manage the branch (an admin stays
 * admin). The same holds for every kind: a 党小组's 组长 is its `secretaryId`, and gets a
 * secretary's powers (manage, review) over the group's own subtree and nothing above it. Decided
 * so (issue 16 §11) because the group leader checks the group's work; the answer says when it
 * happened (`roleChanged`), so nobody gains powers unseen.
 */
const roleChangeOf = (secretary: typeof members.$inferSelect | undefined) => (secretary && secretary.role === "member" ? { memberId: secretary.id, from: "member" as const, to: "secretary" as const } : null);

function promoteSecretary(ctx: ServiceContext, secretary: typeof members.$inferSelect | undefined): Statement[] {
  if (!secretary || secretary.role !== "member") return [];
  return [
    ctx.db.update(members).set({ role: "secretary", updatedAt: ctx.now.toISOString() }).where(eq(members.id, secretary.id)),
    auditInsert(ctx, { action: "member.role_changed", entityType: "member", entityId: secretary.id, before: { role: "member" }, after: { role: "secretary" } }),
  ];
}

export async function createBranch(ctx: ServiceContext, input: BranchCreate) {
  if (ctx.actor.role === "member") throw forbidden();
  const { parent, secretary, scope } = await readForWrite(ctx, { parentId: input.parentId, secretaryId: input.secretaryId });
  if (scope !== "all" && !inScope(scope, parent?.path)) throw forbidden();
  const id = newId("br", ctx.now.getTime());
  const stamp = ctx.now.toISOString();
  const row: BranchRow = {
    id,
    name: input.name,
    kind: input.kind,
    parentId: parent?.id ?? null,
    path: `${parent?.path ?? "/"}${id}/`,
    depth: parent ? parent.depth + 1 : 0,
    secretaryId: input.secretaryId ?? null,
    sortOrder: input.sortOrder ?? 0,
    createdAt: stamp,
    updatedAt: stamp,
  };
  await runBatch(ctx.db, [
    ctx.db.insert(branches).values(row),
    ...promoteSecretary(ctx, secretary),
    auditInsert(ctx, { action: "branch.created", entityType: "branch", entityId: id, after: row }),
  ]);
  return { ...row, memberCount: 0, roleChanged: roleChangeOf(secretary) };
}

export async function updateBranch(ctx: ServiceContext, id: string, patch: BranchPatch) {
  if (ctx.actor.role === "member") throw forbidden();
  const { target, parent, secretary, scope } = await readForWrite(ctx, { branchId: id, parentId: patch.parentId, secretaryId: patch.secretaryId });
  if (!target) throw notFound("branch.not_found");
  if (!belowScope(scope, target.path)) throw forbidden();

  const statements: Statement[] = [];
  let { path, depth, parentId } = target;
  if (patch.parentId !== undefined && patch.parentId !== target.parentId) {
    if (scope !== "all" && !inScope(scope, parent?.path)) throw forbidden();
    if (parent && parent.path.startsWith(target.path)) throw new ProblemError("branch.cycle", { errors: [{ path: "parentId", message: "不能移到自身或下级之下 / Cannot move under itself or a descendant" }] });
    parentId = parent?.id ?? null;
    path = `${parent?.path ?? "/"}${id}/`;
    depth = parent ? parent.depth + 1 : 0;
    // Re-root the whole subtree in one statement: every descendant's path starts with the old one.
    statements.push(
      ctx.db
        .update(branches)
        .set({ path: sql`${path} || substr(${branches.path}, ${target.path.length + 1})`, depth: sql`${branches.depth} + ${depth - target.depth}` })
        .where(pathWithin(branches.path, target.path)),
    );
  }
  const after: BranchRow = {
    ...target,
    name: patch.name ?? target.name,
    kind: patch.kind ?? target.kind,
    secretaryId: patch.secretaryId === undefined ? target.secretaryId : patch.secretaryId,
    sortOrder: patch.sortOrder ?? target.sortOrder,
    parentId,
    path,
    depth,
    updatedAt: ctx.now.toISOString(),
  };
  const { id: _id, path: _path, depth: _depth, createdAt: _created, ...fields } = after;
  statements.push(
    ctx.db.update(branches).set(fields).where(eq(branches.id, id)),
    ...promoteSecretary(ctx, patch.secretaryId ? secretary : undefined),
    auditInsert(ctx, { action: "branch.updated", entityType: "branch", entityId: id, before: target, after }),
  );
  await runBatch(ctx.db, statements);
  return { ...(await getBranch(ctx, id)), roleChanged: roleChangeOf(patch.secretaryId ? secretary : undefined) };
}

export async function deleteBranch(ctx: ServiceContext, id: string) {
  if (ctx.actor.role === "member") throw forbidden();
  const [[target], led, [children], [people], [work]] = await ctx.db.batch([
    ctx.db.select().from(branches).where(eq(branches.id, id)),
    scopeQuery(ctx),
    ctx.db.select({ n: count() }).from(branches).where(eq(branches.parentId, id)),
    ctx.db.select({ n: count() }).from(members).where(and(or(eq(members.branchId, id), eq(members.secondBranchId, id)), sql`${members.status} != 'disabled'`)),
    // The ledgers and partnerships that name this branch keep it alive: its history must stay readable.
    ctx.db.select({ n: sql<number>`(SELECT count(*) FROM checklists WHERE branch_id = ${id}) + (SELECT count(*) FROM task_assignees WHERE branch_id = ${id})
      + (SELECT count(*) FROM project_branches WHERE branch_id = ${id}) + (SELECT count(*) FROM pledges WHERE branch_id = ${id})`.mapWith(Number) }).from(sql`(SELECT 1)`),
  ]);
  if (!target) throw notFound("branch.not_found");
  if (!belowScope(scopeOf(ctx.actor, led), target.path)) throw forbidden();
  if ((children?.n ?? 0) > 0 || (people?.n ?? 0) > 0) throw new ProblemError("branch.not_empty");
  if ((work?.n ?? 0) > 0) throw new ProblemError("branch.in_use");
  await runBatch(ctx.db, [
    // Disabled members keep their history but must not point at a branch that no longer exists.
    ctx.db.update(members).set({ branchId: null }).where(eq(members.branchId, id)),
    ctx.db.update(members).set({ secondBranchId: null }).where(eq(members.secondBranchId, id)),
    ctx.db.delete(branches).where(eq(branches.id, id)),
    auditInsert(ctx, { action: "branch.deleted", entityType: "branch", entityId: id, before: target }),
  ]);
}
