import { and, eq, sql } from "drizzle-orm";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import { type WorklogItem, worklogClosedMonths, worklogMonths } from "../../db/tenant/worklogs.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden, notFound } from "../../http/problem.js";
import { inScope, scopeOf, scopeQuery, subtreeIds } from "../branches/scope.js";
import { fileRefsOf, refsByEntity } from "../files/attach.js";
import { leaderOf, memberForLog, teamIds } from "./leaders.js";
import { firstOf, lastOf, workingDatesOf } from "./month.js";
import { worklogRulesOf, worklogSettingsQuery } from "./settings.js";
import { branches } from "../../db/tenant/schema.js";

interface DayRow {
  id: string;
  memberId: string;
  date: string;
  kind: "work" | "leave";
  items: string;
  hours: number | null;
  corrections: number;
  createdAt: string;
  updatedAt: string;
}
interface CommentRow {
  id: string;
  entryId: string | null;
  kind: string;
  authorId: string;
  authorName: string | null;
  body: string;
  createdAt: string;
}

/** A day as readers see it: the latest correction's content, else the entry's. */
const currentDays = (memberId: string, from: string, to: string) => sql`
  SELECT e.id AS id, e.member_id AS memberId, e.date AS date,
    coalesce(c.kind, e.kind) AS kind, coalesce(c.items, e.items) AS items, CASE WHEN c.id IS NULL THEN e.hours ELSE c.hours END AS hours,
    coalesce(c.seq, 0) AS corrections, e.created_at AS createdAt, coalesce(c.created_at, e.updated_at) AS updatedAt
  FROM worklog_entries e
  LEFT JOIN worklog_corrections c ON c.entry_id = e.id AND c.seq = (SELECT max(seq) FROM worklog_corrections x WHERE x.entry_id = e.id)
  WHERE e.member_id = ${memberId} AND e.date BETWEEN ${from} AND ${to}
  ORDER BY e.date`;

const commentSelect = sql`SELECT wc.id AS id, wc.entry_id AS entryId, wc.kind AS kind, wc.author_id AS authorId, (SELECT m.name FROM members m WHERE m.id = wc.author_id) AS authorName, wc.body AS body, wc.created_at AS createdAt FROM worklog_comments wc`;

const commentView = ({ entryId: _e, ...c }: CommentRow) => c;

/** A member's month ("my month" when it is the actor's own): every day written, its files and 点评, the rollup, summary, score and disputes. One round trip. */
export async function memberMonth(ctx: ServiceContext, memberId: string, month: string) {
  const [from, to] = [firstOf(month), lastOf(month)];
  const [[member], overrides, closed, [rollup], days, comments, fileRows, done] = await ctx.db.batch([
    memberForLog(ctx, memberId),
    overridesQuery(ctx.db),
    ctx.db.select().from(worklogClosedMonths).where(eq(worklogClosedMonths.month, month)),
    ctx.db.select().from(worklogMonths).where(and(eq(worklogMonths.memberId, memberId), eq(worklogMonths.month, month))),
    ctx.db.all<DayRow>(currentDays(memberId, from, to)),
    ctx.db.all<CommentRow>(sql`${commentSelect} WHERE wc.member_id = ${memberId} AND (wc.month = ${month} OR wc.entry_id IN (SELECT id FROM worklog_entries WHERE member_id = ${memberId} AND date BETWEEN ${from} AND ${to})) ORDER BY wc.id`),
    fileRefsOf(ctx, "worklog_entry", sql`(SELECT id FROM worklog_entries WHERE member_id = ${memberId} AND date BETWEEN ${from} AND ${to})`),
    ctx.db.all<{ id: string; title: string; doneDate: string; doneNote: string | null }>(sql`SELECT id, title, done_date AS doneDate, done_note AS doneNote FROM worklog_assignments WHERE member_id = ${memberId} AND status = 'done' AND done_date BETWEEN ${from} AND ${to} ORDER BY done_date, id`),
  ]);
  if (!member) throw notFound("member.not_found");
  const calendar = tenantCalendar(ctx.nationalCalendar, overrides);
  const files = await refsByEntity(ctx, fileRows);
  const byEntry = new Map<string, ReturnType<typeof commentView>[]>();
  for (const c of comments as CommentRow[]) if (c.entryId) byEntry.set(c.entryId, [...(byEntry.get(c.entryId) ?? []), commentView(c)]);
  return {
    memberId,
    memberName: member.name,
    month,
    closed: !!closed[0],
    leaderId: member.leaderId,
    workingDates: workingDatesOf(calendar, month),
    calendarProvisional: calendar.provisionalBetween(from),
    daysWritten: rollup?.daysWritten ?? 0,
    leaveDays: rollup?.leaveDays ?? 0,
    summary: rollup?.summary ?? null,
    summaryAt: rollup?.summaryAt ?? null,
    score: rollup?.score ?? null,
    scoreItems: rollup?.scoreItems ?? null,
    scoreComment: rollup?.scoreComment ?? null,
    rubricVersion: rollup?.rubricVersion ?? null,
    scoredBy: rollup?.scoredBy ?? null,
    scoredAt: rollup?.scoredAt ?? null,
    days: (days as DayRow[]).map((d) => {
      const items = JSON.parse(d.items) as WorklogItem[];
      const current = new Set(items.flatMap((i) => i.fileIds));
      return { ...d, items, hours: d.hours === null ? null : Number(d.hours), corrections: Number(d.corrections), files: (files.get(d.id) ?? []).filter((f) => current.has(f.id)), comments: byEntry.get(d.id) ?? [] };
    }),
    assignmentsDone: done as { id: string; title: string; doneDate: string; doneNote: string | null }[],
    disputes: (comments as CommentRow[]).filter((c) => c.kind === "dispute").map(commentView),
  };
}

interface TeamRow {
  memberId: string;
  name: string;
  branchName: string | null;
  entryId: string | null;
  kind: string | null;
  items: string | null;
  hours: number | null;
  comments: number;
}

/** The leader's team on one day at a glance: who wrote, who did not, what. One round trip. */
export async function teamDay(ctx: ServiceContext, date: string) {
  const [rows, overrides] = await ctx.db.batch([
    ctx.db.all<TeamRow>(sql`
      SELECT m.id AS memberId, m.name AS name, b.name AS branchName, e.id AS entryId,
        coalesce(c.kind, e.kind) AS kind, coalesce(c.items, e.items) AS items, CASE WHEN c.id IS NULL THEN e.hours ELSE c.hours END AS hours,
        (SELECT count(*) FROM worklog_comments wc WHERE wc.entry_id = e.id) AS comments
      FROM members m LEFT JOIN branches b ON b.id = m.branch_id
      LEFT JOIN worklog_entries e ON e.member_id = m.id AND e.date = ${date}
      LEFT JOIN worklog_corrections c ON c.entry_id = e.id AND c.seq = (SELECT max(seq) FROM worklog_corrections x WHERE x.entry_id = e.id)
      WHERE m.id IN ${teamIds(ctx.actor.memberId)}
      ORDER BY e.id IS NOT NULL, m.name, m.id`),
    overridesQuery(ctx.db),
  ]);
  return {
    date,
    workingDay: tenantCalendar(ctx.nationalCalendar, overrides).isWorkingDay(date),
    data: (rows as TeamRow[]).map((r) => {
      const items = r.items ? (JSON.parse(r.items) as WorklogItem[]) : [];
      return { memberId: r.memberId, name: r.name, branchName: r.branchName, written: r.entryId !== null, kind: r.kind, items: items.length, hours: r.hours === null ? null : Number(r.hours), firstItem: items[0]?.text.slice(0, 80) ?? null, categories: [...new Set(items.map((i) => i.category))], comments: Number(r.comments), entryId: r.entryId };
    }),
  };
}

interface SheetRow {
  memberId: string;
  name: string;
  branchName: string | null;
  daysWritten: number | null;
  leaveDays: number | null;
  summaryAt: string | null;
  score: number | null;
  scoredAt: string | null;
  mine: number;
}

/**
 * The month's scoring sheet: the actor's team, or (admin, or a secretary over it) a branch's subtree.
 * Rows come from the rollups, so a unit of 300 costs 300 indexed rows, not 300 months of entries.
 */
export async function scoringSheet(ctx: ServiceContext, month: string, branchId?: string) {
  // Everything in one batch: the rows are chosen by subquery and dropped if the actor may not see the branch.
  const who = branchId ? sql`m.branch_id IN ${subtreeIds(branchId)} AND m.status != 'disabled'` : sql`m.id IN ${teamIds(ctx.actor.memberId)}`;
  const [led, [branch], settings, overrides, rows] = await ctx.db.batch([
    scopeQuery(ctx),
    ctx.db.select({ path: branches.path }).from(branches).where(eq(branches.id, branchId ?? "")),
    worklogSettingsQuery(ctx.db),
    overridesQuery(ctx.db),
    ctx.db.all<SheetRow>(sql`
      SELECT m.id AS memberId, m.name AS name, b.name AS branchName, r.days_written AS daysWritten, r.leave_days AS leaveDays,
        r.summary_at AS summaryAt, r.score AS score, r.scored_at AS scoredAt, ${leaderOf("m")} = ${ctx.actor.memberId} AS mine
      FROM members m LEFT JOIN branches b ON b.id = m.branch_id
      LEFT JOIN worklog_months r ON r.member_id = m.id AND r.month = ${month}
      WHERE ${who}
      ORDER BY b.path, m.name, m.id`),
  ]);
  if (branchId) {
    if (!branch) throw notFound("branch.not_found");
    if (!inScope(scopeOf(ctx.actor, led), branch.path)) throw ctx.actor.role === "member" ? forbidden() : notFound("branch.not_found");
  }
  const rules = worklogRulesOf(settings);
  return {
    month,
    workingDays: workingDatesOf(tenantCalendar(ctx.nationalCalendar, overrides), month).length,
    rubric: rules.rubric,
    rubricVersion: rules.rubricVersion,
    data: (rows as SheetRow[]).map((r) => ({ memberId: r.memberId, name: r.name, branchName: r.branchName, daysWritten: Number(r.daysWritten ?? 0), leaveDays: Number(r.leaveDays ?? 0), summaryAt: r.summaryAt, score: r.score === null ? null : Number(r.score), scoredAt: r.scoredAt, mine: !!Number(r.mine) })),
  };
}
