import { and, eq, sql } from "drizzle-orm";
import { isUniqueViolation, runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import { members } from "../../db/tenant/schema.js";
import { worklogClosedMonths, worklogComments, worklogEntries, worklogMonths } from "../../db/tenant/worklogs.js";
import type { ServiceContext } from "../../http/env.js";
import { conflict, forbidden, invalidField, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { today } from "../checklists/service.js";
import { leaderOf, memberForLog } from "./leaders.js";
import { lastOf, lastWorkingDayOf, workingDatesOf } from "./month.js";
import { rollupWrite } from "./rollup.js";
import type { ScoreBody } from "./schemas.js";
import { worklogRulesOf, worklogSettingsQuery } from "./settings.js";

const monthRow = (ctx: ServiceContext, memberId: string, month: string) => ctx.db.select().from(worklogMonths).where(and(eq(worklogMonths.memberId, memberId), eq(worklogMonths.month, month)));
const closedRow = (ctx: ServiceContext, month: string) => ctx.db.select().from(worklogClosedMonths).where(eq(worklogClosedMonths.month, month));

/** 每月小结: the member's own, from the month's last working day on, until the month is scored or closed. */
export async function submitSummary(ctx: ServiceContext, month: string, summary: string) {
  const memberId = ctx.actor.memberId;
  const [overrides, closed, [before]] = await ctx.db.batch([overridesQuery(ctx.db), closedRow(ctx, month), monthRow(ctx, memberId, month)]);
  const calendar = tenantCalendar(ctx.nationalCalendar, overrides);
  if (today(ctx) < lastWorkingDayOf(calendar, month)) throw conflict("worklog.month_not_over", `小结可在 ${lastWorkingDayOf(calendar, month)} 起提交 / The summary opens on ${lastWorkingDayOf(calendar, month)}`);
  if (closed[0]) throw conflict("worklog.month_closed");
  if (before?.score !== null && before?.score !== undefined) throw conflict("worklog.already_scored");
  const stamp = ctx.now.toISOString();
  await runBatch(ctx.db, [
    rollupWrite(ctx.db, memberId, month, workingDatesOf(calendar, month), stamp),
    ctx.db.update(worklogMonths).set({ summary, summaryAt: stamp, updatedAt: stamp }).where(and(eq(worklogMonths.memberId, memberId), eq(worklogMonths.month, month))),
    auditInsert(ctx, { action: "worklog_summary.submitted", entityType: "worklog_month", entityId: `${memberId}:${month}`, before: before?.summary ?? null, after: summary }),
  ]);
  return { memberId, month, summary, summaryAt: stamp };
}

/**
 * 月度打分: only the member's 分管领导 as resolved now (a replaced leader has lost the power), after
 * the summary, before the month closes. Every rubric item once, within its maximum; the score is the
 * sum, kept with a copy of the rubric and its version.
 */
export async function scoreMonth(ctx: ServiceContext, memberId: string, month: string, input: ScoreBody) {
  const [[member], settings, closed, [before]] = await ctx.db.batch([memberForLog(ctx, memberId), worklogSettingsQuery(ctx.db), closedRow(ctx, month), monthRow(ctx, memberId, month)]);
  if (!member) throw notFound("member.not_found");
  if (member.leaderId !== ctx.actor.memberId) throw forbidden();
  if (closed[0]) throw conflict("worklog.month_closed");
  if (!before?.summaryAt) throw conflict("worklog.summary_missing");
  const rules = worklogRulesOf(settings);
  const given = new Map<string, number>();
  input.items.forEach((item, i) => {
    const rubric = rules.rubric.find((r) => r.key === item.key);
    if (!rubric) throw invalidField(`items.${i}.key`, "评分细则中没有该项 / Not an item of the rubric");
    if (given.has(item.key)) throw invalidField(`items.${i}.key`, "该项重复 / Listed twice");
    if (item.points > rubric.max) throw invalidField(`items.${i}.points`, `该项满分 ${rubric.max} / This item gives at most ${rubric.max}`);
    given.set(item.key, item.points);
  });
  const missing = rules.rubric.find((r) => !given.has(r.key));
  if (missing) throw invalidField("items", `缺少评分项「${missing.name}」 / Missing rubric item ${missing.key}`);
  const scoreItems = rules.rubric.map((r) => ({ ...r, points: given.get(r.key)! }));
  const score = scoreItems.reduce((n, i) => n + i.points, 0);
  const stamp = ctx.now.toISOString();
  const after = { score, scoreItems, scoreComment: input.comment ?? null, rubricVersion: rules.rubricVersion, scoredBy: ctx.actor.memberId, scoredAt: stamp };
  await runBatch(ctx.db, [
    ctx.db.update(worklogMonths).set({ ...after, updatedAt: stamp }).where(and(eq(worklogMonths.memberId, memberId), eq(worklogMonths.month, month))),
    auditInsert(ctx, { action: before.score === null ? "worklog_score.given" : "worklog_score.changed", entityType: "worklog_month", entityId: `${memberId}:${month}`, before: before.score === null ? null : { score: before.score, scoreItems: before.scoreItems, scoreComment: before.scoreComment, rubricVersion: before.rubricVersion, scoredBy: before.scoredBy }, after }),
  ]);
  return { memberId, month, ...after };
}

/** The bureau closes a month once it is over: its days then take only appended corrections. */
export async function closeMonth(ctx: ServiceContext, month: string) {
  if (ctx.actor.role !== "admin") throw forbidden();
  if (today(ctx) <= lastOf(month)) throw conflict("worklog.month_not_over");
  const stamp = ctx.now.toISOString();
  try {
    await runBatch(ctx.db, [ctx.db.insert(worklogClosedMonths).values({ month, closedBy: ctx.actor.memberId, closedAt: stamp }), auditInsert(ctx, { action: "worklog_month.closed", entityType: "worklog_month", entityId: month, after: { month } })]);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("worklog.month_closed");
    throw error;
  }
  return { month, closedBy: ctx.actor.memberId, closedAt: stamp };
}

const commentOut = (row: typeof worklogComments.$inferSelect, authorName: string | null) => ({ id: row.id, kind: row.kind, authorId: row.authorId, authorName, body: row.body, createdAt: row.createdAt });

/** 点评: the member's 分管领导 comments on a day. */
export async function reviewDay(ctx: ServiceContext, entryId: string, body: string) {
  const [[entry]] = await ctx.db.batch([
    ctx.db
      .select({ memberId: worklogEntries.memberId, leaderId: sql<string | null>`(SELECT ${leaderOf("lm")} FROM members lm WHERE lm.id = "worklog_entries"."member_id")`, me: sql<string>`(SELECT name FROM members WHERE id = ${ctx.actor.memberId})` })
      .from(worklogEntries)
      .where(eq(worklogEntries.id, entryId)),
  ]);
  // Someone who does not lead the member learns nothing about the entry, not even that it exists.
  if (!entry || entry.leaderId !== ctx.actor.memberId) throw notFound("worklog_entry.not_found");
  const row = { id: newId("wlc", ctx.now.getTime()), memberId: entry.memberId, kind: "review" as const, entryId, month: null, authorId: ctx.actor.memberId, body, createdAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [ctx.db.insert(worklogComments).values(row), auditInsert(ctx, { action: "worklog_comment.review", entityType: "worklog_entry", entityId: entryId, after: row })]);
  return commentOut(row, entry.me);
}

/** The dispute thread on a month's score: the member, their leader or the bureau; every word audited. */
export async function disputeScore(ctx: ServiceContext, memberId: string, month: string, body: string) {
  const [[member], [rollup], [me]] = await ctx.db.batch([memberForLog(ctx, memberId), monthRow(ctx, memberId, month), ctx.db.select({ name: members.name }).from(members).where(eq(members.id, ctx.actor.memberId))]);
  if (!member) throw notFound("member.not_found");
  if (!(ctx.actor.memberId === memberId || member.leaderId === ctx.actor.memberId || ctx.actor.role === "admin")) throw forbidden();
  if (rollup?.score === null || rollup?.score === undefined) throw conflict("worklog.not_scored");
  const row = { id: newId("wlc", ctx.now.getTime()), memberId, kind: "dispute" as const, entryId: null, month, authorId: ctx.actor.memberId, body, createdAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [ctx.db.insert(worklogComments).values(row), auditInsert(ctx, { action: "worklog_comment.dispute", entityType: "worklog_month", entityId: `${memberId}:${month}`, after: row })]);
  return commentOut(row, me?.name ?? null);
}
