import * as v from "valibot";
import { paperModes, questionTypes, resultReleases } from "../../db/tenant/exams.js";
import { idField, lineText } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";

export const OPTION_KEYS = ["A", "B", "C", "D", "E", "F"] as const;
export const MAX_PAPER_QUESTIONS = 200;
export const IMPORT_MAX_QUESTIONS = 2000;

const tagField = lineText(20);
const tagsField = v.pipe(v.array(tagField), v.maxLength(10));
const difficultyField = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5));
/** An answer as the member (or the key) gives it: option keys, "T"/"F", or one text per blank. */
export const answerField = v.pipe(v.array(v.pipe(v.string(), v.trim(), v.maxLength(200))), v.maxLength(10));

export const questionBody = v.strictObject({
  type: v.picklist(questionTypes),
  stem: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(2000)),
  options: v.optional(v.pipe(v.array(v.strictObject({ key: v.picklist(OPTION_KEYS), text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)) })), v.maxLength(6)), []),
  answer: v.pipe(answerField, v.minLength(1)),
  explanation: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(4000))), null),
  tags: v.optional(tagsField, []),
  difficulty: v.optional(difficultyField, 3),
});
export type QuestionInput = v.InferOutput<typeof questionBody>;
export const questionPatchBody = v.partial(questionBody);

export const questionListQuery = v.strictObject({
  ...pageQuery,
  type: v.optional(v.picklist(questionTypes)),
  tag: v.optional(tagField),
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
});
export type QuestionListQuery = v.InferOutput<typeof questionListQuery>;

const cell = v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4000))));
/**
 * One spreadsheet row in the layout bureaus already use: 题型, 题干, 选项A–F, 答案, 解析, 标签 (and
 * 难度), as text the way it was typed. The service reads it (单选/多选/判断/填空, "ABD", "对", "北京|北平；1921").
 */
export const importQuestionRow = v.strictObject({
  line: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
  type: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(20)),
  stem: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(2000)),
  optionA: cell,
  optionB: cell,
  optionC: cell,
  optionD: cell,
  optionE: cell,
  optionF: cell,
  answer: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000)),
  explanation: cell,
  tags: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(300)))),
  difficulty: v.optional(v.nullable(v.union([difficultyField, v.pipe(v.string(), v.regex(/^[1-5]$/), v.transform(Number))]))),
});
export type ImportQuestionRow = v.InferOutput<typeof importQuestionRow>;

export const importBody = v.strictObject({
  /** Rows are checked one by one in the service, so one answer names every bad row by its line. */
  rows: v.pipe(v.array(v.looseObject({})), v.minLength(1), v.maxLength(IMPORT_MAX_QUESTIONS)),
  dryRun: v.optional(v.boolean(), false),
});

const pointsField = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100));
const instant = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp());

export const paperBody = v.pipe(
  v.strictObject({
    title: lineText(200),
    description: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(4000))), null),
    mode: v.picklist(paperModes),
    /** Fixed papers: the questions in order (each pinned to its current version). */
    questionIds: v.optional(v.pipe(v.array(idField("qst")), v.maxLength(MAX_PAPER_QUESTIONS)), []),
    /** Random papers: how many questions of a type (with any of the tags) each attempt draws. */
    draws: v.optional(v.pipe(v.array(v.strictObject({ type: v.picklist(questionTypes), tags: v.optional(tagsField, []), count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAPER_QUESTIONS)) })), v.maxLength(20)), []),
    pointsPerType: v.strictObject({ single: pointsField, multiple: pointsField, judge: pointsField, fill: pointsField }),
    passMark: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(20_000)),
    timeLimitMinutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600)),
    opensAt: instant,
    closesAt: instant,
    attemptsAllowed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20)), 1),
    graceSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(300)), 30),
    shuffleQuestions: v.optional(v.boolean(), true),
    shuffleOptions: v.optional(v.boolean(), true),
    resultRelease: v.optional(v.picklist(resultReleases), "on_submit"),
    branchId: v.optional(v.nullable(idField("br")), null),
    checklistItemId: v.optional(v.nullable(idField("itm")), null),
  }),
  v.forward(
    v.check((p) => Date.parse(p.opensAt) < Date.parse(p.closesAt), "结束时间须晚于开始时间 / Must be after opensAt"),
    ["closesAt"],
  ),
  v.forward(
    v.check((p) => (p.mode === "fixed" ? p.questionIds.length > 0 : p.draws.length > 0), "须至少选一道题 / Choose at least one question"),
    ["questionIds"],
  ),
);
export type PaperInput = v.InferOutput<typeof paperBody>;

export const paperListQuery = v.strictObject({ ...pageQuery, status: v.optional(v.picklist(["draft", "published", "archived"])) });

export const questionIdParam = v.object({ id: idField("qst") });
export const paperIdParam = v.object({ id: idField("ppr") });
export const attemptIdParam = v.object({ id: idField("att") });
export const answerParam = v.object({ id: idField("att"), position: v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(MAX_PAPER_QUESTIONS)) });

export const answerBody = v.strictObject({
  answer: answerField,
  /** The phone's counter for this question, rising with each change: a retried or late older save never wins. */
  rev: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)),
});

export const rankingQuery = v.strictObject({ groupBy: v.optional(v.picklist(["member", "branch"]), "member") });

// ---- Answers

const optionOut = v.object({ key: v.string(), text: v.string() });
export const questionOut = v.object({
  id: v.string(),
  version: v.number(),
  type: v.picklist(questionTypes),
  stem: v.string(),
  options: v.array(optionOut),
  answer: v.array(v.string()),
  explanation: v.nullable(v.string()),
  tags: v.array(v.string()),
  difficulty: v.number(),
  archivedAt: v.nullable(v.string()),
  createdAt: v.string(),
  updatedAt: v.string(),
});
export const importOut = v.object({
  dryRun: v.boolean(),
  created: v.number(),
  updated: v.number(),
  unchanged: v.number(),
  rows: v.array(v.object({ line: v.number(), status: v.picklist(["created", "updated", "unchanged"]), questionId: v.nullable(v.string()) })),
});

export const paperOut = v.object({
  id: v.string(),
  title: v.string(),
  description: v.nullable(v.string()),
  status: v.string(),
  mode: v.picklist(paperModes),
  questionCount: v.number(),
  maxScore: v.number(),
  pointsPerType: v.object({ single: v.number(), multiple: v.number(), judge: v.number(), fill: v.number() }),
  passMark: v.number(),
  timeLimitMinutes: v.number(),
  opensAt: v.string(),
  closesAt: v.string(),
  attemptsAllowed: v.number(),
  graceSeconds: v.number(),
  shuffleQuestions: v.boolean(),
  shuffleOptions: v.boolean(),
  resultRelease: v.picklist(resultReleases),
  branchId: v.nullable(v.string()),
  checklistItemId: v.nullable(v.string()),
  /** Admin only: the fixed questions (id and pinned version) and the draws. */
  questions: v.optional(v.array(v.object({ questionId: v.string(), version: v.number() }))),
  draws: v.optional(v.array(v.object({ type: v.picklist(questionTypes), tags: v.array(v.string()), count: v.number() }))),
  /** The caller's own attempts at it. */
  myAttempts: v.array(v.object({ id: v.string(), number: v.number(), status: v.string(), deadline: v.string(), score: v.nullable(v.number()), passed: v.nullable(v.boolean()) })),
  createdAt: v.string(),
  updatedAt: v.string(),
});

const attemptItemOut = v.object({
  position: v.number(),
  questionId: v.string(),
  type: v.picklist(questionTypes),
  stem: v.string(),
  options: v.array(optionOut),
  /** Fill-in questions: how many blanks to fill. */
  blanks: v.number(),
  points: v.number(),
  myAnswer: v.nullable(v.array(v.string())),
  rev: v.number(),
  /** Only in a released result: whether it was right, the key and the explanation. */
  correct: v.optional(v.nullable(v.boolean())),
  earned: v.optional(v.nullable(v.number())),
  answer: v.optional(v.array(v.string())),
  explanation: v.optional(v.nullable(v.string())),
});
export const attemptOut = v.object({
  id: v.string(),
  paperId: v.string(),
  paperTitle: v.string(),
  number: v.number(),
  status: v.picklist(["in_progress", "submitted"]),
  startedAt: v.string(),
  deadline: v.string(),
  /** The server's clock when it answered: the phone counts down from deadline − serverTime. */
  serverTime: v.string(),
  submittedAt: v.nullable(v.string()),
  score: v.nullable(v.number()),
  maxScore: v.number(),
  passMark: v.number(),
  passed: v.nullable(v.boolean()),
  /** Whether keys and explanations are shown (on submit, or once the paper closes, as the paper says). */
  released: v.boolean(),
  /** A pass recorded on this 学习清单 task. */
  taskId: v.nullable(v.string()),
  items: v.array(attemptItemOut),
});
export const savedOut = v.object({ position: v.number(), rev: v.number(), savedAt: v.string() });

export const rankingOut = v.object({
  groupBy: v.picklist(["member", "branch"]),
  data: v.array(
    v.object({
      rank: v.number(),
      id: v.string(),
      name: v.string(),
      branchName: v.nullable(v.string()),
      /** Member: their best score; branch: the mean of its members' best scores. */
      score: v.number(),
      participants: v.number(),
      passed: v.number(),
    }),
  ),
});

export const statisticsOut = v.object({
  attempts: v.number(),
  submitted: v.number(),
  passed: v.number(),
  averageScore: v.nullable(v.number()),
  /** Most-missed first: what the next 党课 should cover. */
  questions: v.array(
    v.object({
      questionId: v.string(),
      version: v.number(),
      type: v.picklist(questionTypes),
      stem: v.string(),
      presented: v.number(),
      answered: v.number(),
      correct: v.number(),
      correctRate: v.nullable(v.number()),
    }),
  ),
});
