import { sql } from "drizzle-orm";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import type { ServiceContext } from "../../http/env.js";
import { today } from "../checklists/service.js";
import { monthsBetween, workingDatesOf } from "../worklogs/month.js";
import { worklogRulesOf, worklogSettingsQuery } from "../worklogs/settings.js";
import { checklistLedger, scopeOn } from "./checklists.js";
import { periodRange } from "./periods.js";

export interface WorklogLedgerRow {
  id: string;
  name: string;
  branchId: string | null;
  branchName: string | null;
  members: number;
  workingDays: number;
  daysWritten: number;
  leaveDays: number;
  /** Days written / (working days so far − leave days), in percent. */
  completeness: number;
  scoredMonths: number;
  averageScore: number | null;
  /** Checklist tasks done / assigned in the period, in percent (null: none assigned). */
  checklistRate: number | null;
  /** weight × average score + (100 − weight) × checklist rate, over 100 (the log alone when no task was assigned). */
  composite: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

interface MemberSums {
  id: string;
  name: string;
  branchId: string | null;
  branchName: string | null;
  written: number;
  leave: number;
  scoreSum: number | null;
  scored: number;
}

/**
 * 电子日志 in the ledger: log completeness, the average monthly score and the composite with the
 * bureau's 日常考评 weight, per member or branch. Read from the member-month rollups (a year of
 * 25,315 members is 300,000 small rows), never from the entries; the checklist side is the checklist
 * ledger's own numbers.
 */
export async function worklogLedger(ctx: ServiceContext, q: { period: string; groupBy: "member" | "branch" }) {
  const { start, end } = periodRange(q.period);
  const [settings, overrides, [packed]] = await ctx.db.batch([
    worklogSettingsQuery(ctx.db),
    overridesQuery(ctx.db),
    // One row holding a JSON array: the client decodes 25,000 rows far slower than one string (bench part 14).
    ctx.db.all<{ rows: string }>(sql`
      SELECT json_group_array(json_array(id, name, branchId, branchName, written, leave, scoreSum, scored)) AS rows FROM (
        SELECT m.id AS id, m.name AS name, m.branch_id AS branchId, b.name AS branchName,
          coalesce(sum(r.days_written), 0) AS written, coalesce(sum(r.leave_days), 0) AS leave, sum(r.score) AS scoreSum, count(r.score) AS scored
        FROM members m LEFT JOIN branches b ON b.id = m.branch_id
        LEFT JOIN worklog_months r ON r.member_id = m.id AND r.month BETWEEN ${start.slice(0, 7)} AND ${end.slice(0, 7)}
        WHERE m.status != 'disabled' AND ${scopeOn(ctx, sql`b.path`, sql`m.id`)}
        GROUP BY m.id ORDER BY b.path, m.name, m.id)`),
  ]);
  const sums = (JSON.parse(packed?.rows ?? "[]") as [string, string, string | null, string | null, number, number, number | null, number][]).map(
    ([id, name, branchId, branchName, written, leave, scoreSum, scored]): MemberSums => ({ id, name, branchId, branchName, written, leave, scoreSum, scored }),
  );
  const tasks = new Map((await checklistLedger(ctx, { period: q.period, groupBy: "member" })).map((r) => [r.id, r]));
  const { weight } = worklogRulesOf(settings);
  // Working days so far: the period's, up to today.
  const calendar = tenantCalendar(ctx.nationalCalendar, overrides);
  const day = today(ctx);
  const workingDays = monthsBetween(start, end).reduce((n, m) => n + workingDatesOf(calendar, m).filter((d) => d <= day).length, 0);
  const composite = (score: number | null, rate: number | null) => (score === null ? null : round1(rate === null ? score : (weight * score + (100 - weight) * rate) / 100));
  const memberRows: (WorklogLedgerRow & { assigned: number; done: number; scoreSum: number })[] = sums.map((s) => {
    const t = tasks.get(s.id);
    const [written, leave, scored, scoreSum] = [Number(s.written), Number(s.leave), Number(s.scored), Number(s.scoreSum ?? 0)];
    const averageScore = scored ? round1(scoreSum / scored) : null;
    const checklistRate = t && t.assigned ? round1((100 * t.done) / t.assigned) : null;
    return { id: s.id, name: s.name, branchId: s.branchId, branchName: s.branchName, members: 1, workingDays, daysWritten: written, leaveDays: leave, completeness: round1((100 * written) / Math.max(1, workingDays - leave)), scoredMonths: scored, averageScore, checklistRate, composite: composite(averageScore, checklistRate), assigned: t?.assigned ?? 0, done: t?.done ?? 0, scoreSum };
  });
  const strip = ({ assigned: _a, done: _d, scoreSum: _s, ...row }: (typeof memberRows)[number]): WorklogLedgerRow => row;
  if (q.groupBy === "member") return { weight, workingDays, data: memberRows.map(strip) };
  const byBranch = new Map<string, typeof memberRows>();
  for (const r of memberRows) if (r.branchId) byBranch.set(r.branchId, [...(byBranch.get(r.branchId) ?? []), r]);
  const data = [...byBranch.entries()].map(([branchId, rows]): WorklogLedgerRow => {
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
    const scored = sum((r) => r.scoredMonths);
    const averageScore = scored ? round1(sum((r) => r.scoreSum) / scored) : null;
    const assigned = sum((r) => r.assigned);
    const checklistRate = assigned ? round1((100 * sum((r) => r.done)) / assigned) : null;
    const leave = sum((r) => r.leaveDays);
    return { id: branchId, name: rows[0]!.branchName ?? "", branchId, branchName: rows[0]!.branchName, members: rows.length, workingDays: workingDays * rows.length, daysWritten: sum((r) => r.daysWritten), leaveDays: leave, completeness: round1((100 * sum((r) => r.daysWritten)) / Math.max(1, workingDays * rows.length - leave)), scoredMonths: scored, averageScore, checklistRate, composite: composite(averageScore, checklistRate) };
  });
  return { weight, workingDays, data };
}
