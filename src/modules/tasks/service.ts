import { and, asc, eq, gt, gte, inArray, lte, or, sql } from "drizzle-orm";
import { localDate } from "../../calendar/zoned.js";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { flatRowMapper, preparedPerHandle } from "../../db/prepared.js";
import { checklistItems, checklists, type PointsBasis, type RankingNameMode, taskRecords, taskReviews, taskSettings, tasks } from "../../db/tenant/checklists.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { conflict, forbidden, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { attachableFiles, fileLinkWrites, fileRefsOf, refsByEntity } from "../files/attach.js";
import { today } from "../checklists/service.js";
import { DEFAULT_DUE_SOON_DAYS, doneBy, ofBranch, oversees, statusSql, taskColumns, taskQuery, type TaskSelect, taskView, urgencySql, visibleTo } from "./queries.js";
import type { RecordInput, TaskListQuery } from "./schemas.js";

/** The list everyone opens (one's own tasks, no filter, first page), prepared once per database handle. */
const myFirstPage = preparedPerHandle((db) => {
  const pageIds = db
    .select({ id: tasks.id })
    .from(tasks)
    .innerJoin(checklists, eq(checklists.id, tasks.checklistId))
    .where(and(doneBy(sql.placeholder("member"))))
    .orderBy(asc(tasks.dueDate), asc(tasks.id))
    .limit(sql.placeholder("limit"));
  return taskQuery({ db }, sql.placeholder("today")).where(inArray(tasks.id, pageIds)).orderBy(asc(tasks.dueDate), asc(tasks.id)).prepare();
});
const taskRows = flatRowMapper<TaskSelect>(taskColumns(sql.placeholder("today")));

const unfiltered = (q: TaskListQuery) => !q.memberId && !q.branchId && !q.scope && !q.status && !q.urgency && !q.checklistId && !q.kind && !q.dueBefore && !q.dueAfter && !q.cursor;

export async function listTasks(ctx: ServiceContext, q: TaskListQuery) {
  const day = today(ctx);
  if (unfiltered(q)) {
    const rows = taskRows(await myFirstPage(ctx.db).values({ member: ctx.actor.memberId, today: day, limit: q.limit + 1 }));
    const result = page(rows, q.limit, (r) => [r.dueDate, r.id]);
    return { data: result.data.map(taskView), nextCursor: result.nextCursor };
  }
  const after = decodeCursor(q.cursor, 2);
  const mine = !q.branchId && (!q.memberId || q.memberId === ctx.actor.memberId) && q.scope !== "oversee";
  const whose = q.branchId ? ofBranch(q.branchId) : q.memberId ? doneBy(q.memberId) : q.scope === "oversee" ? oversees(ctx.actor) : doneBy(ctx.actor.memberId);
  // The page is chosen on ids first; the per-task extras (assignees, urgency) are computed for its rows only.
  const pageIds = ctx.db
    .select({ id: tasks.id })
    .from(tasks)
    .innerJoin(checklists, eq(checklists.id, tasks.checklistId))
    .where(
      and(
        // One's own tasks are visible by definition: skip the second copy of the same subquery.
        mine ? undefined : visibleTo(ctx.actor),
        whose,
        q.status ? sql`${statusSql(day)} = ${q.status}` : undefined,
        q.urgency ? sql`${urgencySql(day)} = ${q.urgency}` : undefined,
        q.checklistId ? eq(tasks.checklistId, q.checklistId) : undefined,
        q.kind ? eq(checklists.kind, q.kind) : undefined,
        q.dueBefore ? lte(tasks.dueDate, q.dueBefore) : undefined,
        q.dueAfter ? gte(tasks.dueDate, q.dueAfter) : undefined,
        after ? or(gt(tasks.dueDate, after[0]!), and(eq(tasks.dueDate, after[0]!), gt(tasks.id, after[1]!))) : undefined,
      ),
    )
    .orderBy(asc(tasks.dueDate), asc(tasks.id))
    .limit(q.limit + 1);
  const rows = await taskQuery(ctx, day).where(inArray(tasks.id, pageIds)).orderBy(asc(tasks.dueDate), asc(tasks.id));
  const result = page(rows, q.limit, (r) => [r.dueDate, r.id]);
  return { data: result.data.map(taskView), nextCursor: result.nextCursor };
}

/** Everything an action on a task decides by, in one round trip. */
async function readTask(ctx: ServiceContext, id: string) {
  const day = today(ctx);
  const [rows, doer, overseen, records, reviews, items, recordFiles] = await ctx.db.batch([
    taskQuery(ctx, day).where(and(eq(tasks.id, id), visibleTo(ctx.actor))),
    ctx.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.id, id), doneBy(ctx.actor.memberId))),
    ctx.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.id, id), oversees(ctx.actor))),
    ctx.db.select().from(taskRecords).where(eq(taskRecords.taskId, id)).orderBy(asc(taskRecords.id)),
    ctx.db.select().from(taskReviews).where(eq(taskReviews.taskId, id)).orderBy(asc(taskReviews.id)),
    ctx.db.select({ points: checklistItems.points, latePoints: checklistItems.latePoints, returnPenalty: checklistItems.returnPenalty }).from(checklistItems).innerJoin(tasks, eq(tasks.itemId, checklistItems.id)).where(eq(tasks.id, id)),
    fileRefsOf(ctx, "task_record", ctx.db.select({ id: taskRecords.id }).from(taskRecords).where(eq(taskRecords.taskId, id))),
  ]);
  const row = rows[0];
  if (!row) throw new ProblemError("task.not_found");
  return { task: taskView(row), state: row.state, isDoer: doer.length > 0, oversees: overseen.length > 0, records, reviews, rules: items[0]!, recordFiles };
}

/** A task holds at most this many records (daily for a leap year, and then some): none grows without bound. */
export const MAX_RECORDS_PER_TASK = 400;
/** The task's own page shows its newest records; `GET /v1/tasks/:id/records` pages through all of them. */
export const RECORDS_SHOWN = 50;

export async function getTask(ctx: ServiceContext, id: string) {
  const { task, records, reviews, recordFiles } = await readTask(ctx, id);
  const newest = records.slice(-RECORDS_SHOWN);
  // Sign URLs only for the files of the records shown (a task may hold 400 records of 9 photos).
  const shown = new Set(newest.map((r) => r.id));
  const files = await refsByEntity(ctx, recordFiles.filter((f) => shown.has(f.entityId)));
  return { ...task, records: newest.map((r) => ({ ...r, files: files.get(r.id) ?? [] })), recordCount: records.length, reviews };
}

/** A task's records, oldest first, a page at a time. */
export async function listRecords(ctx: ServiceContext, id: string, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, 1);
  const [visible, rows] = await ctx.db.batch([
    ctx.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.id, id), visibleTo(ctx.actor))),
    ctx.db.select().from(taskRecords).where(and(eq(taskRecords.taskId, id), after ? gt(taskRecords.id, after[0]!) : undefined)).orderBy(asc(taskRecords.id)).limit(q.limit + 1),
  ]);
  if (!visible[0]) throw new ProblemError("task.not_found");
  const result = page(rows, q.limit, (r) => [r.id]);
  const files = await refsByEntity(ctx, result.data.length ? await fileRefsOf(ctx, "task_record", result.data.map((r) => r.id)) : []);
  return { data: result.data.map((r) => ({ ...r, files: files.get(r.id) ?? [] })), nextCursor: result.nextCursor };
}

export async function addRecord(ctx: ServiceContext, id: string, input: RecordInput) {
  // The task's facts and the offered files are read side by side (two requests, one wait).
  const [read, offered] = await Promise.all([readTask(ctx, id), input.fileIds.length ? attachableFiles(ctx, input.fileIds) : []]);
  if (!read.isDoer) throw forbidden();
  if (read.state !== "open" && read.state !== "returned") throw conflict("task.closed");
  if (read.records.length >= MAX_RECORDS_PER_TASK) throw conflict("task.too_many_records", `${MAX_RECORDS_PER_TASK}`);
  const record = { id: newId("rec", ctx.now.getTime()), taskId: id, memberId: ctx.actor.memberId, doneOn: input.doneOn, summary: input.summary, note: input.note ?? null, attachments: input.attachments, createdAt: ctx.now.toISOString() };
  const links = fileLinkWrites(ctx, offered, input.fileIds, { entityType: "task_record", entityId: record.id, scopeType: "task", scopeId: id });
  await runBatch(ctx.db, [
    ctx.db.insert(taskRecords).values(record),
    ...links.statements,
    ctx.db.update(tasks).set({ doneCount: sql`${tasks.doneCount} + 1`, updatedAt: record.createdAt }).where(eq(tasks.id, id)),
    auditInsert(ctx, { action: "task.record_added", entityType: "task", entityId: id, after: { ...record, fileIds: input.fileIds } }),
  ]);
  return { ...record, files: (await refsByEntity(ctx, links.refRows)).get(record.id) ?? [] };
}

/** Points by the item's rules: full on time, `latePoints` late, less `returnPenalty` per return, never below zero; with the basis kept beside them. */
export function award(rules: { points: number; latePoints: number; returnPenalty: number }, late: boolean, returns: number) {
  const basis: PointsBasis = { onTime: !late, base: late ? rules.latePoints : rules.points, returns, penaltyEach: rules.returnPenalty };
  return { points: Math.max(0, basis.base - basis.penaltyEach * returns), pointsBasis: basis };
}

/** Done is judged by when the doer submitted, in the tenant's calendar: a late finish stays late forever. */
function completion(ctx: ServiceContext, submittedAt: string, dueDate: string) {
  return localDate(new Date(submittedAt), ctx.tenant.timezone) > dueDate;
}

export async function submitTask(ctx: ServiceContext, id: string) {
  const read = await readTask(ctx, id);
  const { task } = read;
  if (!read.isDoer) throw forbidden();
  if (read.state !== "open" && read.state !== "returned") throw conflict("task.closed");
  if (task.doneCount < task.minCount) throw new ProblemError("task.below_minimum", `已记录 ${task.doneCount} 次，至少需要 ${task.minCount} 次 / ${task.doneCount} records of at least ${task.minCount}`);
  // Evidence is a link or an uploaded file on any of the task's records.
  const withFiles = new Set(read.recordFiles.map((f) => f.entityId));
  if (task.evidenceRequired && !read.records.some((r) => r.attachments.length > 0 || withFiles.has(r.id))) throw new ProblemError("task.evidence_missing");
  const stamp = ctx.now.toISOString();
  const late = completion(ctx, stamp, task.dueDate);
  const done = !task.reviewRequired;
  const set = done
    ? { state: "done" as const, submittedAt: stamp, completedAt: stamp, completedLate: late, ...award(read.rules, late, task.returnCount), updatedAt: stamp }
    : { state: "submitted" as const, submittedAt: stamp, updatedAt: stamp };
  await runBatch(ctx.db, [
    ctx.db.update(tasks).set(set).where(and(eq(tasks.id, id), sql`${tasks.state} IN ('open','returned')`)),
    auditInsert(ctx, { action: done ? "task.completed" : "task.submitted", entityType: "task", entityId: id, before: { state: read.state }, after: set }),
  ]);
  return getTask(ctx, id);
}

/** A reviewer oversees the doer's branch and is never one of the doers nor the author of a record. */
export async function reviewTask(ctx: ServiceContext, id: string, input: { decision: "approve" | "return"; reason?: string }) {
  const read = await readTask(ctx, id);
  const { task } = read;
  if (!read.oversees) throw forbidden();
  if (read.isDoer || read.records.some((r) => r.memberId === ctx.actor.memberId)) throw new ProblemError("task.reviewer_is_doer");
  if (read.state !== "submitted") throw conflict("task.not_submitted");
  const stamp = ctx.now.toISOString();
  const review = { id: newId("rev", ctx.now.getTime()), taskId: id, reviewerId: ctx.actor.memberId, decision: input.decision === "approve" ? ("approved" as const) : ("returned" as const), reason: input.reason ?? null, createdAt: stamp };
  let set;
  if (input.decision === "approve") {
    const late = completion(ctx, task.submittedAt!, task.dueDate);
    set = { state: "done" as const, completedAt: task.submittedAt, completedLate: late, ...award(read.rules, late, task.returnCount), updatedAt: stamp };
  } else {
    set = { state: "returned" as const, returnCount: task.returnCount + 1, submittedAt: null, updatedAt: stamp };
  }
  await runBatch(ctx.db, [
    ctx.db.insert(taskReviews).values(review),
    ctx.db.update(tasks).set(set).where(and(eq(tasks.id, id), eq(tasks.state, "submitted"))),
    auditInsert(ctx, { action: input.decision === "approve" ? "task.approved" : "task.returned", entityType: "task", entityId: id, before: { state: "submitted" }, after: { ...set, reason: review.reason } }),
  ]);
  return getTask(ctx, id);
}

/**
 * 补录: a reviewer accepts that a task finished late was done on time — its records all date from
 * the due date or before — with a reason. The strict rule stays the default (recorded late is
 * late); this is the documented exception, audited and shown in the task and the ledger.
 */
export async function acceptBackfill(ctx: ServiceContext, id: string, input: { reason: string }) {
  const read = await readTask(ctx, id);
  const { task } = read;
  if (!read.oversees) throw forbidden();
  if (read.isDoer || read.records.some((r) => r.memberId === ctx.actor.memberId)) throw new ProblemError("task.reviewer_is_doer");
  if (read.state !== "done" || !task.completedLate) throw conflict("task.not_late");
  const lastDone = read.records.reduce((latest, r) => (r.doneOn > latest ? r.doneOn : latest), "");
  if (!lastDone || lastDone > task.dueDate) throw new ProblemError("task.backfill_not_on_time", `最后一次完成于 ${lastDone || "—"}，截止 ${task.dueDate} / Last done on ${lastDone || "—"}, due ${task.dueDate}`);
  const stamp = ctx.now.toISOString();
  const awarded = award(read.rules, false, task.returnCount);
  const set = { completedLate: false, points: awarded.points, pointsBasis: { ...awarded.pointsBasis, backfill: true as const }, backfillReason: input.reason, backfillBy: ctx.actor.memberId, backfillAt: stamp, updatedAt: stamp };
  await runBatch(ctx.db, [
    ctx.db.update(tasks).set(set).where(and(eq(tasks.id, id), eq(tasks.state, "done"), eq(tasks.completedLate, true))),
    auditInsert(ctx, { action: "task.backfill_accepted", entityType: "task", entityId: id, before: { completedLate: true, points: task.points }, after: set }),
  ]);
  return getTask(ctx, id);
}

export async function taskSettingsOf(ctx: ServiceContext) {
  const [row] = await ctx.db.select().from(taskSettings).where(eq(taskSettings.id, 1));
  return { dueSoonDays: row?.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS, rankingNames: row?.rankingNames ?? ("hidden" as const) };
}

export async function updateTaskSettings(ctx: ServiceContext, input: { dueSoonDays: number; rankingNames?: RankingNameMode }) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const before = await taskSettingsOf(ctx);
  const after = { dueSoonDays: input.dueSoonDays, rankingNames: input.rankingNames ?? before.rankingNames };
  const stamp = ctx.now.toISOString();
  await runBatch(ctx.db, [
    ctx.db.insert(taskSettings).values({ id: 1, ...after, updatedAt: stamp }).onConflictDoUpdate({ target: taskSettings.id, set: { ...after, updatedAt: stamp } }),
    auditInsert(ctx, { action: "task_settings.updated", entityType: "task_settings", entityId: "1", before, after }),
  ]);
  return after;
}

