import { sql, type SQL } from "drizzle-orm";
import type { ChecklistKind, PointsBasis, RankingNameMode } from "../../db/tenant/checklists.js";
import { publicName } from "../public/names.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden } from "../../http/problem.js";
import { pathInLedSubtree } from "../branches/scope.js";
import { today } from "../checklists/service.js";
import { periodRange } from "./periods.js";
import { competitionRank } from "./rank.js";

export interface LedgerQuery {
  period: string;
  groupBy: "member" | "branch";
  checklistId?: string;
  kind?: ChecklistKind;
}

/** A member's row names their home branch; a branch's row names the branch itself (id = branchId). */
export interface LedgerRow {
  id: string;
  name: string;
  branchId: string | null;
  branchName: string | null;
  assigned: number;
  done: number;
  onTime: number;
  late: number;
  overdue: number;
  open: number;
  shortfall: number;
  returns: number;
  /** Done on time by an accepted back-fill (补录), counted in `onTime`. */
  backfilled: number;
  points: number;
}

const tally = (today: string) => sql`
  count(*) AS assigned,
  coalesce(sum(t.state = 'done'), 0) AS done,
  coalesce(sum(t.state = 'done' AND t.completed_late = 0), 0) AS onTime,
  coalesce(sum(t.state = 'done' AND t.completed_late = 1), 0) AS late,
  coalesce(sum(t.state IN ('open','returned') AND t.due_date < ${today}), 0) AS overdue,
  coalesce(sum(t.state != 'done' AND t.due_date >= ${today}), 0) AS open,
  coalesce(sum(CASE WHEN t.state != 'done' AND t.min_count > t.done_count THEN t.min_count - t.done_count ELSE 0 END), 0) AS shortfall,
  coalesce(sum(t.return_count), 0) AS returns,
  coalesce(sum(t.backfill_at IS NOT NULL), 0) AS backfilled,
  coalesce(sum(t.points), 0) AS points`;

/** Rows a caller may see: all for an admin; a secretary's subtrees; a member their own row (or branch). */
export function scopeOn(ctx: ServiceContext, branchPath: SQL, memberId?: SQL): SQL {
  if (ctx.actor.role === "admin") return sql`1`;
  if (ctx.actor.role === "secretary") return pathInLedSubtree(ctx.actor.memberId, branchPath);
  if (memberId) return sql`${memberId} = ${ctx.actor.memberId}`;
  return sql`${branchPath} IN (SELECT path FROM branches WHERE id IN (SELECT branch_id FROM members WHERE id = ${ctx.actor.memberId} UNION SELECT second_branch_id FROM members WHERE id = ${ctx.actor.memberId}))`;
}

/**
 * The electronic ledger (电子台账): generated from tasks and their records, never typed in. A member's
 * row counts the tasks they were assigned; a branch's counts its own tasks and its members'.
 */
export async function checklistLedger(ctx: ServiceContext, q: LedgerQuery): Promise<LedgerRow[]> {
  const rows = await ledgerRows(ctx, q, "caller");
  return rows.filter((r) => r.visible).map(({ visible: _v, ...r }) => r);
}

/**
 * The ledger's rows, each saying whether the caller may see it: `caller` reads only those; `everyone`
 * reads all of them (rankings rank among everyone ranked, then show what the caller may see).
 */
async function ledgerRows(ctx: ServiceContext, q: LedgerQuery, among: "caller" | "everyone"): Promise<(LedgerRow & { visible: boolean })[]> {
  const { start, end } = periodRange(q.period);
  const day = today(ctx);
  const filter = sql`t.due_date BETWEEN ${start} AND ${end}
    ${q.checklistId ? sql`AND t.checklist_id = ${q.checklistId}` : sql``}
    ${q.kind ? sql`AND c.kind = ${q.kind}` : sql``}`;
  const rows =
    q.groupBy === "member"
      ? await ctx.db.all<LedgerRow & { visible: number }>(sql`
          SELECT m.id AS id, m.name AS name, m.branch_id AS branchId, b.name AS branchName, ${tally(day)}, ${scopeOn(ctx, sql`b.path`, sql`m.id`)} AS visible
          FROM tasks t JOIN checklists c ON c.id = t.checklist_id
          JOIN task_assignees ta ON ta.task_id = t.id JOIN members m ON m.id = ta.member_id
          LEFT JOIN branches b ON b.id = m.branch_id
          WHERE ${filter} AND ${among === "caller" ? scopeOn(ctx, sql`b.path`, sql`m.id`) : sql`1`}
          GROUP BY m.id ORDER BY points DESC, m.name, m.id`)
      : // A task shared by several doers counts once per branch; carrying rowids (not text ids) keeps the join back cheap.
        await ctx.db.all<LedgerRow & { visible: number }>(sql`
          WITH attributed AS (
            SELECT DISTINCT t.rowid AS task_rowid, coalesce(ta.branch_id, m.branch_id) AS branch_id
            FROM tasks t JOIN checklists c ON c.id = t.checklist_id
            JOIN task_assignees ta ON ta.task_id = t.id LEFT JOIN members m ON m.id = ta.member_id
            WHERE ${filter})
          SELECT b.id AS id, b.name AS name, b.id AS branchId, b.name AS branchName, ${tally(day)}, ${scopeOn(ctx, sql`b.path`)} AS visible
          FROM attributed a JOIN tasks t ON t.rowid = a.task_rowid JOIN branches b ON b.id = a.branch_id
          WHERE ${among === "caller" ? scopeOn(ctx, sql`b.path`) : sql`1`}
          GROUP BY b.id ORDER BY points DESC, b.path`);
  return rows.map((r) => ({ ...r, assigned: Number(r.assigned), done: Number(r.done), onTime: Number(r.onTime), late: Number(r.late), overdue: Number(r.overdue), open: Number(r.open), shortfall: Number(r.shortfall), returns: Number(r.returns), backfilled: Number(r.backfilled), points: Number(r.points), visible: Boolean(Number(r.visible)) }));
}

/**
 * Rankings: everyone ranked, then what the caller may see. An admin or secretary sees the rows of
 * their ledger with their true ranks. A plain member sees their own row with its true rank among
 * everyone ranked (`ranked` says how many), and the others as the bureau's `rankingNames` allows:
 * in full, surname only (王**), or not at all. Others' member ids are never shown to a member.
 */
export async function checklistRankings(ctx: ServiceContext, q: LedgerQuery, names: RankingNameMode) {
  const ranked = rank(await ledgerRows(ctx, q, "everyone"));
  const data =
    ctx.actor.role !== "member" || names === "hidden" || q.groupBy === "branch"
      ? ranked.filter((r) => r.visible || (ctx.actor.role === "member" && q.groupBy === "branch" && names !== "hidden"))
      : ranked.map((r) => (r.visible ? r : { ...r, id: null, name: publicName(r.name, names) ?? "" }));
  return { ranked: ranked.length, data: data.map(({ visible: _v, ...r }) => r) };
}

/** Competition ranking (1, 2, 2, 4) by points, then fewer late and overdue tasks. */
export function rank<T extends LedgerRow>(rows: T[]) {
  const sorted = [...rows].sort((a, b) => b.points - a.points || a.late + a.overdue - (b.late + b.overdue) || a.name.localeCompare(b.name, "zh-CN"));
  return competitionRank(sorted, (r) => `${r.points}/${r.late + r.overdue}`);
}

interface ScoreRow {
  taskId: string;
  checklistTitle: string;
  module: string;
  title: string;
  dueDate: string;
  completedAt: string;
  completedLate: number;
  returnCount: number;
  points: number;
  pointsBasis: string | null;
}

/** Every point of a member's score, task by task, with the rule that gave it. */
export async function scoreExplanation(ctx: ServiceContext, memberId: string, period: string) {
  const { start, end } = periodRange(period);
  const [visible] = await ctx.db.all<{ ok: number }>(sql`
    SELECT 1 AS ok FROM members m LEFT JOIN branches b ON b.id = m.branch_id
    WHERE m.id = ${memberId} AND (${scopeOn(ctx, sql`b.path`, sql`m.id`)})`);
  if (!visible) throw forbidden();
  const rows = await ctx.db.all<ScoreRow>(sql`
    SELECT t.id AS taskId, c.title AS checklistTitle, t.module AS module, t.title AS title, t.due_date AS dueDate,
      t.completed_at AS completedAt, t.completed_late AS completedLate, t.return_count AS returnCount,
      t.points AS points, t.points_basis AS pointsBasis
    FROM tasks t JOIN checklists c ON c.id = t.checklist_id JOIN task_assignees ta ON ta.task_id = t.id
    WHERE ta.member_id = ${memberId} AND t.state = 'done' AND t.due_date BETWEEN ${start} AND ${end}
    ORDER BY t.due_date, t.id`);
  const tasks = rows.map((r) => {
    const basis = r.pointsBasis ? (JSON.parse(r.pointsBasis) as PointsBasis) : null;
    const parts = basis ? [`${basis.onTime ? (basis.backfill ? "按时完成（补录认定）" : "按时完成") : "逾期完成"} ${basis.base} 分`, ...(basis.returns ? [`退回 ${basis.returns} 次 × ${basis.penaltyEach} 分`] : [])] : [];
    return { taskId: r.taskId, checklistTitle: r.checklistTitle, module: r.module, title: r.title, dueDate: r.dueDate, completedAt: r.completedAt, onTime: !r.completedLate, returns: Number(r.returnCount), points: Number(r.points), basis, explanation: basis ? `${parts.join("，扣 ")} = ${r.points} 分` : `${r.points} 分` };
  });
  return { memberId, period, total: tasks.reduce((n, t) => n + t.points, 0), tasks };
}
