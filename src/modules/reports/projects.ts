import { sql, type SQL } from "drizzle-orm";
import * as v from "valibot";
import { addDays } from "../../calendar/days.js";
import { localDate, zonedInstant } from "../../calendar/zoned.js";
import type { ServiceContext } from "../../http/env.js";
import { invalidField } from "../../http/problem.js";
import { reportableProjects } from "../projects/access.js";
import { dateField } from "../../http/fields.js";
import { overdueAt, UNRESOLVED_SQL } from "../issues/statuses.js";
import { periodField, periodRange } from "./periods.js";

/**
 * 路长制 timeliness (吹哨报到: is it handled, and in time?), per project, per road chief or per
 * responsible unit, for a period of tenant-local dates:
 *
 * - visits / coordinations: current service logs (a corrected entry counts once, as its correction)
 *   whose visit started in the period; site visits and inspections are visits, meetings and phone
 *   calls coordinations. Not kept per unit (null there).
 * - the cohort: problems raised in the period. raised; acknowledged (now) and of those on time
 *   (acknowledged at or before acknowledge-by; a transfer restarts that clock for the new handler);
 *   resolved (now: resolved, verified or closed) and of those on time (at or before resolve-by);
 *   median and 90th percentile of days from raised to resolved (calendar days, two decimals; median
 *   of an even count is the mean of the middle two, p90 is the nearest rank ⌈0.9·n⌉).
 * - openNow / overdueNow: every problem of the group, whenever raised, unresolved now / overdue now.
 *
 * A problem naming several responsible units counts for each of them; totals count it once.
 * Who sees which projects: admin all; a secretary the projects of their partner branches' subtrees
 * and their own; anyone else the projects they are road chief of.
 */

export const projectReportQuery = v.strictObject({
  /** 2026, 2026-H1, 2026-Q3 or 2026-11; or give from and to. Default: this year. */
  period: v.optional(periodField),
  from: v.optional(dateField),
  to: v.optional(dateField),
  by: v.optional(v.picklist(["project", "road_chief", "unit"]), "project"),
  format: v.optional(v.picklist(["json", "csv"])),
});
export type ProjectReportQuery = v.InferOutput<typeof projectReportQuery>;

const figuresOut = {
  visits: v.nullable(v.number()),
  coordinations: v.nullable(v.number()),
  raised: v.number(),
  acknowledged: v.number(),
  acknowledgedOnTime: v.number(),
  resolved: v.number(),
  resolvedOnTime: v.number(),
  medianDaysToResolve: v.nullable(v.number()),
  p90DaysToResolve: v.nullable(v.number()),
  openNow: v.number(),
  overdueNow: v.number(),
};

export const projectReportOut = v.object({
  by: v.picklist(["project", "road_chief", "unit"]),
  from: v.string(),
  to: v.string(),
  asOf: v.string(),
  rows: v.array(
    v.object({
      /** Project id, road chief's member id, or unit name; null for "none named". */
      key: v.nullable(v.string()),
      label: v.nullable(v.string()),
      roadChiefId: v.optional(v.nullable(v.string())),
      roadChiefName: v.optional(v.nullable(v.string())),
      ...figuresOut,
    }),
  ),
  totals: v.object(figuresOut),
});

type Figures = { [K in keyof typeof figuresOut]: number | null };

function periodOf(ctx: ServiceContext, q: ProjectReportQuery) {
  if (q.period && (q.from || q.to)) throw invalidField("period", "period 与 from/to 只能二选一 / Give period, or from and to, not both");
  if (q.period) {
    const { start, end } = periodRange(q.period);
    return { from: start, to: end };
  }
  const today = localDate(ctx.now, ctx.tenant.timezone);
  const from = q.from ?? `${(q.to ?? today).slice(0, 4)}-01-01`;
  const to = q.to ?? (from.slice(0, 4) === today.slice(0, 4) ? today : `${from.slice(0, 4)}-12-31`);
  if (to < from) throw invalidField("to", "结束日期不能早于开始日期 / to cannot be before from");
  if (Date.parse(to) - Date.parse(from) > 5 * 366 * 86_400_000) throw invalidField("to", "统计区间最长 5 年 / At most 5 years");
  return { from, to };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export async function projectTimeliness(ctx: ServiceContext, q: ProjectReportQuery) {
  const { from, to } = periodOf(ctx, q);
  const tz = ctx.tenant.timezone;
  const start = zonedInstant(from, "00:00:00", tz).toISOString();
  const end = zonedInstant(addDays(to, 1), "00:00:00", tz).toISOString();
  const now = ctx.now.toISOString();
  const visible = reportableProjects(ctx.actor);
  const byUnit = q.by === "unit";

  const keyOf: SQL = q.by === "project" ? sql`p.id` : q.by === "road_chief" ? sql`coalesce(p.road_chief_id, '')` : sql`coalesce(u.unit, '')`;
  const unitJoin = (grouped: boolean) => (grouped && byUnit ? sql`LEFT JOIN issue_units u ON u.issue_id = i.id` : sql``);
  const cohort = sql`i.raised_at >= ${start} AND i.raised_at < ${end}`;

  const visitsQuery = (key: SQL) =>
    ctx.db.all<{ k: string; visits: number; coordinations: number }>(sql`
      SELECT ${key} AS k,
        coalesce(sum(l.kind IN ('site_visit','inspection')), 0) AS visits,
        coalesce(sum(l.kind IN ('coordination_meeting','phone_coordination')), 0) AS coordinations
      FROM project_logs l JOIN projects p ON p.id = l.project_id
      WHERE ${visible} AND l.visited_at >= ${start} AND l.visited_at < ${end}
        AND NOT EXISTS (SELECT 1 FROM project_logs c WHERE c.corrects_id = l.id)
      GROUP BY k`);
  const cohortQuery = (key: SQL, grouped: boolean) =>
    ctx.db.all<{ k: string; raised: number; acknowledged: number; acknowledgedOnTime: number; resolved: number; resolvedOnTime: number }>(sql`
      SELECT ${key} AS k, count(*) AS raised,
        coalesce(sum(i.acknowledged_at IS NOT NULL), 0) AS acknowledged,
        coalesce(sum(i.acknowledged_at IS NOT NULL AND i.acknowledged_at <= i.ack_due_at), 0) AS acknowledgedOnTime,
        coalesce(sum(i.resolved_at IS NOT NULL), 0) AS resolved,
        coalesce(sum(i.resolved_at IS NOT NULL AND i.resolved_at <= i.resolve_due_at), 0) AS resolvedOnTime
      FROM issues i JOIN projects p ON p.id = i.project_id ${unitJoin(grouped)}
      WHERE ${visible} AND ${cohort}
      GROUP BY k`);
  // Only the rows a median and a p90 need, per group: ranks ⌊(n+1)/2⌋, ⌊n/2⌋+1 and ⌈0.9n⌉.
  const percentileQuery = (key: SQL, grouped: boolean) =>
    ctx.db.all<{ k: string; days: number; rn: number; n: number }>(sql`
      SELECT k, days, rn, n FROM (
        SELECT k, days, row_number() OVER (PARTITION BY k ORDER BY days) AS rn, count(*) OVER (PARTITION BY k) AS n FROM (
          SELECT ${key} AS k, julianday(i.resolved_at) - julianday(i.raised_at) AS days
          FROM issues i JOIN projects p ON p.id = i.project_id ${unitJoin(grouped)}
          WHERE ${visible} AND ${cohort} AND i.resolved_at IS NOT NULL))
      WHERE rn = (n + 1) / 2 OR rn = n / 2 + 1 OR rn = (9 * n + 9) / 10`);
  // Only unresolved problems can be open or overdue now: reading just those uses the status index (the bench saw 7–10×).
  const nowQuery = (key: SQL, grouped: boolean) =>
    ctx.db.all<{ k: string; openNow: number; overdueNow: number }>(sql`
      SELECT ${key} AS k,
        coalesce(sum(i.status IN ${UNRESOLVED_SQL}), 0) AS openNow,
        coalesce(sum(${overdueAt(now)}), 0) AS overdueNow
      FROM issues i JOIN projects p ON p.id = i.project_id ${unitJoin(grouped)}
      WHERE ${visible} AND i.status IN ${UNRESOLVED_SQL}
      GROUP BY k`);
  const labelsQuery =
    q.by === "project"
      ? ctx.db.all<{ k: string; label: string | null; roadChiefId: string | null; roadChiefName: string | null }>(sql`
          SELECT p.id AS k, p.name AS label, p.road_chief_id AS roadChiefId, m.name AS roadChiefName
          FROM projects p LEFT JOIN members m ON m.id = p.road_chief_id WHERE ${visible}`)
      : q.by === "road_chief"
        ? ctx.db.all<{ k: string; label: string | null; roadChiefId: string | null; roadChiefName: string | null }>(sql`
            SELECT DISTINCT coalesce(p.road_chief_id, '') AS k, m.name AS label, p.road_chief_id AS roadChiefId, m.name AS roadChiefName
            FROM projects p LEFT JOIN members m ON m.id = p.road_chief_id WHERE ${visible}`)
        : ctx.db.all<{ k: string; label: string | null; roadChiefId: string | null; roadChiefName: string | null }>(sql`
            SELECT DISTINCT coalesce(u.unit, '') AS k, u.unit AS label, NULL AS roadChiefId, NULL AS roadChiefName
            FROM issues i JOIN projects p ON p.id = i.project_id LEFT JOIN issue_units u ON u.issue_id = i.id WHERE ${visible}`);

  const all = sql`'*'`;
  const [labels, visits, cohortRows, percentileRows, nowRows, totalVisits, totalCohort, totalPercentiles, totalNow] = await ctx.db.batch([
    labelsQuery,
    byUnit ? ctx.db.all<{ k: string; visits: number; coordinations: number }>(sql`SELECT NULL AS k WHERE 0`) : visitsQuery(keyOf),
    cohortQuery(keyOf, true),
    percentileQuery(keyOf, true),
    nowQuery(keyOf, true),
    visitsQuery(all),
    cohortQuery(all, false),
    percentileQuery(all, false),
    nowQuery(all, false),
  ]);

  const figures = (k: string, v: typeof visits, c: typeof cohortRows, p: typeof percentileRows, n: typeof nowRows, withVisits: boolean): Figures => {
    const vr = v.find((r) => r.k === k);
    const cr = c.find((r) => r.k === k);
    const nr = n.find((r) => r.k === k);
    const ranks = p.filter((r) => r.k === k);
    const count = Number(ranks[0]?.n ?? 0);
    const at = (rank: number) => Number(ranks.find((r) => Number(r.rn) === rank)?.days);
    const median = count ? (count % 2 ? at((count + 1) / 2) : (at(count / 2) + at(count / 2 + 1)) / 2) : null;
    const p90 = count ? at(Math.ceil((9 * count) / 10)) : null;
    return {
      visits: withVisits ? Number(vr?.visits ?? 0) : null,
      coordinations: withVisits ? Number(vr?.coordinations ?? 0) : null,
      raised: Number(cr?.raised ?? 0),
      acknowledged: Number(cr?.acknowledged ?? 0),
      acknowledgedOnTime: Number(cr?.acknowledgedOnTime ?? 0),
      resolved: Number(cr?.resolved ?? 0),
      resolvedOnTime: Number(cr?.resolvedOnTime ?? 0),
      medianDaysToResolve: median === null ? null : round2(median),
      p90DaysToResolve: p90 === null ? null : round2(p90),
      openNow: Number(nr?.openNow ?? 0),
      overdueNow: Number(nr?.overdueNow ?? 0),
    };
  };

  const seen = new Map(labels.map((l) => [l.k, l]));
  if (byUnit) for (const r of [...cohortRows, ...nowRows]) if (!seen.has(r.k)) seen.set(r.k, { k: r.k, label: r.k || null, roadChiefId: null, roadChiefName: null });
  const rows = [...seen.values()]
    .map((l) => ({
      key: l.k === "" ? null : l.k,
      label: l.k === "" ? null : l.label,
      ...(q.by === "project" ? { roadChiefId: l.roadChiefId, roadChiefName: l.roadChiefName } : {}),
      ...figures(l.k, visits, cohortRows, percentileRows, nowRows, !byUnit),
    }))
    // Named groups by name (Chinese collation), "none named" last.
    .sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : (a.label ?? "").localeCompare(b.label ?? "", "zh-CN") || a.key.localeCompare(b.key)));

  return { by: q.by, from, to, asOf: now, rows, totals: figures("*", totalVisits, totalCohort, totalPercentiles, totalNow, true) };
}

export type ProjectReport = Awaited<ReturnType<typeof projectTimeliness>>;

const headers = {
  "zh-CN": { project: "项目", road_chief: "路长", unit: "责任单位", roadChief: "路长", none: { project: "", road_chief: "（未指定路长）", unit: "（未指定责任单位）" }, total: "合计", figures: ["走访", "协调", "交办问题", "已响应", "按时响应", "已解决", "按时解决", "解决天数中位数", "解决天数P90", "当前未解决", "当前超期"] },
  en: { project: "Project", road_chief: "Road chief", unit: "Responsible unit", roadChief: "Road chief", none: { project: "", road_chief: "(no road chief)", unit: "(no unit named)" }, total: "Total", figures: ["Visits", "Coordinations", "Raised", "Acknowledged", "Acknowledged on time", "Resolved", "Resolved on time", "Median days to resolve", "P90 days to resolve", "Open now", "Overdue now"] },
} as const;

/** The same report as CSV rows (header first), in the reader's language. */
export function projectReportCsv(report: ProjectReport, lang: "zh-CN" | "en") {
  const h = headers[lang];
  const nums = (f: Figures) => [f.visits, f.coordinations, f.raised, f.acknowledged, f.acknowledgedOnTime, f.resolved, f.resolvedOnTime, f.medianDaysToResolve, f.p90DaysToResolve, f.openNow, f.overdueNow];
  const header = [h[report.by], ...(report.by === "project" ? [h.roadChief] : []), ...h.figures];
  const rows = report.rows.map((r) => [r.label ?? h.none[report.by], ...(report.by === "project" ? [r.roadChiefName ?? ""] : []), ...nums(r)]);
  rows.push([h.total, ...(report.by === "project" ? [""] : []), ...nums(report.totals)]);
  return { header, rows };
}
