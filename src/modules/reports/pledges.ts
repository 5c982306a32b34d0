import { and, eq, isNotNull, sql } from "drizzle-orm";
import { Hono } from "hono";
import * as v from "valibot";
import { localDate } from "../../calendar/zoned.js";
import { branches, pledgeEvaluations, pledgeKinds, pledgePublicRatings, pledges } from "../../db/tenant/schema.js";
import type { AppEnv, ServiceContext } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { CSV_DESCRIPTION, csvResponse, wantsCsv } from "../../http/csv.js";
import { idField, yearQuery } from "../../http/fields.js";
import { requireRole } from "../../http/middleware.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { ledSubtreeIds, subtreeIds } from "../branches/scope.js";
import { starsToScore } from "../pledges/scoring.js";

/**
 * 承诺践诺 in figures, per branch and year: how many pledged, were approved, fulfilled (or partly, or
 * not), are overdue today, and the average scores. An admin sees the bureau; a secretary the
 * branches of the subtrees they lead. Counts are by the branch a pledge was made in; `members` is the
 * branch's active members today, so a year's report also lists branches with members and no pledge.
 */

const reportQuery = v.strictObject({
  year: v.optional(yearQuery),
  /** This branch's subtree only. */
  branchId: v.optional(idField("br")),
  kind: v.optional(v.picklist(pledgeKinds)),
  format: v.optional(v.literal("csv")),
});
type ReportQuery = v.InferOutput<typeof reportQuery>;

const nullableNumber = v.nullable(v.number());
const figures = {
  pledged: v.number(),
  approved: v.number(),
  fulfilled: v.number(),
  partlyFulfilled: v.number(),
  unfulfilled: v.number(),
  overdue: v.number(),
  /** Mean final score of the closed pledges. */
  averageScore: nullableNumber,
  averageSelf: nullableNumber,
  averageLeader: nullableNumber,
  averagePeer: nullableNumber,
  /** Public ratings on the 0–100 scale (a star is 20). */
  averagePublic: nullableNumber,
};
const rowOut = v.object({ branchId: v.nullable(v.string()), branchName: v.nullable(v.string()), year: v.number(), members: nullableNumber, ...figures });
const reportOut = v.object({ asOf: v.string(), data: v.array(rowOut), totals: v.object({ members: v.number(), ...figures }) });
type Row = v.InferOutput<typeof rowOut>;

const int = (expr: ReturnType<typeof sql>) => sql<number>`coalesce(${expr}, 0)`.mapWith(Number);
const when = (cond: ReturnType<typeof sql>) => int(sql`sum(CASE WHEN ${cond} THEN 1 ELSE 0 END)`);

interface Sums {
  sum: number;
  n: number;
}
const mean = ({ sum, n }: Sums) => (n > 0 ? Math.round((sum / n) * 10) / 10 : null);
const add = (a: Sums, b: Sums): Sums => ({ sum: a.sum + b.sum, n: a.n + b.n });
const zero = (): Sums => ({ sum: 0, n: 0 });

export async function pledgeReport(ctx: ServiceContext, q: ReportQuery) {
  const today = localDate(ctx.now, ctx.tenant.timezone);
  const where = and(
    ctx.actor.role === "admin" ? undefined : sql`${pledges.branchId} IN ${ledSubtreeIds(ctx.actor.memberId)}`,
    q.year !== undefined ? eq(pledges.year, q.year) : undefined,
    q.kind ? eq(pledges.kind, q.kind) : undefined,
    q.branchId ? sql`${pledges.branchId} IN ${subtreeIds(q.branchId)}` : undefined,
  );
  const [counts, evaluations, ratings, branchRows] = await ctx.db.batch([
    ctx.db
      .select({
        branchId: pledges.branchId,
        branchName: branches.name,
        branchPath: branches.path,
        year: pledges.year,
        pledged: int(sql`count(*)`),
        approved: when(sql`${pledges.approvedVersion} IS NOT NULL`),
        fulfilled: when(sql`${pledges.outcome} = 'fulfilled'`),
        partlyFulfilled: when(sql`${pledges.outcome} = 'partly_fulfilled'`),
        unfulfilled: when(sql`${pledges.outcome} = 'unfulfilled'`),
        overdue: when(sql`${pledges.closedAt} IS NULL AND ${pledges.approvedVersion} IS NOT NULL AND ${pledges.dueDate} < ${today} AND ${pledges.progressPercent} < 100`),
        scoreSum: int(sql`sum(${pledges.score})`),
        scoreN: int(sql`count(${pledges.score})`),
      })
      .from(pledges)
      .leftJoin(branches, eq(branches.id, pledges.branchId))
      .where(where)
      .groupBy(pledges.branchId, pledges.year),
    ctx.db
      .select({ branchId: pledges.branchId, year: pledges.year, kind: pledgeEvaluations.kind, sum: int(sql`sum(${pledgeEvaluations.score})`), n: int(sql`count(*)`) })
      .from(pledgeEvaluations)
      .innerJoin(pledges, eq(pledges.id, pledgeEvaluations.pledgeId))
      .where(where)
      .groupBy(pledges.branchId, pledges.year, pledgeEvaluations.kind),
    ctx.db
      .select({ branchId: pledges.branchId, year: pledges.year, sum: int(sql`sum(${pledgePublicRatings.stars})`), n: int(sql`count(*)`) })
      .from(pledgePublicRatings)
      .innerJoin(pledges, eq(pledges.id, pledgePublicRatings.pledgeId))
      .where(and(where, isNotNull(pledgePublicRatings.stars)))
      .groupBy(pledges.branchId, pledges.year),
    ctx.db
      .select({
        id: branches.id,
        name: branches.name,
        path: branches.path,
        // Spelled out in SQL: inside a select list drizzle renders a column without its table, which the subquery would capture.
        members: int(sql`(SELECT count(*) FROM members m WHERE m.branch_id = "branches"."id" AND m.status = 'active')`),
      })
      .from(branches)
      .where(
        and(
          ctx.actor.role === "admin" ? undefined : sql`${branches.id} IN ${ledSubtreeIds(ctx.actor.memberId)}`,
          q.branchId ? sql`${branches.id} IN ${subtreeIds(q.branchId)}` : undefined,
        ),
      ),
  ]);

  const key = (branchId: string | null, year: number) => `${branchId ?? ""}|${year}`;
  const kinds = ["self", "leader", "peer", "public"] as const;
  const sums = new Map<string, Record<(typeof kinds)[number], Sums>>();
  const sumsOf = (k: string) => {
    let s = sums.get(k);
    if (!s) sums.set(k, (s = { self: zero(), leader: zero(), peer: zero(), public: zero() }));
    return s;
  };
  for (const e of evaluations) sumsOf(key(e.branchId, e.year))[e.kind] = { sum: e.sum, n: e.n };
  for (const r of ratings) sumsOf(key(r.branchId, r.year)).public = { sum: starsToScore(r.sum), n: r.n };

  const membersOf = new Map(branchRows.map((r) => [r.id, r.members]));
  if (q.year !== undefined) {
    // A branch with members and no pledge that year is a row of zeros, not an absence.
    const present = new Set(counts.map((c) => c.branchId));
    for (const br of branchRows) {
      if (br.members > 0 && !present.has(br.id)) {
        counts.push({ branchId: br.id, branchName: br.name, branchPath: br.path, year: q.year, pledged: 0, approved: 0, fulfilled: 0, partlyFulfilled: 0, unfulfilled: 0, overdue: 0, scoreSum: 0, scoreN: 0 });
      }
    }
  }

  const total = { pledged: 0, approved: 0, fulfilled: 0, partlyFulfilled: 0, unfulfilled: 0, overdue: 0, score: zero(), self: zero(), leader: zero(), peer: zero(), public: zero() };
  const rows = counts
    .sort((a, b) => (a.branchPath ?? "~").localeCompare(b.branchPath ?? "~") || a.year - b.year)
    .map((c): Row => {
      const s = sumsOf(key(c.branchId, c.year));
      const score = { sum: c.scoreSum, n: c.scoreN };
      for (const f of ["pledged", "approved", "fulfilled", "partlyFulfilled", "unfulfilled", "overdue"] as const) total[f] += c[f];
      total.score = add(total.score, score);
      for (const k of kinds) total[k] = add(total[k], s[k]);
      const members = c.branchId ? (membersOf.get(c.branchId) ?? 0) : null;
      return {
        branchId: c.branchId,
        branchName: c.branchName,
        year: c.year,
        members,
        pledged: c.pledged,
        approved: c.approved,
        fulfilled: c.fulfilled,
        partlyFulfilled: c.partlyFulfilled,
        unfulfilled: c.unfulfilled,
        overdue: c.overdue,
        averageScore: mean(score),
        averageSelf: mean(s.self),
        averageLeader: mean(s.leader),
        averagePeer: mean(s.peer),
        averagePublic: mean(s.public),
      };
    });
  return {
    asOf: today,
    data: rows,
    totals: {
      // Each branch once, however many years it appears in.
      members: [...new Set(rows.map((r) => r.branchId))].reduce((n, id) => n + (id ? (membersOf.get(id) ?? 0) : 0), 0),
      pledged: total.pledged,
      approved: total.approved,
      fulfilled: total.fulfilled,
      partlyFulfilled: total.partlyFulfilled,
      unfulfilled: total.unfulfilled,
      overdue: total.overdue,
      averageScore: mean(total.score),
      averageSelf: mean(total.self),
      averageLeader: mean(total.leader),
      averagePeer: mean(total.peer),
      averagePublic: mean(total.public),
    },
  };
}

const csvHeader = {
  "zh-CN": ["组织", "年度", "党员数", "承诺数", "已审核", "已践诺", "部分践诺", "未践诺", "已逾期", "平均综合得分", "平均自评", "平均组织评价", "平均互评", "平均群众评价"],
  en: ["Branch", "Year", "Members", "Pledged", "Approved", "Fulfilled", "Partly fulfilled", "Unfulfilled", "Overdue", "Average score", "Average self", "Average leader", "Average peer", "Average public"],
};
const figuresOf = (r: v.InferOutput<ReturnType<typeof v.object<typeof figures>>>) => [r.pledged, r.approved, r.fulfilled, r.partlyFulfilled, r.unfulfilled, r.overdue, r.averageScore, r.averageSelf, r.averageLeader, r.averagePeer, r.averagePublic];

export const pledgeReportRoutes = new Hono<AppEnv>().use(requireRole("admin", "secretary")).get(
  "/",
  docs({ summary: "Pledges per branch and year: pledged, approved, fulfilled, overdue, average scores (secretary: own subtrees); CSV with Accept: text/csv", description: CSV_DESCRIPTION, tags: ["reports"], responses: { 200: reportOut } }),
  validate("query", reportQuery),
  async (c) => {
    const q = c.req.valid("query");
    const report = await pledgeReport(serviceContext(c), q);
    if (wantsCsv(c)) {
      const lang = c.get("lang");
      const unassigned = lang === "en" ? "(no branch)" : "（未分组织）";
      const rows = report.data.map((r) => [r.branchName ?? unassigned, r.year, r.members, ...figuresOf(r)]);
      rows.push([lang === "en" ? "Total" : "合计", q.year ?? "", report.totals.members, ...figuresOf(report.totals)]);
      return csvResponse(`承诺践诺-${q.year ?? "all"}.csv`, csvHeader[lang], rows);
    }
    return c.json(report, 200);
  },
);
