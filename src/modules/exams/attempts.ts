import { and, asc, eq, inArray, type Placeholder, sql } from "drizzle-orm";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { tasks } from "../../db/tenant/checklists.js";
import { examAnswers, examAttempts, examPapers, examQuestions, examQuestionVersions, type AttemptItem, type ExamAttemptRow, type ExamPaperRow, type QuestionType } from "../../db/tenant/exams.js";
import type { ServiceContext } from "../../http/env.js";
import { invalidField, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { localDate } from "../../calendar/zoned.js";
import { today } from "../checklists/service.js";
import { doneBy } from "../tasks/queries.js";
import { addRecord } from "../tasks/service.js";
import { readPaper, released } from "./papers.js";
import { isCorrect, shuffled } from "./scoring.js";

type Version = typeof examQuestionVersions.$inferSelect;
type Answer = typeof examAnswers.$inferSelect;
const versionKey = (questionId: string, version: number) => `${questionId}@${version}`;

/** The versions an attempt (or every attempt matching `where`) holds, read through its items: no second round trip. */
const versionsOf = (ctx: ServiceContext, attemptsSql: ReturnType<typeof sql>) =>
  ctx.db
    .select()
    .from(examQuestionVersions)
    .where(sql`(${examQuestionVersions.questionId}, ${examQuestionVersions.version}) IN (SELECT json_extract(j.value, '$.q'), json_extract(j.value, '$.v') FROM exam_attempts a, json_each(a.items) j WHERE ${attemptsSql})`);

/** The 学习清单 task a pass of the attempt would count toward: the member's open one for the paper's item, the nearest due on or after `day` first. */
const openTaskFor = (ctx: ServiceContext, attemptId: string, memberId: string, day: string) =>
  ctx.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(sql`${tasks.itemId} = (SELECT p.checklist_item_id FROM exam_papers p JOIN exam_attempts a ON a.paper_id = p.id WHERE a.id = ${attemptId})`, doneBy(memberId), inArray(tasks.state, ["open", "returned"])))
    .orderBy(sql`${tasks.dueDate} < ${day}`, asc(tasks.dueDate))
    .limit(1);

/** Everything a view of one's attempt needs, in one round trip. Another member's attempt is a plain 404; an admin may read any. */
async function readAttempt(ctx: ServiceContext, id: string) {
  const own = ctx.actor.role === "admin" ? undefined : eq(examAttempts.memberId, ctx.actor.memberId);
  const [rows, papers, answers, versions, openTasks] = await ctx.db.batch([
    ctx.db.select().from(examAttempts).where(and(eq(examAttempts.id, id), own)),
    ctx.db.select().from(examPapers).where(sql`${examPapers.id} = (SELECT paper_id FROM exam_attempts WHERE id = ${id})`),
    ctx.db.select().from(examAnswers).where(eq(examAnswers.attemptId, id)),
    versionsOf(ctx, sql`a.id = ${id}`),
    openTaskFor(ctx, id, ctx.actor.memberId, today(ctx)),
  ]);
  const attempt = rows[0];
  if (!attempt || !papers[0]) throw new ProblemError("exam_attempt.not_found");
  return { attempt, paper: papers[0], answers, versions: new Map(versions.map((v) => [versionKey(v.questionId, v.version), v])), taskId: openTasks[0]?.id ?? null };
}

/** What the phone shows: the questions without their keys; a released result adds keys, marks and explanations. */
function attemptView(ctx: ServiceContext, attempt: ExamAttemptRow, paper: ExamPaperRow, answers: Answer[], versions: Map<string, Version>) {
  const byPosition = new Map(answers.map((a) => [a.position, a]));
  const show = attempt.status === "submitted" && released(paper, ctx.now);
  return {
    id: attempt.id,
    paperId: paper.id,
    paperTitle: paper.title,
    number: attempt.number,
    status: attempt.status,
    startedAt: attempt.startedAt,
    deadline: attempt.deadline,
    serverTime: ctx.now.toISOString(),
    submittedAt: attempt.submittedAt,
    score: attempt.score,
    maxScore: attempt.maxScore,
    passMark: paper.passMark,
    passed: attempt.passed,
    released: show,
    taskId: attempt.taskId,
    items: attempt.items.map((item, i) => {
      const v = versions.get(versionKey(item.q, item.v))!;
      const saved = byPosition.get(i + 1);
      const options = item.o.map((key) => v.options.find((o) => o.key === key)!).filter(Boolean);
      return {
        position: i + 1,
        questionId: item.q,
        type: v.type,
        stem: v.stem,
        options,
        blanks: v.type === "fill" ? v.answer.length : 0,
        points: paper.pointsPerType[v.type],
        myAnswer: saved?.answer ?? null,
        rev: saved?.rev ?? 0,
        // Keys leave the server only here, once the attempt is submitted and the paper releases results.
        ...(show ? { correct: saved?.correct ?? false, earned: saved?.points ?? 0, answer: v.answer, explanation: v.explanation } : {}),
      };
    }),
  };
}

/** Scores an attempt and closes it: each answer marked in one UPDATE, the attempt's score in another, with the audit row. */
export function closeWrites(ctx: ServiceContext, attempt: ExamAttemptRow, paper: ExamPaperRow, answers: Answer[], versions: Map<string, Version>, how: "submitted" | "expired") {
  const byPosition = new Map(answers.map((a) => [a.position, a]));
  let score = 0;
  const marks: { position: number; correct: boolean; points: number }[] = [];
  attempt.items.forEach((item, i) => {
    const v = versions.get(versionKey(item.q, item.v))!;
    const saved = byPosition.get(i + 1);
    const correct = isCorrect(v.type, v.answer, saved?.answer);
    const points = correct ? paper.pointsPerType[v.type] : 0;
    score += points;
    if (saved) marks.push({ position: i + 1, correct, points });
  });
  const passed = score >= paper.passMark;
  // A submit at the last second is stamped no later than the deadline's grace allows; an expired attempt closes at its cut.
  const submittedAt = how === "expired" ? attempt.acceptUntil : ctx.now.toISOString();
  const statements: Statement[] = [];
  if (marks.length) {
    const cases = (pick: (m: (typeof marks)[number]) => number) => sql.join([sql`CASE position`, ...marks.map((m) => sql`WHEN ${m.position} THEN ${pick(m)}`), sql`ELSE 0 END`], sql` `);
    statements.push(ctx.db.run(sql`UPDATE exam_answers SET correct = ${cases((m) => (m.correct ? 1 : 0))}, points = ${cases((m) => m.points)} WHERE attempt_id = ${attempt.id}`));
  }
  statements.push(ctx.db.update(examAttempts).set({ status: "submitted", submittedAt, score, passed }).where(and(eq(examAttempts.id, attempt.id), eq(examAttempts.status, "in_progress"))));
  statements.push(auditInsert(ctx, { action: how === "submitted" ? "exam_attempt.submitted" : "exam_attempt.expired", entityType: "exam_attempt", entityId: attempt.id, after: { score, passed, answered: marks.length, correct: marks.filter((m) => m.correct).length } }));
  return { statements, closed: { ...attempt, status: "submitted" as const, submittedAt, score, passed }, marks };
}

const applyMarks = (answers: Answer[], marks: { position: number; correct: boolean; points: number }[]) => {
  const byPosition = new Map(marks.map((m) => [m.position, m]));
  return answers.map((a) => ({ ...a, correct: byPosition.get(a.position)?.correct ?? false, points: byPosition.get(a.position)?.points ?? 0 }));
};

/**
 * A pass on a paper that evidences a 学习清单 item records a completion on the member's task (counting
 * toward its minimum), dated the day the attempt closed: an attempt that ran out of time and is scored
 * later (on the next read, or in the morning job) counts as if it had been submitted at its cut. The
 * record is the member's own, whoever's request or job closed the attempt.
 */
async function recordPass(ctx: ServiceContext, attempt: ExamAttemptRow, paper: ExamPaperRow, taskId: string | null) {
  if (!attempt.passed || !taskId) return attempt;
  const member: ServiceContext = { ...ctx, actor: { ...ctx.actor, memberId: attempt.memberId, role: "member" } };
  try {
    await addRecord(member, taskId, { doneOn: localDate(new Date(attempt.submittedAt ?? ctx.now), ctx.tenant.timezone), summary: `考试通过：${paper.title}（${attempt.score}/${attempt.maxScore} 分）`, note: null, attachments: [], fileIds: [] });
  } catch (error) {
    // The task closed or filled up meanwhile: the pass stands, it simply has nothing to count toward.
    if (error instanceof ProblemError && error.status === 409) return attempt;
    throw error;
  }
  await ctx.db.update(examAttempts).set({ taskId }).where(eq(examAttempts.id, attempt.id));
  return { ...attempt, taskId };
}

/** One's attempt: in progress (to resume), or its result. An attempt past its cut is closed and scored as it is read. */
export async function getAttempt(ctx: ServiceContext, id: string) {
  const read = await readAttempt(ctx, id);
  if (read.attempt.status === "in_progress" && read.attempt.acceptUntil < ctx.now.toISOString()) {
    const { statements, closed, marks } = closeWrites(ctx, read.attempt, read.paper, read.answers, read.versions, "expired");
    const results = await ctx.db.batch(statements as [Statement, ...Statement[]]);
    const won = (results[marks.length ? 1 : 0] as { rowsAffected?: number }).rowsAffected !== 0;
    const taskId = read.attempt.memberId === ctx.actor.memberId ? read.taskId : (await openTaskFor(ctx, id, read.attempt.memberId, localDate(new Date(closed.submittedAt), ctx.tenant.timezone)))[0]?.id ?? null;
    const recorded = won ? await recordPass(ctx, closed, read.paper, taskId) : closed;
    return attemptView(ctx, recorded, read.paper, applyMarks(read.answers, marks), read.versions);
  }
  return attemptView(ctx, read.attempt, read.paper, read.answers, read.versions);
}

/** An attempt whose time ran out unsubmitted at `stamp` (alias a): what closeExpiredAttempts closes, and the morning job's probe asks for. */
export const expiredAttempt = (stamp: string | Placeholder) => sql`a.status = 'in_progress' AND a.accept_until < ${stamp}`;

/**
 * Attempts left open past their cut (the phone went away) are scored as they stand, and a pass counts
 * toward its 学习清单 task like a submitted one: before anyone counts a paper's results (rankings,
 * statistics), and for every paper in the tenant's morning job. One read, one write, then a record per
 * pass on a linked paper. The system, not the reader, is the audit actor of the scoring.
 */
export async function closeExpiredAttempts(ctx: ServiceContext, paperId?: string): Promise<number> {
  const stamp = ctx.now.toISOString();
  const ofPaper = paperId ? sql`a.paper_id = ${paperId} AND ` : sql``;
  const expired = sql`${ofPaper}${expiredAttempt(stamp)}`;
  const [attempts, papers, answers, versions] = await ctx.db.batch([
    ctx.db.select().from(examAttempts).where(sql`${examAttempts.id} IN (SELECT a.id FROM exam_attempts a WHERE ${expired})`),
    ctx.db.select().from(examPapers).where(sql`${examPapers.id} IN (SELECT a.paper_id FROM exam_attempts a WHERE ${expired})`),
    ctx.db.select().from(examAnswers).where(sql`${examAnswers.attemptId} IN (SELECT a.id FROM exam_attempts a WHERE ${expired})`),
    versionsOf(ctx, expired),
  ]);
  if (!attempts.length) return 0;
  const byKey = new Map(versions.map((v) => [versionKey(v.questionId, v.version), v]));
  const paperOf = new Map(papers.map((p) => [p.id, p]));
  const byAttempt = new Map<string, Answer[]>();
  for (const a of answers) byAttempt.set(a.attemptId, [...(byAttempt.get(a.attemptId) ?? []), a]);
  const system = { ...ctx, actor: null } as unknown as ServiceContext;
  const closes = attempts.map((a) => ({ a, ...closeWrites(system, a, paperOf.get(a.paperId)!, byAttempt.get(a.id) ?? [], byKey, "expired") }));
  const results = await ctx.db.batch(closes.flatMap((c) => c.statements) as [Statement, ...Statement[]]);
  // Only the closes whose guarded UPDATE changed the row record a pass (a reader may have closed one meanwhile).
  let at = 0;
  const won = closes.filter((c) => {
    const update = results[at + (c.marks.length ? 1 : 0)] as { rowsAffected?: number };
    at += c.statements.length;
    return update.rowsAffected !== 0;
  });
  for (const c of won) {
    const paper = paperOf.get(c.a.paperId)!;
    if (!c.closed.passed || !paper.checklistItemId) continue;
    const [task] = await openTaskFor(ctx, c.a.id, c.a.memberId, localDate(new Date(c.closed.submittedAt), ctx.tenant.timezone));
    await recordPass(ctx, c.closed, paper, task?.id ?? null);
  }
  return won.length;
}

/** Submitting twice answers the same result. */
export async function submitAttempt(ctx: ServiceContext, id: string) {
  const read = await readAttempt(ctx, id);
  if (read.attempt.memberId !== ctx.actor.memberId) throw new ProblemError("exam_attempt.not_found");
  if (read.attempt.status === "submitted") return attemptView(ctx, read.attempt, read.paper, read.answers, read.versions);
  const how = read.attempt.acceptUntil < ctx.now.toISOString() ? "expired" : "submitted";
  const { statements, closed, marks } = closeWrites(ctx, read.attempt, read.paper, read.answers, read.versions, how);
  const results = await ctx.db.batch(statements as [Statement, ...Statement[]]);
  // Only the request whose UPDATE closed the attempt records the pass (two submits at once record one).
  const won = (results[marks.length ? 1 : 0] as { rowsAffected?: number }).rowsAffected !== 0;
  const recorded = won ? await recordPass(ctx, closed, read.paper, read.taskId) : closed;
  return attemptView(ctx, recorded, read.paper, applyMarks(read.answers, marks), read.versions);
}

/** The questions of a new attempt: a fixed paper's, or drawn per member by type and tags; shuffled as the paper says. */
async function drawItems(ctx: ServiceContext, paper: ExamPaperRow) {
  if (paper.mode === "fixed") {
    const refs = paper.questions;
    const versions = await ctx.db.select().from(examQuestionVersions).where(sql`(${examQuestionVersions.questionId}, ${examQuestionVersions.version}) IN (SELECT json_extract(value, '$.questionId'), json_extract(value, '$.version') FROM json_each(${JSON.stringify(refs)}))`);
    return { refs: refs.map((r) => ({ q: r.questionId, v: r.version })), versions };
  }
  const pools = await ctx.db.batch(
    paper.draws.map((d) =>
      ctx.db
        .select()
        .from(examQuestions)
        .where(and(eq(examQuestions.type, d.type), sql`${examQuestions.archivedAt} IS NULL`, d.tags.length ? sql`EXISTS (SELECT 1 FROM json_each(${examQuestions.tags}) WHERE value IN ${d.tags})` : undefined)),
    ) as [never, ...never[]],
  );
  const taken = new Set<string>();
  const refs: { q: string; v: number }[] = [];
  const versions: Version[] = [];
  paper.draws.forEach((d, i) => {
    const pool = shuffled((pools[i] as unknown as (typeof examQuestions.$inferSelect)[]).filter((q) => !taken.has(q.id)));
    if (pool.length < d.count) throw new ProblemError("exam_paper.bank_short");
    for (const q of pool.slice(0, d.count)) {
      taken.add(q.id);
      refs.push({ q: q.id, v: q.version });
      versions.push({ questionId: q.id, version: q.version, type: q.type, stem: q.stem, options: q.options, answer: q.answer, explanation: q.explanation, tags: q.tags, difficulty: q.difficulty, createdAt: q.updatedAt });
    }
  });
  return { refs, versions };
}

/**
 * Opens the paper for the caller: resumes their attempt in progress, or starts the next one. The clock
 * is the server's: the deadline is now plus the time limit, never after the paper closes.
 */
export async function startAttempt(ctx: ServiceContext, paperId: string) {
  const { paper, mine } = await readPaper(ctx, paperId);
  const stamp = ctx.now.toISOString();
  if (paper.status !== "published" || stamp < paper.opensAt) throw new ProblemError("exam_paper.not_open");
  const open = mine.find((a) => a.status === "in_progress");
  if (open && open.acceptUntil >= stamp) return getAttempt(ctx, open.id);
  if (stamp >= paper.closesAt) throw new ProblemError("exam_paper.closed");
  if (open) await getAttempt(ctx, open.id); // closes and scores the expired one
  if (mine.length >= paper.attemptsAllowed) throw new ProblemError("exam_attempt.none_left");
  const { refs, versions } = await drawItems(ctx, paper);
  const byKey = new Map(versions.map((v) => [versionKey(v.questionId, v.version), v]));
  const items: AttemptItem[] = (paper.shuffleQuestions ? shuffled(refs) : refs).map((r) => {
    const keys = byKey.get(versionKey(r.q, r.v))!.options.map((o) => o.key);
    return { q: r.q, v: r.v, o: paper.shuffleOptions ? shuffled(keys) : keys };
  });
  const deadline = new Date(Math.min(ctx.now.getTime() + paper.timeLimitMinutes * 60_000, Date.parse(paper.closesAt)));
  const row: ExamAttemptRow = {
    id: newId("att", ctx.now.getTime()),
    paperId,
    memberId: ctx.actor.memberId,
    branchId: null,
    number: mine.length + 1,
    items,
    startedAt: stamp,
    deadline: deadline.toISOString(),
    acceptUntil: new Date(deadline.getTime() + paper.graceSeconds * 1000).toISOString(),
    status: "in_progress",
    submittedAt: null,
    score: null,
    maxScore: items.reduce((sum, it) => sum + paper.pointsPerType[byKey.get(versionKey(it.q, it.v))!.type as QuestionType], 0),
    passed: null,
    taskId: null,
  };
  try {
    await runBatch(ctx.db, [
      ctx.db.insert(examAttempts).values({ ...row, branchId: sql`(SELECT branch_id FROM members WHERE id = ${ctx.actor.memberId})` }),
      auditInsert(ctx, { action: "exam_attempt.started", entityType: "exam_attempt", entityId: row.id, after: { paperId, number: row.number, deadline: row.deadline } }),
    ]);
  } catch (error) {
    // A second tap started the same attempt number a moment earlier: open that one.
    if (String(error).includes("UNIQUE")) return startAttempt(ctx, paperId);
    throw error;
  }
  return attemptView(ctx, row, paper, [], byKey);
}

/**
 * Saves one answer in one round trip: the write is guarded in SQL by the attempt's owner, state and
 * cut-off (the server's clock), and an older `rev` never overwrites a newer one, so a retry is harmless.
 * The same batch reads back what is stored, which says why a refused save was refused.
 */
export async function saveAnswer(ctx: ServiceContext, id: string, position: number, input: { answer: string[]; rev: number }) {
  const stamp = ctx.now.toISOString();
  const me = ctx.actor.memberId;
  const [, state] = await ctx.db.batch([
    ctx.db.run(sql`INSERT INTO exam_answers (attempt_id, position, question_id, answer, rev, saved_at)
      SELECT a.id, ${position}, json_extract(a.items, ${`$[${position - 1}].q`}), ${JSON.stringify(input.answer)}, ${input.rev}, ${stamp}
      FROM exam_attempts a
      WHERE a.id = ${id} AND a.member_id = ${me} AND a.status = 'in_progress' AND a.accept_until >= ${stamp} AND json_array_length(a.items) >= ${position}
      ON CONFLICT (attempt_id, position) DO UPDATE SET answer = excluded.answer, rev = excluded.rev, saved_at = excluded.saved_at WHERE excluded.rev > exam_answers.rev`),
    ctx.db.all<{ status: string; acceptUntil: string; count: number; rev: number | null; savedAt: string | null }>(sql`
      SELECT a.status AS status, a.accept_until AS acceptUntil, json_array_length(a.items) AS count, e.rev AS rev, e.saved_at AS savedAt
      FROM exam_attempts a LEFT JOIN exam_answers e ON e.attempt_id = a.id AND e.position = ${position}
      WHERE a.id = ${id} AND a.member_id = ${me}`),
  ]);
  const row = state[0];
  if (!row) throw new ProblemError("exam_attempt.not_found");
  if (position > Number(row.count)) throw invalidField("position", `本卷只有 ${row.count} 题 / The paper has ${row.count} questions`);
  if (row.rev === null || Number(row.rev) < input.rev) {
    if (row.status !== "in_progress") throw new ProblemError("exam_attempt.submitted");
    throw new ProblemError("exam_attempt.time_up");
  }
  return { position, rev: Number(row.rev), savedAt: row.savedAt! };
}
