import { and, desc, eq, isNotNull, isNull, lt, ne, sql, type SQL } from "drizzle-orm";
import { branches, members, pledges, pledgeVersions } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { invalidField } from "../../http/problem.js";
import { fileRefsOf, refsByEntity } from "../files/attach.js";
import { inScope, scopeOf, scopeQuery, subtreeIds } from "../branches/scope.js";
import { awaitingReviewOf, loadPledge, detail, today, visiblePledges } from "./access.js";
import { overdueCondition } from "./overdue.js";
import type { PledgeListQuery } from "./schemas.js";
import { settingsOf, settingsQuery } from "./settings.js";
import { evaluationView, pledgeView, updateViews, versionView } from "./views.js";

// Lists and the reads of one pledge.

/** The version a pledge shows: the one in force, or before any approval the current one. */
const shownVersion = sql`coalesce(${pledges.approvedVersion}, ${pledges.currentVersion})`;

function statusCondition(status: PledgeListQuery["status"]): SQL | undefined {
  if (status === undefined) return undefined;
  if (status === "closed") return isNotNull(pledges.closedAt);
  if (status === "approved") return and(isNull(pledges.closedAt), isNotNull(pledges.approvedVersion));
  return and(isNull(pledges.approvedVersion), eq(pledges.currentStatus, status));
}

const listedColumns = {
  pledge: pledges,
  shown: pledgeVersions,
  memberName: members.name,
  memberStatus: members.status,
  branchName: branches.name,
  branchPath: branches.path,
};

export async function listPledges(ctx: ServiceContext, q: PledgeListQuery) {
  const after = decodeCursor(q.cursor, 1);
  const day = today(ctx);
  const [rows, led, settingsRows] = await ctx.db.batch([
    ctx.db
      .select(listedColumns)
      .from(pledges)
      .innerJoin(pledgeVersions, and(eq(pledgeVersions.pledgeId, pledges.id), eq(pledgeVersions.version, shownVersion)))
      .leftJoin(members, eq(members.id, pledges.memberId))
      .leftJoin(branches, eq(branches.id, pledges.branchId))
      .where(
        and(
          visiblePledges(ctx.actor),
          q.year !== undefined ? eq(pledges.year, q.year) : undefined,
          q.kind ? eq(pledges.kind, q.kind) : undefined,
          q.category ? eq(pledgeVersions.category, q.category) : undefined,
          statusCondition(q.status),
          q.memberId ? eq(pledges.memberId, q.memberId) : undefined,
          q.branchId ? sql`${pledges.branchId} IN ${subtreeIds(q.branchId)}` : undefined,
          q.mine ? eq(pledges.memberId, ctx.actor.memberId) : undefined,
          q.mine === false ? ne(pledges.memberId, ctx.actor.memberId) : undefined,
          q.overdue ? overdueCondition(day) : undefined,
          q.overdue === false ? sql`NOT (${overdueCondition(day)})` : undefined,
          q.awaitingReview ? awaitingReviewOf(ctx.actor) : undefined,
          after ? lt(pledges.id, after[0]!) : undefined,
        ),
      )
      .orderBy(desc(pledges.id))
      .limit(q.limit + 1),
    scopeQuery(ctx),
    settingsQuery(ctx.db),
  ]);
  const scope = scopeOf(ctx.actor, led);
  const settings = settingsOf(settingsRows);
  const result = page(rows, q.limit, (r) => [r.pledge.id]);
  return {
    data: result.data.map((r) =>
      pledgeView(
        { ...r, memberActive: r.memberStatus !== "disabled" },
        { settings, today: day, privileged: r.pledge.memberId === ctx.actor.memberId || inScope(scope, r.branchPath) },
      ),
    ),
    nextCursor: result.nextCursor,
  };
}

export async function getPledge(ctx: ServiceContext, id: string) {
  return detail(ctx, await loadPledge(ctx, id));
}

/** Every version to the owner and reviewers; to other readers only the versions that were in force. */
/**
 * Pages a list loaded whole with the pledge (each is bounded: see rules.ts), oldest first; the cursor
 * is the last row's id.
 */
function pageLoaded<T extends { id: string }>(rows: T[], q: PageQuery) {
  const after = decodeCursor(q.cursor, 1)?.[0];
  const from = after === undefined ? 0 : rows.findIndex((r) => r.id === after) + 1;
  if (from === 0 && after !== undefined) throw invalidField("query.cursor", "无效的游标 / Invalid cursor");
  return page(rows.slice(from, from + q.limit + 1), q.limit, (r) => [r.id]);
}

type PageQuery = { limit: number; cursor?: string };

/** Every version to the owner and reviewers; to other readers only the versions that were in force. */
export async function listVersions(ctx: ServiceContext, id: string, q: PageQuery) {
  const b = await loadPledge(ctx, id);
  const versions = b.privileged ? b.versions : b.versions.filter((x) => x.status === "approved" || x.status === "superseded");
  const result = pageLoaded(versions, q);
  return { data: result.data.map(versionView), nextCursor: result.nextCursor };
}

export async function listUpdates(ctx: ServiceContext, id: string, q: PageQuery) {
  const b = await loadPledge(ctx, id);
  // The percents need every update before the page; photos are signed for the page only.
  const result = pageLoaded(updateViews(b.shown.targets, b.updates), q);
  const files = await refsByEntity(ctx, result.data.length ? await fileRefsOf(ctx, "pledge_update", result.data.map((u) => u.id)) : []);
  return { data: result.data.map((u) => ({ ...u, files: files.get(u.id) ?? [] })), nextCursor: result.nextCursor };
}

export async function listEvaluations(ctx: ServiceContext, id: string, q: PageQuery) {
  const b = await loadPledge(ctx, id);
  // Peers rate in confidence: who gave a peer rating is for the reviewers (and the rater), never the owner.
  const seesPeers = b.reviewer || (ctx.actor.role === "admin" && !b.owner);
  const result = pageLoaded(b.evaluations, q);
  return { data: result.data.map((e) => evaluationView(e, e.kind !== "peer" || seesPeers || e.evaluatorId === ctx.actor.memberId)), nextCursor: result.nextCursor };
}
