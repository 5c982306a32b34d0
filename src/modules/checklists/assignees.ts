import { and, ne, sql } from "drizzle-orm";
import { type AssigneeSpec, branches, members } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { pathWithin } from "../branches/scope.js";
import type { Lang } from "../../http/i18n.js";

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
      .select({ id: branches.id, name: branches.name, kind: branches.kind, secretaryId: branches.secretaryId, path: branches.path })
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

/** Why an assignee spec reaches nobody (or a branch in it nobody). */
export const unreachedReasons = ["no_secretary", "no_branch_of_kind", "no_members"] as const;
export type UnreachedReason = (typeof unreachedReasons)[number];
export interface Unreached {
  /** The spec's type: each_secretary, each_branch, each_member or branch. */
  assignee: AssigneeSpec["type"];
  branchId: string | null;
  branchName: string | null;
  reason: UnreachedReason;
}

/**
 * The targets of an item's specs that yield no task, and why: a branch with no secretary under
 * `each_secretary` (it silently gets nothing otherwise), a branch kind the scope does not have, a
 * scope or branch with no active members. Preview and publish list them so nobody is skipped unseen.
 */
export function unreachedTargets(specs: AssigneeSpec[], org: Org): Unreached[] {
  const out: Unreached[] = [];
  const kindOk = (kind: string, wanted?: string) => !wanted || kind === wanted;
  const peopleIn = (branchId: string) => org.members.some((m) => m.branchId === branchId);
  for (const spec of specs) {
    switch (spec.type) {
      case "each_secretary": {
        const matching = org.branches.filter((b) => kindOk(b.kind, spec.branchKind));
        if (matching.length === 0) out.push({ assignee: spec.type, branchId: null, branchName: null, reason: "no_branch_of_kind" });
        for (const b of matching) if (!b.secretaryId) out.push({ assignee: spec.type, branchId: b.id, branchName: b.name, reason: "no_secretary" });
        break;
      }
      case "each_branch": {
        const matching = org.branches.filter((b) => b.kind === spec.branchKind);
        if (matching.length === 0) out.push({ assignee: spec.type, branchId: null, branchName: null, reason: "no_branch_of_kind" });
        for (const b of matching) if (!b.secretaryId && !peopleIn(b.id)) out.push({ assignee: spec.type, branchId: b.id, branchName: b.name, reason: "no_members" });
        break;
      }
      case "each_member":
        if (org.members.length === 0) out.push({ assignee: spec.type, branchId: null, branchName: null, reason: "no_members" });
        break;
      case "branch": {
        const b = org.branches.find((x) => x.id === spec.branchId);
        if (b && !b.secretaryId && !peopleIn(b.id)) out.push({ assignee: spec.type, branchId: b.id, branchName: b.name, reason: "no_members" });
        break;
      }
      case "member":
        break;
    }
  }
  return out;
}

const unreachedWords: Record<Lang, Record<UnreachedReason, (name: string | null) => string>> = {
  "zh-CN": {
    no_secretary: (n) => `${n ?? "该组织"}未设书记，不会生成任务`,
    no_branch_of_kind: () => "范围内没有这一类组织，不会生成任务",
    no_members: (n) => `${n ?? "范围内"}没有在册党员，不会生成任务`,
  },
  en: {
    no_secretary: (n) => `${n ?? "This branch"} has no secretary: no task is made`,
    no_branch_of_kind: () => "No branch of this kind in scope: no task is made",
    no_members: (n) => `${n ?? "The scope"} has no active members: no task is made`,
  },
};

/** The unreached targets of a preview or publish, each with a sentence in the reader's language. */
export const describeUnreached = <T extends Unreached>(list: T[], lang: Lang) => list.map((u) => ({ ...u, message: unreachedWords[lang][u.reason](u.branchName) }));

export const doerKey = (d: Doer) => (d.memberId ? `member:${d.memberId}` : `branch:${d.branchId}`);

/** Ids named directly in specs, to check they exist in this tenant before saving an item. */
export function namedIds(specs: AssigneeSpec[]) {
  return {
    memberIds: specs.flatMap((s) => (s.type === "member" ? [s.memberId] : [])),
    branchIds: specs.flatMap((s) => (s.type === "branch" ? [s.branchId] : [])),
  };
}

