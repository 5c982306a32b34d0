import { and, ne, sql } from "drizzle-orm";
import { type AssigneeSpec, branches, members } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { pathWithin } from "../branches/scope.js";

/** One task's doers: a member, or a branch whose members may all act for it. */
export interface Doer {
  memberId?: string;
  branchId?: string;
}

/** What expansion needs of the org, read in one round trip: the active members and the branches of the scope. */
export async function readOrg(ctx: ServiceContext, rootBranchId: string | null) {
  const root = rootBranchId ? sql`(SELECT path FROM branches WHERE id = ${rootBranchId})` : undefined;
  const [branchRows, memberRows] = await ctx.db.batch([
    ctx.db
      .select({ id: branches.id, kind: branches.kind, secretaryId: branches.secretaryId, path: branches.path })
      .from(branches)
      .where(root ? pathWithin(branches.path, root) : undefined),
    ctx.db
      .select({ id: members.id, branchId: members.branchId, status: members.status })
      .from(members)
      .where(and(ne(members.status, "disabled"), root ? sql`${members.branchId} IN (SELECT id FROM branches WHERE ${pathWithin(sql`path`, root)})` : undefined)),
  ]);
  return { branches: branchRows, members: memberRows };
}

export type Org = Awaited<ReturnType<typeof readOrg>>;

/** The doers an item's assignee specs name, deduplicated. Members named by id must exist and be active or invited. */
export function expandAssignees(specs: AssigneeSpec[], org: Org): Doer[] {
  const out = new Map<string, Doer>();
  const add = (d: Doer) => out.set(d.memberId ? `member:${d.memberId}` : `branch:${d.branchId}`, d);
  for (const spec of specs) {
    switch (spec.type) {
      case "member":
        add({ memberId: spec.memberId });
        break;
      case "branch":
        add({ branchId: spec.branchId });
        break;
      case "each_member":
        for (const m of org.members) add({ memberId: m.id });
        break;
      case "each_secretary":
        for (const b of org.branches) if (b.secretaryId && (!spec.branchKind || b.kind === spec.branchKind)) add({ memberId: b.secretaryId });
        break;
      case "each_branch":
        for (const b of org.branches) if (b.kind === spec.branchKind) add({ branchId: b.id });
        break;
    }
  }
  return [...out.values()];
}

export const doerKey = (d: Doer) => (d.memberId ? `member:${d.memberId}` : `branch:${d.branchId}`);

/** Ids named directly in specs, to check they exist in this tenant before saving an item. */
export function namedIds(specs: AssigneeSpec[]) {
  return {
    memberIds: specs.flatMap((s) => (s.type === "member" ? [s.memberId] : [])),
    branchIds: specs.flatMap((s) => (s.type === "branch" ? [s.branchId] : [])),
  };
}

