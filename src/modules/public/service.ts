import { and, asc, desc, eq, isNotNull, lt, ne, sql } from "drizzle-orm";
import type * as v from "valibot";
import { localDate } from "../../calendar/zoned.js";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { branches, members, pledgePublicRatings, pledges, pledgeUpdates, pledgeVersions, type PledgeRow, type PledgeVersionRow } from "../../db/tenant/schema.js";
import type { TenantFacts } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { conflict, notFound, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { progressOf, trendOf } from "../pledges/scoring.js";
import { type PledgeSettings, settingsOf, settingsQuery } from "../pledges/settings.js";
import { isOverdue } from "../pledges/views.js";
import { publicName } from "./names.js";
import { hitBucket, PUBLIC_RATING_LIMITS, sweepExpired } from "./rate-limit.js";
import type { publicPledgeOut } from "./schemas.js";

/** What a public handler has instead of a ServiceContext: no actor. */
export interface PublicDeps {
  db: TenantDb;
  tenant: TenantFacts;
  now: Date;
  requestId: string;
}

const boardClosed = () => notFound("public_board.not_found");

// Spelled out in SQL: inside a select list drizzle renders a column without its table, which the subquery would capture.
const ratingCount = sql<number>`(SELECT count(*) FROM pledge_public_ratings r WHERE r.pledge_id = "pledges"."id")`.mapWith(Number);
const ratingStars = sql<number | null>`(SELECT avg(r.stars) FROM pledge_public_ratings r WHERE r.pledge_id = "pledges"."id")`;

/** Published: in force, the member consents, the member is still with the bureau (the board itself is checked apart). */
const published = and(isNotNull(pledges.approvedVersion), eq(pledges.publicDisplay, true), ne(members.status, "disabled"));

function publishedQuery(db: TenantDb) {
  return db
    .select({ pledge: pledges, shown: pledgeVersions, memberName: members.name, branchName: branches.name, ratingCount, ratingStars })
    .from(pledges)
    .innerJoin(pledgeVersions, and(eq(pledgeVersions.pledgeId, pledges.id), eq(pledgeVersions.version, pledges.approvedVersion)))
    .innerJoin(members, eq(members.id, pledges.memberId))
    .leftJoin(branches, eq(branches.id, pledges.branchId))
    .$dynamic();
}

interface PublishedRow {
  pledge: PledgeRow;
  shown: PledgeVersionRow;
  memberName: string;
  branchName: string | null;
  ratingCount: number;
  ratingStars: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function publicView(row: PublishedRow, settings: PledgeSettings, today: string): v.InferOutput<typeof publicPledgeOut> {
  const { pledge: p, shown } = row;
  return {
    id: p.id,
    kind: p.kind,
    year: p.year,
    name: publicName(row.memberName, settings.publicNames),
    branchName: row.branchName,
    title: shown.title,
    content: shown.content,
    category: shown.category,
    targets: shown.targets,
    dueDate: shown.dueDate,
    approvedAt: p.approvedAt,
    status: p.closedAt ? "closed" : "in_progress",
    overdue: isOverdue(p, today),
    progress: { percent: p.progressPercent, updateCount: p.updateCount, lastUpdateAt: p.lastProgressAt },
    outcome: p.outcome,
    closedAt: p.closedAt,
    score: p.score,
    rating: settings.publicRatings ? { count: row.ratingCount, averageStars: row.ratingStars === null ? null : round1(Number(row.ratingStars)) } : null,
  };
}

export async function listPublished(deps: PublicDeps, q: { limit: number; cursor?: string; year?: number; kind?: PledgeRow["kind"]; category?: PledgeVersionRow["category"] }) {
  const after = decodeCursor(q.cursor, 1);
  const [settingsRows, rows] = await deps.db.batch([
    settingsQuery(deps.db),
    publishedQuery(deps.db)
      .where(
        and(
          published,
          q.year !== undefined ? eq(pledges.year, q.year) : undefined,
          q.kind ? eq(pledges.kind, q.kind) : undefined,
          q.category ? eq(pledgeVersions.category, q.category) : undefined,
          after ? lt(pledges.id, after[0]!) : undefined,
        ),
      )
      .orderBy(desc(pledges.id))
      .limit(q.limit + 1),
  ]);
  const settings = settingsOf(settingsRows);
  if (!settings.publicBoard) throw boardClosed();
  const today = localDate(deps.now, deps.tenant.timezone);
  const result = page(rows, q.limit, (r) => [r.pledge.id]);
  return { bureau: { name: deps.tenant.name, ratingsOpen: settings.publicRatings }, data: result.data.map((r) => publicView(r, settings, today)), nextCursor: result.nextCursor };
}

export async function getPublished(deps: PublicDeps, id: string) {
  const [settingsRows, rows, updates] = await deps.db.batch([
    settingsQuery(deps.db),
    publishedQuery(deps.db).where(and(published, eq(pledges.id, id))),
    deps.db.select({ progress: pledgeUpdates.progress, createdAt: pledgeUpdates.createdAt }).from(pledgeUpdates).where(eq(pledgeUpdates.pledgeId, id)).orderBy(asc(pledgeUpdates.id)),
  ]);
  const settings = settingsOf(settingsRows);
  if (!settings.publicBoard) throw boardClosed();
  const row = rows[0];
  if (!row) throw notFound("pledge.not_found");
  const view = publicView(row, settings, localDate(deps.now, deps.tenant.timezone));
  // Numbers only: progress notes and attachments stay inside the bureau.
  return { ...view, progress: { ...view.progress, targets: progressOf(row.shown.targets, updates).targets, trend: trendOf(row.shown.targets, updates) } };
}

function overLimit(hits: { count: number; expiresAt: string }[][], limits: { max: number }[], now: Date) {
  let wait = 0;
  hits.forEach(([hit], i) => {
    if (hit && hit.count > limits[i]!.max) wait = Math.max(wait, Math.ceil((Date.parse(hit.expiresAt) - now.getTime()) / 1000));
  });
  if (wait > 0) throw new ProblemError("pledge.rate_limited", { headers: { "Retry-After": String(wait) } });
}

/**
 * A public rating (1–5 stars) of a published pledge, when the bureau takes them. The client's own
 * bucket is counted first, whatever the pledge (so probing ids costs too); the per-pledge buckets only
 * once the pledge is known to be published, so unknown ids leave no rows behind.
 */
export async function ratePublished(deps: PublicDeps, id: string, stars: number, client: string) {
  const { db, now } = deps;
  const L = PUBLIC_RATING_LIMITS;
  const [, clientHit, settingsRows, rows] = await db.batch([
    sweepExpired(db, now),
    hitBucket(db, `c:${client}`, L.client.windowMs, now),
    settingsQuery(db),
    publishedQuery(db).where(and(published, eq(pledges.id, id))),
  ]);
  const settings = settingsOf(settingsRows);
  if (!settings.publicBoard) throw boardClosed();
  if (!settings.publicRatings) throw new ProblemError("pledge.ratings_closed");
  overLimit([clientHit], [L.client], now);
  const row = rows[0];
  if (!row) throw notFound("pledge.not_found");
  if (row.pledge.closedAt) throw conflict("pledge.closed");

  const [pairHit, pledgeHit] = await db.batch([hitBucket(db, `cp:${client}:${id}`, L.clientPledge.windowMs, now), hitBucket(db, `p:${id}`, L.pledge.windowMs, now)]);
  overLimit([pairHit, pledgeHit], [L.clientPledge, L.pledge], now);

  const ratingId = newId("plr", now.getTime());
  await runBatch(db, [
    db.insert(pledgePublicRatings).values({ id: ratingId, pledgeId: id, stars, clientHash: client, createdAt: now.toISOString() }),
    auditInsert({ ...deps, actor: null }, { action: "pledge.rated_publicly", entityType: "pledge", entityId: id, after: { ratingId, stars } }),
  ]);
  const count = row.ratingCount + 1;
  const averageStars = round1(((row.ratingStars === null ? 0 : Number(row.ratingStars) * row.ratingCount) + stars) / count);
  return { pledgeId: id, stars, rating: { count, averageStars } };
}
