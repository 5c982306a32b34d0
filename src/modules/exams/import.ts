import * as v from "valibot";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { QuestionContent, QuestionType } from "../../db/tenant/exams.js";
import type { ServiceContext } from "../../http/env.js";
import type { Lang } from "../../http/i18n.js";
import { localise } from "../../http/i18n.js";
import { type FieldError, ProblemError } from "../../http/problem.js";
import { toFieldErrors } from "../../http/validation.js";
import { auditInsertMany, type AuditChange } from "../audit/service.js";
import { bankByStem, contentErrors, contentOf, requireAdmin, sameContent, versionWrites } from "./questions.js";
import { type ImportQuestionRow, importQuestionRow, OPTION_KEYS, questionBody } from "./schemas.js";

// The words bureaus' sheets use for each type and for true / false; the template offers the first of each.
const TYPE_WORDS: Record<string, QuestionType> = { 单选: "single", 单选题: "single", single: "single", 多选: "multiple", 多选题: "multiple", multiple: "multiple", 判断: "judge", 判断题: "judge", judge: "judge", 填空: "fill", 填空题: "fill", fill: "fill" };
const TRUE_WORDS = ["对", "正确", "√", "✓", "是", "t", "true", "y"];
const FALSE_WORDS = ["错", "错误", "×", "✗", "否", "f", "false", "n"];
const DIFFICULTY_WORDS: Record<string, number> = { 易: 1, 容易: 1, 简单: 1, 中: 3, 中等: 3, 难: 5, 困难: 5 };

type Read = { content: QuestionContent } | { errors: { field: string; message: string }[] };

/** A sheet row as typed → a question, or what is wrong with it (messages "中文 / English"). */
export function readSheetRow(row: ImportQuestionRow, lang: Lang): Read {
  const errors: { field: string; message: string }[] = [];
  const type = TYPE_WORDS[row.type.normalize("NFKC").toLowerCase()];
  if (!type) return { errors: [{ field: "type", message: `题型「${row.type}」须为单选、多选、判断或填空 / Type "${row.type}" must be 单选, 多选, 判断 or 填空` }] };
  const cells = OPTION_KEYS.map((key) => ({ key, text: (row[`option${key}`] ?? "").trim() }));
  const lastFilled = cells.reduce((n, c, i) => (c.text ? i + 1 : n), 0);
  const options = type === "single" || type === "multiple" ? cells.slice(0, lastFilled) : [];
  if (options.some((o) => !o.text)) errors.push({ field: "options", message: "选项须从 A 起连续填写 / Fill the options from A without gaps" });
  const raw = row.answer.normalize("NFKC").trim();
  let answer: string[];
  if (type === "judge") {
    const word = raw.toLowerCase();
    answer = TRUE_WORDS.includes(word) ? ["T"] : FALSE_WORDS.includes(word) ? ["F"] : [];
    if (!answer.length) errors.push({ field: "answer", message: `判断题答案须为「对」或「错」，不是「${raw}」 / A true/false answer is 对 or 错, not "${raw}"` });
  } else if (type === "fill") answer = raw.split(/[;；]/).map((b) => b.trim());
  else answer = [...raw.toUpperCase().replace(/[\s,，、]/g, "")];
  const difficultyCell = row.difficulty;
  const difficulty = typeof difficultyCell === "number" ? difficultyCell : 3;
  const tags = (row.tags ?? "").split(/[,，、;；\s]+/).filter(Boolean);
  // A cell already refused says enough: the schema would only repeat it (an empty answer, say).
  if (errors.length) return { errors };
  const parsed = v.safeParse(questionBody, { type, stem: row.stem, options: options.filter((o) => o.text), answer, explanation: row.explanation?.trim() || null, tags, difficulty });
  if (!parsed.success) {
    for (const e of toFieldErrors(parsed.issues, lang)) errors.push({ field: e.path.split(".")[0]!, message: e.message });
    return { errors };
  }
  const content = contentOf(parsed.output);
  for (const e of contentErrors(content)) errors.push({ field: e.path, message: e.message });
  return errors.length ? { errors } : { content };
}

/** Difficulty may be written 易 / 中 / 难 as well as 1–5. */
const withDifficultyWords = (raw: Record<string, unknown>) =>
  typeof raw.difficulty === "string" && raw.difficulty.trim() in DIFFICULTY_WORDS ? { ...raw, difficulty: DIFFICULTY_WORDS[raw.difficulty.trim()] } : raw;

/**
 * The bank import (admin): every row is read and checked; one bad row refuses the whole call with
 * each problem by line, and nothing is written. A row whose type and stem match a question in the
 * bank updates it (a new version) or leaves it be, so a second run of the same file changes nothing.
 * Two round trips: one batch of reads, one of writes with their audit rows.
 */
export async function importQuestions(ctx: ServiceContext, input: { rows: Record<string, unknown>[]; dryRun: boolean }, lang: Lang) {
  requireAdmin(ctx);
  const say = (line: number, message: string) => (lang === "zh-CN" ? `第 ${line} 行：${localise(message, lang)}` : `Line ${line}: ${localise(message, lang)}`);
  const errors: FieldError[] = [];
  const read: { index: number; line: number; content: QuestionContent }[] = [];
  input.rows.forEach((raw, index) => {
    const parsed = v.safeParse(importQuestionRow, withDifficultyWords(raw));
    const line = parsed.success ? (parsed.output.line ?? index + 1) : typeof raw.line === "number" && Number.isInteger(raw.line) && raw.line > 0 ? raw.line : index + 1;
    if (!parsed.success) {
      for (const e of toFieldErrors(parsed.issues, lang, `rows.${index}`)) errors.push({ path: e.path, message: say(line, e.message) });
      return;
    }
    const result = readSheetRow(parsed.output, lang);
    if ("errors" in result) for (const e of result.errors) errors.push({ path: `rows.${index}.${e.field}`, message: say(line, e.message) });
    else read.push({ index, line, content: result.content });
  });
  const seen = new Map<string, number>();
  for (const r of read) {
    const key = `${r.content.type}\u0000${r.content.stem}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) errors.push({ path: `rows.${r.index}.stem`, message: say(r.line, `与第 ${earlier} 行重复 / repeats line ${earlier}`) });
    else seen.set(key, r.line);
  }
  if (errors.length) {
    const count = new Set(errors.map((e) => e.path.split(".")[1])).size;
    throw new ProblemError("validation.failed", { detail: `${count} 行有误，未导入任何数据 / ${count} rows are invalid; nothing was imported`, errors });
  }

  const bank = await bankByStem(ctx, [...new Set(read.map((r) => r.content.stem))]);
  const statements: Statement[] = [];
  const audit: AuditChange[] = [];
  const rows = read.map((r) => {
    const existing = bank.get(`${r.content.type}\u0000${r.content.stem}`);
    if (existing && sameContent(r.content, existing)) return { line: r.line, status: "unchanged" as const, questionId: existing.id };
    const id = existing?.id ?? newId("qst", ctx.now.getTime());
    const version = existing ? existing.version + 1 : 1;
    statements.push(...versionWrites(ctx, id, version, r.content, existing));
    audit.push({ action: existing ? "exam_question.updated" : "exam_question.imported", entityType: "exam_question", entityId: id, after: { version, ...r.content } });
    // A dry run's new ids are not kept: it names no question that exists.
    return { line: r.line, status: existing ? ("updated" as const) : ("created" as const), questionId: existing ? id : input.dryRun ? null : id };
  });
  if (!input.dryRun) await runBatch(ctx.db, [...statements, ...auditInsertMany(ctx, audit)]);
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  return { dryRun: input.dryRun, created: count("created"), updated: count("updated"), unchanged: count("unchanged"), rows };
}
