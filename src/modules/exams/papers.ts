import { type AnyColumn, and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { branches, checklistItems } from "../../db/tenant/schema.js";
import { examAttempts, examPapers, examQuestions, type ExamAttemptRow, type ExamPaperRow, type PaperQuestionRef, type QuestionType } from "../../db/tenant/exams.js";
import type { Actor, ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { type FieldError, forbidden, ProblemError } from "../../http/problem.js";
import { ledSubtreeIds } from "../branches/scope.js";
import { auditInsert } from "../audit/service.js";
import type { PaperInput } from "./schemas.js";

/** Whether a member takes a paper: homed or second-homed anywhere in its branch's subtree; a paper without a branch is the whole bureau's. */
export const memberTakes = (memberId: string | SQL, paperBranchId: AnyColumn | SQL) =>
  sql`(${paperBranchId} IS NULL OR EXISTS (SELECT 1 FROM members tm JOIN branches tb ON tb.id IN (tm.branch_id, tm.second_branch_id)
    WHERE tm.id = ${memberId} AND tb.path GLOB (SELECT tr.path FROM branches tr WHERE tr.id = ${paperBranchId}) || '*'))`;

export const takenBy = (actor: Actor): SQL | undefined => (actor.role === "admin" ? undefined : memberTakes(actor.memberId, examPapers.branchId));

/** The papers an actor manages: an admin all; a secretary those whose audience lies in a subtree they lead; a member none. */
export const managedPapers = (actor: Actor): SQL | undefined =>
  actor.role === "admin" ? undefined : actor.role === "secretary" ? sql`${examPapers.branchId} IN ${ledSubtreeIds(actor.memberId)}` : sql`0`;

/** What a caller sees of papers: an admin all of them; anyone else the published ones they take, and a secretary those they manage. */
export const visiblePapers = (actor: Actor): SQL | undefined =>
  actor.role === "admin" ? undefined : or(and(eq(examPapers.status, "published"), takenBy(actor)), actor.role === "secretary" ? managedPapers(actor) : undefined);

/** A paper the caller manages (404 if they cannot see it, 403 if they see it but do not manage it), and whether anyone has started it. */
async function managedPaper(ctx: ServiceContext, id: string) {
  if (ctx.actor.role === "member") throw forbidden();
  const [{ paper, manages }, started] = await Promise.all([readPaper(ctx, id), ctx.db.select({ id: examAttempts.id }).from(examAttempts).where(eq(examAttempts.paperId, id)).limit(1)]);
  if (!manages) throw forbidden();
  return { paper, started: started.length > 0 };
}

/** A secretary's paper is for a branch they lead (or one below it); an admin's may be the whole bureau's. */
function audienceErrors(ctx: ServiceContext, input: PaperInput, inScope: boolean): FieldError[] {
  if (ctx.actor.role === "admin") return [];
  if (!input.branchId) return [{ path: "branchId", message: "请选择你领导的组织 / Choose a branch you lead" }];
  return inScope ? [] : [{ path: "branchId", message: "只能为你领导的组织出卷 / Only for the branches you lead" }];
}

/** Keys and explanations are shown once the paper says so: on submit, or when its window has closed. */
export const released = (paper: Pick<ExamPaperRow, "resultRelease" | "closesAt">, now: Date) => paper.resultRelease === "on_submit" || now.toISOString() >= paper.closesAt;

/** The branches in the subtrees the caller leads (none for a member), read beside the papers to say which they manage. */
const ledBranches = (ctx: ServiceContext) => ctx.db.select({ id: branches.id }).from(branches).where(sql`${branches.id} IN ${ledSubtreeIds(ctx.actor.memberId)}`);
const manages = (ctx: ServiceContext, p: ExamPaperRow, led: { id: string }[]) => ctx.actor.role === "admin" || (ctx.actor.role === "secretary" && led.some((b) => b.id === p.branchId));

export function paperView(p: ExamPaperRow, mine: ExamAttemptRow[], admin: boolean) {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    status: p.status,
    mode: p.mode,
    questionCount: p.questionCount,
    maxScore: p.maxScore,
    pointsPerType: p.pointsPerType,
    passMark: p.passMark,
    timeLimitMinutes: p.timeLimitMinutes,
    opensAt: p.opensAt,
    closesAt: p.closesAt,
    attemptsAllowed: p.attemptsAllowed,
    graceSeconds: p.graceSeconds,
    shuffleQuestions: p.shuffleQuestions,
    shuffleOptions: p.shuffleOptions,
    resultRelease: p.resultRelease,
    branchId: p.branchId,
    checklistItemId: p.checklistItemId,
    ...(admin ? { questions: p.questions, draws: p.draws } : {}),
    myAttempts: mine.filter((a) => a.paperId === p.id).map((a) => ({ id: a.id, number: a.number, status: a.status, deadline: a.deadline, score: a.score, passed: a.passed })),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export async function listPapers(ctx: ServiceContext, q: { limit: number; cursor?: string; status?: ExamPaperRow["status"] }) {
  const after = decodeCursor(q.cursor, 1);
  const [rows, mine, led] = await ctx.db.batch([
    ctx.db
      .select()
      .from(examPapers)
      .where(and(visiblePapers(ctx.actor), q.status ? eq(examPapers.status, q.status) : undefined, after ? lt(examPapers.id, after[0]!) : undefined))
      .orderBy(desc(examPapers.id))
      .limit(q.limit + 1),
    ctx.db.select().from(examAttempts).where(eq(examAttempts.memberId, ctx.actor.memberId)),
    ledBranches(ctx),
  ]);
  const result = page(rows, q.limit, (r) => [r.id]);
  return { data: result.data.map((p) => paperView(p, mine, manages(ctx, p, led))), nextCursor: result.nextCursor };
}

export async function readPaper(ctx: ServiceContext, id: string) {
  const [rows, mine, led] = await ctx.db.batch([
    ctx.db.select().from(examPapers).where(and(eq(examPapers.id, id), visiblePapers(ctx.actor))),
    ctx.db.select().from(examAttempts).where(and(eq(examAttempts.paperId, id), eq(examAttempts.memberId, ctx.actor.memberId))),
    ledBranches(ctx),
  ]);
  if (!rows[0]) throw new ProblemError("exam_paper.not_found");
  return { paper: rows[0], mine, manages: manages(ctx, rows[0], led) };
}

export async function getPaper(ctx: ServiceContext, id: string) {
  const { paper, mine, manages } = await readPaper(ctx, id);
  return paperView(paper, mine, manages);
}

/** Checks a paper against the bank, pins a fixed paper's questions to their current versions, and computes its size and points. */
async function planPaper(ctx: ServiceContext, input: PaperInput) {
  const ids = input.mode === "fixed" ? input.questionIds : [];
  const tagged = (type: QuestionType, tags: string[]) =>
    and(eq(examQuestions.type, type), isNull(examQuestions.archivedAt), tags.length ? sql`EXISTS (SELECT 1 FROM json_each(${examQuestions.tags}) WHERE value IN ${tags})` : undefined);
  const draws = input.mode === "random" ? input.draws : [];
  const [found, branch, item, ...available] = await ctx.db.batch([
    ctx.db.select({ id: examQuestions.id, version: examQuestions.version, type: examQuestions.type }).from(examQuestions).where(and(inArray(examQuestions.id, ids.length ? ids : [""]), isNull(examQuestions.archivedAt))),
    ctx.db.select({ id: branches.id, led: sql<number>`${branches.id} IN ${ledSubtreeIds(ctx.actor.memberId)}` }).from(branches).where(eq(branches.id, input.branchId ?? "")),
    ctx.db.select({ id: checklistItems.id }).from(checklistItems).where(eq(checklistItems.id, input.checklistItemId ?? "")),
    ...draws.map((d) => ctx.db.select({ n: sql<number>`count(*)` }).from(examQuestions).where(tagged(d.type, d.tags))),
  ] as const);
  const errors: FieldError[] = [];
  const byId = new Map(found.map((q) => [q.id, q]));
  ids.forEach((id, i) => {
    if (!byId.has(id)) errors.push({ path: `questionIds.${i}`, message: "题库中没有这道题（或已停用） / No such question in the bank (or it is archived)" });
    else if (ids.indexOf(id) !== i) errors.push({ path: `questionIds.${i}`, message: "题目重复 / The question repeats" });
  });
  draws.forEach((d, i) => {
    const n = Number((available[i] as { n: number }[])[0]?.n ?? 0);
    if (n < d.count) errors.push({ path: `draws.${i}.count`, message: `题库中符合条件的只有 ${n} 道 / Only ${n} questions in the bank match` });
  });
  if (input.branchId && !branch[0]) errors.push({ path: "branchId", message: "组织不存在 / No such branch" });
  else errors.push(...audienceErrors(ctx, input, Number(branch[0]?.led ?? 0) === 1));
  if (input.checklistItemId && !item[0]) errors.push({ path: "checklistItemId", message: "清单事项不存在 / No such checklist item" });
  const types = input.mode === "fixed" ? ids.flatMap((id) => byId.get(id)?.type ?? []) : draws.flatMap((d) => Array<QuestionType>(d.count).fill(d.type));
  const maxScore = types.reduce((sum, t) => sum + input.pointsPerType[t], 0);
  if (!errors.length && input.passMark > maxScore) errors.push({ path: "passMark", message: `及格分不能高于满分 ${maxScore} / The pass mark cannot exceed the full score of ${maxScore}` });
  if (errors.length) throw new ProblemError("validation.failed", { errors });
  const questions: PaperQuestionRef[] = ids.map((id) => ({ questionId: id, version: byId.get(id)!.version }));
  return { questions, draws, questionCount: types.length, maxScore };
}

function paperFields(input: PaperInput) {
  const { questionIds: _q, draws: _d, ...rest } = input;
  return { ...rest, opensAt: new Date(input.opensAt).toISOString(), closesAt: new Date(input.closesAt).toISOString() };
}

export async function createPaper(ctx: ServiceContext, input: PaperInput) {
  if (ctx.actor.role === "member") throw forbidden();
  const plan = await planPaper(ctx, input);
  const stamp = ctx.now.toISOString();
  const row = { id: newId("ppr", ctx.now.getTime()), ...paperFields(input), ...plan, status: "draft" as const, createdBy: ctx.actor.memberId, createdAt: stamp, updatedAt: stamp };
  await runBatch(ctx.db, [ctx.db.insert(examPapers).values(row), auditInsert(ctx, { action: "exam_paper.created", entityType: "exam_paper", entityId: row.id, after: row })]);
  return paperView(row, [], true);
}

/** A paper changes only until someone has started it: an attempt is taken under the paper as it was. */
export async function updatePaper(ctx: ServiceContext, id: string, input: PaperInput) {
  const { paper, started } = await managedPaper(ctx, id);
  if (started) throw new ProblemError("exam_paper.started");
  const plan = await planPaper(ctx, input);
  const set = { ...paperFields(input), ...plan, updatedAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [
    ctx.db.update(examPapers).set(set).where(and(eq(examPapers.id, id), sql`NOT EXISTS (SELECT 1 FROM exam_attempts WHERE paper_id = ${id})`)),
    auditInsert(ctx, { action: "exam_paper.updated", entityType: "exam_paper", entityId: id, before: paper, after: set }),
  ]);
  return getPaper(ctx, id);
}

export async function setPaperStatus(ctx: ServiceContext, id: string, status: "published" | "archived") {
  const { paper } = await managedPaper(ctx, id);
  if (paper.status === status) return getPaper(ctx, id);
  if (status === "published" && paper.status !== "draft") throw new ProblemError("exam_paper.archived");
  await runBatch(ctx.db, [
    ctx.db.update(examPapers).set({ status, updatedAt: ctx.now.toISOString() }).where(eq(examPapers.id, id)),
    auditInsert(ctx, { action: `exam_paper.${status}`, entityType: "exam_paper", entityId: id, before: { status: paper.status }, after: { status } }),
  ]);
  return getPaper(ctx, id);
}
