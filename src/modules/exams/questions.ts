import { and, asc, eq, gt, inArray, isNull, like, sql } from "drizzle-orm";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { examQuestions, examQuestionVersions, type ExamQuestionRow, type QuestionContent } from "../../db/tenant/exams.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { type FieldError, forbidden, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { type QuestionInput, type QuestionListQuery } from "./schemas.js";

export const requireAdmin = (ctx: ServiceContext) => {
  if (ctx.actor.role !== "admin") throw forbidden();
};

/** The bank is the bureau's: an admin keeps it; a secretary reads it to make papers for their branches. */
const requireManager = (ctx: ServiceContext) => {
  if (ctx.actor.role === "member") throw forbidden();
};

/** The rules a question's parts must meet together, as field errors (the schema checked each part alone). */
export function contentErrors(c: QuestionContent, at = ""): FieldError[] {
  const errors: FieldError[] = [];
  const keys = c.options.map((o) => o.key);
  const fail = (field: string, message: string) => errors.push({ path: `${at}${field}`, message });
  if (new Set(keys).size !== keys.length) fail("options", "选项字母重复 / Option letters repeat");
  if (c.type === "single" || c.type === "multiple") {
    if (c.options.length < 2) fail("options", "选择题至少需要两个选项 / A choice question needs at least two options");
    const unknown = c.answer.filter((a) => !keys.includes(a));
    if (unknown.length) fail("answer", `答案 ${unknown.join("")} 不在选项中 / Answer ${unknown.join("")} is not an option`);
    if (c.type === "single" && c.answer.length !== 1) fail("answer", "单选题只能有一个答案 / A single-choice question has exactly one answer");
    if (c.type === "multiple" && new Set(c.answer).size < 2) fail("answer", "多选题至少有两个正确选项 / A multiple-choice question has at least two right options");
  } else {
    if (c.options.length) fail("options", "判断题和填空题没有选项 / True/false and fill-in questions have no options");
    if (c.type === "judge" && !(c.answer.length === 1 && (c.answer[0] === "T" || c.answer[0] === "F"))) fail("answer", "判断题答案须为 T 或 F / A true/false answer is T or F");
    if (c.type === "fill" && c.answer.some((blank) => blank.split(/[|｜]/).every((alt) => !alt.trim()))) fail("answer", "每个空都须有答案 / Every blank needs an answer");
  }
  return errors;
}

export const contentOf = (input: QuestionInput): QuestionContent => ({
  type: input.type,
  stem: input.stem,
  options: [...input.options].sort((a, b) => a.key.localeCompare(b.key)),
  answer: input.type === "multiple" ? [...new Set(input.answer)].sort() : input.answer,
  explanation: input.explanation || null,
  tags: [...new Set(input.tags)],
  difficulty: input.difficulty,
});

export const questionView = (r: ExamQuestionRow) => ({
  id: r.id,
  version: r.version,
  type: r.type,
  stem: r.stem,
  options: r.options,
  answer: r.answer,
  explanation: r.explanation,
  tags: r.tags,
  difficulty: r.difficulty,
  archivedAt: r.archivedAt,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const sameContent = (a: QuestionContent, b: QuestionContent) =>
  JSON.stringify([a.type, a.stem, a.options, a.answer, a.explanation, a.tags, a.difficulty]) === JSON.stringify([b.type, b.stem, b.options, b.answer, b.explanation, b.tags, b.difficulty]);

/** The writes of a new question or a new version: the current row and its immutable copy. */
export function versionWrites(ctx: ServiceContext, id: string, version: number, content: QuestionContent, existing?: ExamQuestionRow): Statement[] {
  const stamp = ctx.now.toISOString();
  const snapshot = ctx.db.insert(examQuestionVersions).values({ questionId: id, version, ...content, createdAt: stamp });
  if (existing) return [ctx.db.update(examQuestions).set({ ...content, version, updatedAt: stamp }).where(eq(examQuestions.id, id)), snapshot];
  return [ctx.db.insert(examQuestions).values({ id, version, ...content, archivedAt: null, createdBy: ctx.actor.memberId, createdAt: stamp, updatedAt: stamp }), snapshot];
}

export async function listQuestions(ctx: ServiceContext, q: QuestionListQuery) {
  requireManager(ctx);
  const after = decodeCursor(q.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(examQuestions)
    .where(
      and(
        isNull(examQuestions.archivedAt),
        q.type ? eq(examQuestions.type, q.type) : undefined,
        q.tag ? sql`EXISTS (SELECT 1 FROM json_each(${examQuestions.tags}) WHERE value = ${q.tag})` : undefined,
        q.q ? like(examQuestions.stem, `%${q.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`) : undefined,
        after ? gt(examQuestions.id, after[0]!) : undefined,
      ),
    )
    .orderBy(asc(examQuestions.id))
    .limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => [r.id]);
  return { data: result.data.map(questionView), nextCursor: result.nextCursor };
}

async function readQuestion(ctx: ServiceContext, id: string, manage = false) {
  if (manage) requireAdmin(ctx);
  else requireManager(ctx);
  const [row] = await ctx.db.select().from(examQuestions).where(eq(examQuestions.id, id));
  if (!row) throw new ProblemError("exam_question.not_found");
  return row;
}

export const getQuestion = async (ctx: ServiceContext, id: string) => questionView(await readQuestion(ctx, id));

export async function createQuestion(ctx: ServiceContext, input: QuestionInput) {
  requireAdmin(ctx);
  const content = contentOf(input);
  const errors = contentErrors(content);
  if (errors.length) throw new ProblemError("validation.failed", { errors });
  const id = newId("qst", ctx.now.getTime());
  await runBatch(ctx.db, [...versionWrites(ctx, id, 1, content), auditInsert(ctx, { action: "exam_question.created", entityType: "exam_question", entityId: id, after: content })]);
  return getQuestion(ctx, id);
}

/** An edit is a new version: papers and attempts keep pointing at the version they were made with. */
export async function updateQuestion(ctx: ServiceContext, id: string, patch: Partial<QuestionInput>) {
  const row = await readQuestion(ctx, id, true);
  if (row.archivedAt) throw new ProblemError("exam_question.archived");
  const content = contentOf({ ...questionView(row), explanation: row.explanation, ...patch } as QuestionInput);
  const errors = contentErrors(content);
  if (errors.length) throw new ProblemError("validation.failed", { errors });
  if (sameContent(content, row)) return questionView(row);
  await runBatch(ctx.db, [...versionWrites(ctx, id, row.version + 1, content, row), auditInsert(ctx, { action: "exam_question.updated", entityType: "exam_question", entityId: id, before: { version: row.version }, after: { version: row.version + 1, ...content } })]);
  return getQuestion(ctx, id);
}

/** Archived questions leave the bank (no new paper or draw takes them); papers that hold them keep their version. */
export async function archiveQuestion(ctx: ServiceContext, id: string) {
  const row = await readQuestion(ctx, id, true);
  if (row.archivedAt) return;
  const stamp = ctx.now.toISOString();
  await runBatch(ctx.db, [ctx.db.update(examQuestions).set({ archivedAt: stamp, updatedAt: stamp }).where(eq(examQuestions.id, id)), auditInsert(ctx, { action: "exam_question.archived", entityType: "exam_question", entityId: id })]);
}

/** Questions still in the bank by their (type, stem), in one round trip: an import of the same file matches them instead of adding copies. */
export async function bankByStem(ctx: ServiceContext, stems: string[]) {
  const chunks: string[][] = [];
  for (let i = 0; i < stems.length; i += 500) chunks.push(stems.slice(i, i + 500));
  if (!chunks.length) return new Map<string, ExamQuestionRow>();
  const found = await ctx.db.batch(chunks.map((c) => ctx.db.select().from(examQuestions).where(and(isNull(examQuestions.archivedAt), inArray(examQuestions.stem, c)))) as [never, ...never[]]);
  return new Map((found as ExamQuestionRow[][]).flat().map((r) => [`${r.type}\u0000${r.stem}`, r]));
}
