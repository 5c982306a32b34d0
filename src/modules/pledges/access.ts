import { and, asc, eq, isNotNull, ne, or, sql, type SQL } from "drizzle-orm";
import { branches, members, pledgeEvaluations, pledgePublicRatings, pledges, pledgeUpdates, pledgeVersions } from "../../db/tenant/schema.js";
import { localDate } from "../../calendar/zoned.js";
import type { Actor, ServiceContext } from "../../http/env.js";
import { notFound } from "../../http/problem.js";
import { inScope, ledSubtreeIds, scopeOf, scopeQuery, type Scope } from "../branches/scope.js";
import { starsToScore } from "./scoring.js";
import { type PledgeSettings, settingsOf, settingsQuery } from "./settings.js";
import { type PledgeBundle, pledgeDetailView } from "./views.js";

// Who may read which pledge, and the one load every pledge's reads and writes start from.

/**
 * Which pledges an actor may read, as one SQL condition: an admin all; anyone their own and every
 * approved pledge of the tenant (approval makes a pledge public inside the bureau); a secretary also
 * everything homed in the subtrees they lead, drafts included.
 */
export function visiblePledges(actor: Actor): SQL | undefined {
  if (actor.role === "admin") return undefined;
  const conditions = [eq(pledges.memberId, actor.memberId), isNotNull(pledges.approvedVersion)];
  if (actor.role === "secretary") conditions.push(sql`${pledges.branchId} IN ${ledSubtreeIds(actor.memberId)}`);
  return or(...conditions);
}

/** Submitted versions the actor should act on: an admin's all, a secretary's in their subtrees (not their own), a member's own. */
export function awaitingReviewOf(actor: Actor): SQL | undefined {
  const submitted = eq(pledges.currentStatus, "submitted");
  if (actor.role === "admin") return submitted;
  if (actor.role === "secretary") return and(submitted, sql`${pledges.branchId} IN ${ledSubtreeIds(actor.memberId)}`, ne(pledges.memberId, actor.memberId));
  return and(submitted, eq(pledges.memberId, actor.memberId));
}

export const today = (ctx: Pick<ServiceContext, "now" | "tenant">) => localDate(ctx.now, ctx.tenant.timezone);

export interface Loaded extends PledgeBundle {
  branchPath: string | null;
  scope: Scope;
  settings: PledgeSettings;
  actorMember: { branchId: string | null; secondBranchId: string | null; status: string } | undefined;
  /** Owner, reviewer (in scope, not the owner), and whether the actor may read it at all. */
  owner: boolean;
  reviewer: boolean;
  privileged: boolean;
}

/** Everything one pledge's reads and rules need, in one round trip. */
export async function loadPledge(ctx: ServiceContext, id: string): Promise<Loaded> {
  const [rows, versions, updates, evaluations, ratings, led, settingsRows, actorRows] = await ctx.db.batch([
    ctx.db
      .select({ pledge: pledges, memberName: members.name, memberStatus: members.status, branchName: branches.name, branchPath: branches.path })
      .from(pledges)
      .leftJoin(members, eq(members.id, pledges.memberId))
      .leftJoin(branches, eq(branches.id, pledges.branchId))
      .where(eq(pledges.id, id)),
    ctx.db.select().from(pledgeVersions).where(eq(pledgeVersions.pledgeId, id)).orderBy(asc(pledgeVersions.version)),
    ctx.db.select().from(pledgeUpdates).where(eq(pledgeUpdates.pledgeId, id)).orderBy(asc(pledgeUpdates.id)),
    ctx.db.select().from(pledgeEvaluations).where(eq(pledgeEvaluations.pledgeId, id)).orderBy(asc(pledgeEvaluations.id)),
    ctx.db
      .select({ count: sql<number>`count(*)`.mapWith(Number), stars: sql<number | null>`avg(${pledgePublicRatings.stars})` })
      .from(pledgePublicRatings)
      .where(eq(pledgePublicRatings.pledgeId, id)),
    scopeQuery(ctx),
    settingsQuery(ctx.db),
    ctx.db.select({ branchId: members.branchId, secondBranchId: members.secondBranchId, status: members.status }).from(members).where(eq(members.id, ctx.actor.memberId)),
  ]);
  const row = rows[0];
  if (!row) throw notFound("pledge.not_found");
  const p = row.pledge;
  const scope = scopeOf(ctx.actor, led);
  const owner = p.memberId === ctx.actor.memberId;
  const inScopeOf = inScope(scope, row.branchPath);
  if (!owner && !inScopeOf && p.approvedVersion === null) throw notFound("pledge.not_found");
  const shown = versions.find((x) => x.version === (p.approvedVersion ?? p.currentVersion));
  if (!shown) throw new Error(`pledge ${id} has no version ${p.approvedVersion ?? p.currentVersion}`);
  const stars = ratings[0]?.stars;
  return {
    pledge: p,
    shown,
    memberName: row.memberName,
    memberActive: row.memberStatus !== "disabled",
    branchName: row.branchName,
    branchPath: row.branchPath,
    versions,
    updates,
    evaluations,
    ratings: { count: ratings[0]?.count ?? 0, average: stars === null || stars === undefined ? null : Math.round(starsToScore(Number(stars)) * 10) / 10 },
    scope,
    settings: settingsOf(settingsRows),
    actorMember: actorRows[0],
    owner,
    reviewer: inScopeOf && !owner,
    privileged: owner || inScopeOf,
  };
}

export const detail = (ctx: ServiceContext, b: Loaded) => pledgeDetailView(b, { settings: b.settings, today: today(ctx), privileged: b.privileged });
