import { and, asc, eq, gte, isNotNull, isNull, lt, lte, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant/index.js";
import { branches, pledges, pledgeVersions } from "../../db/tenant/schema.js";

// The system's reads for the reminder jobs: not filtered by any member's visibility. Each comes as
// statements (for a caller that batches them with its own: one round trip) and as a function.

/** In force, not closed, targets not all met: a pledge someone still owes work on. */
export const owed = and(isNull(pledges.closedAt), isNotNull(pledges.approvedVersion), lt(pledges.progressPercent, 100));

/** In force, not closed, past due on `today` with targets not all met: the one definition of an overdue pledge. */
export const overdueCondition = (today: string) => and(owed, lt(pledges.dueDate, today));

const owedPledges = (db: TenantDb, where: SQL | undefined) =>
  db
    .select({ pledgeId: pledges.id, memberId: pledges.memberId, branchId: pledges.branchId, kind: pledges.kind, title: pledgeVersions.title, dueDate: pledges.dueDate, progressPercent: pledges.progressPercent })
    .from(pledges)
    .innerJoin(pledgeVersions, and(eq(pledgeVersions.pledgeId, pledges.id), eq(pledgeVersions.version, pledges.approvedVersion)))
    .where(where)
    .orderBy(asc(pledges.dueDate), asc(pledges.id));

export const overduePledgesQuery = (db: TenantDb, today: string) => owedPledges(db, overdueCondition(today));
/** Owed and due from `today` to `until` (both included): what the owner hears of ahead. */
export const pledgesDueQuery = (db: TenantDb, today: string, until: string) => owedPledges(db, and(owed, gte(pledges.dueDate, today), lte(pledges.dueDate, until)));

const dayMs = 86_400_000;
export const withDaysOverdue = <T extends { dueDate: string }>(rows: T[], today: string) =>
  rows.map((r) => ({ ...r, daysOverdue: Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${r.dueDate}T00:00:00Z`)) / dayMs) }));

/**
 * Pledges in force, not closed, past due on `today` (YYYY-MM-DD in the tenant's zone) with targets
 * not all met: what the reminder job nags the owner about. Oldest due first.
 */
export async function overduePledges(ctx: { db: TenantDb }, today: string) {
  return withDaysOverdue(await overduePledgesQuery(ctx.db, today), today);
}

/** A version submitted and not yet reviewed. */
export const awaitingReview = eq(pledges.currentStatus, "submitted");

/**
 * Versions submitted and not yet reviewed, oldest first, each with who may review it: the
 * secretaries of the pledge's branch and of the branches above it (never the owner). Admins may
 * review everything and are not listed.
 */
/** The two reads `awaitingReviewers` shapes, to put in a caller's batch (the morning digest asks them with its own in one round trip). */
export function awaitingReviewQueries(db: TenantDb) {
  return [
    db
      .select({ pledgeId: pledges.id, memberId: pledges.memberId, branchId: pledges.branchId, branchPath: branches.path, version: pledges.currentVersion, title: pledgeVersions.title, submittedAt: pledgeVersions.submittedAt })
      .from(pledges)
      .innerJoin(pledgeVersions, and(eq(pledgeVersions.pledgeId, pledges.id), eq(pledgeVersions.version, pledges.currentVersion)))
      .leftJoin(branches, eq(branches.id, pledges.branchId))
      .where(awaitingReview)
      .orderBy(asc(pledgeVersions.submittedAt), asc(pledges.id)),
    db.select({ path: branches.path, secretaryId: branches.secretaryId }).from(branches).where(isNotNull(branches.secretaryId)),
  ] as const;
}

type AwaitingRows = Awaited<ReturnType<typeof awaitingReviewQueries>[0]>;
type LedRows = Awaited<ReturnType<typeof awaitingReviewQueries>[1]>;

/** Submitted pledges with the secretaries who may review each (never the pledge's own member). */
export function awaitingReviewers(rows: AwaitingRows, led: LedRows) {
  return rows.map(({ branchPath, ...r }) => ({
    ...r,
    submittedAt: r.submittedAt!,
    reviewerIds: [...new Set(led.filter((l) => branchPath && branchPath.startsWith(l.path) && l.secretaryId !== r.memberId).map((l) => l.secretaryId!))],
  }));
}

export async function pledgesAwaitingReview(ctx: { db: TenantDb }) {
  const [rows, led] = await ctx.db.batch(awaitingReviewQueries(ctx.db));
  return awaitingReviewers(rows, led);
}
