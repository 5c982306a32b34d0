import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

/** 单选 single, 多选 multiple, 判断 judge (true/false), 填空 fill (one or more blanks). */
export const questionTypes = ["single", "multiple", "judge", "fill"] as const;
export type QuestionType = (typeof questionTypes)[number];

/**
 * The answer key, in one shape for every type: option keys ("A"…"F") for choices, ["T"] or ["F"]
 * for true/false, one entry per blank for fill-in (alternatives accepted separated by "|").
 */
export type AnswerKey = string[];
export interface QuestionOption {
  key: string;
  text: string;
}

export interface QuestionContent {
  type: QuestionType;
  stem: string;
  options: QuestionOption[];
  answer: AnswerKey;
  explanation: string | null;
  tags: string[];
  /** 1 (easy) … 5 (hard). */
  difficulty: number;
}

/**
 * A question's content columns, shared by the bank and its versions (one definition, so the two
 * tables cannot drift). A function: drizzle's column builders belong to one table each.
 */
const questionContentColumns = () => ({
  type: text("type", { enum: questionTypes }).notNull(),
  stem: text("stem").notNull(),
  options: text("options", { mode: "json" }).$type<QuestionOption[]>().notNull(),
  answer: text("answer", { mode: "json" }).$type<AnswerKey>().notNull(),
  explanation: text("explanation"),
  tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
  difficulty: integer("difficulty").notNull(),
});

/** The bank: each question's current content. Every edit also writes an immutable row to exam_question_versions. */
export const examQuestions = sqliteTable(
  "exam_questions",
  {
    id: text("id").primaryKey(),
    version: integer("version").notNull(),
    ...questionContentColumns(),
    archivedAt: timestamp("archived_at"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("exam_questions_type").on(t.type, t.archivedAt)],
);

/** What a paper or an attempt points at: a question as it was. Never updated, so a change never alters a paper already taken. */
export const examQuestionVersions = sqliteTable(
  "exam_question_versions",
  {
    questionId: text("question_id").notNull(),
    version: integer("version").notNull(),
    ...questionContentColumns(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.version] })],
);

export const paperModes = ["fixed", "random"] as const;
export const paperStatuses = ["draft", "published", "archived"] as const;
/** When a member sees the correct answers and explanations: as soon as they submit, or once the window closes. */
export const resultReleases = ["on_submit", "after_close"] as const;

export type PointsPerType = Record<QuestionType, number>;
/** A fixed paper's question, pinned to the version it was put in with. */
export interface PaperQuestionRef {
  questionId: string;
  version: number;
}
/** A random paper draws `count` questions of `type` (carrying any of `tags`, or any tag) for each attempt. */
export interface PaperDraw {
  type: QuestionType;
  tags: string[];
  count: number;
}

export const examPapers = sqliteTable(
  "exam_papers",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    description: text("description"),
    status: text("status", { enum: paperStatuses }).notNull(),
    mode: text("mode", { enum: paperModes }).notNull(),
    questions: text("questions", { mode: "json" }).$type<PaperQuestionRef[]>().notNull(),
    draws: text("draws", { mode: "json" }).$type<PaperDraw[]>().notNull(),
    pointsPerType: text("points_per_type", { mode: "json" }).$type<PointsPerType>().notNull(),
    /** Computed when the paper is saved: the questions an attempt holds and the points they are worth. */
    questionCount: integer("question_count").notNull(),
    maxScore: integer("max_score").notNull(),
    passMark: integer("pass_mark").notNull(),
    timeLimitMinutes: integer("time_limit_minutes").notNull(),
    opensAt: timestamp("opens_at").notNull(),
    closesAt: timestamp("closes_at").notNull(),
    attemptsAllowed: integer("attempts_allowed").notNull(),
    /** Seconds after the deadline a save still counts (a slow phone signal at the last second). */
    graceSeconds: integer("grace_seconds").notNull(),
    shuffleQuestions: integer("shuffle_questions", { mode: "boolean" }).notNull(),
    shuffleOptions: integer("shuffle_options", { mode: "boolean" }).notNull(),
    resultRelease: text("result_release", { enum: resultReleases }).notNull(),
    /** Who takes it: active members homed (or second-homed) in this branch's subtree; null: the whole bureau. */
    branchId: text("branch_id"),
    /** A 学习清单 item this paper is the evidence of: passing records a completion on the member's task. */
    checklistItemId: text("checklist_item_id"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("exam_papers_closes").on(t.status, t.closesAt), index("exam_papers_item").on(t.checklistItemId)],
);

/** One question of an attempt as the member sees it: the version and, when options are shuffled, their order. */
export interface AttemptItem {
  q: string;
  v: number;
  /** Option keys in the order shown. */
  o: string[];
}

export const attemptStatuses = ["in_progress", "submitted"] as const;

export const examAttempts = sqliteTable(
  "exam_attempts",
  {
    id: text("id").primaryKey(),
    paperId: text("paper_id").notNull(),
    memberId: text("member_id").notNull(),
    /** The member's home branch when they started: rankings per branch stay as they were. */
    branchId: text("branch_id"),
    number: integer("number").notNull(),
    items: text("items", { mode: "json" }).$type<AttemptItem[]>().notNull(),
    startedAt: timestamp("started_at").notNull(),
    /** Started + time limit, never after the paper closes; answers count until this plus the grace. */
    deadline: timestamp("deadline").notNull(),
    /** The deadline plus the paper's grace: the last moment a save counts. */
    acceptUntil: timestamp("accept_until").notNull(),
    status: text("status", { enum: attemptStatuses }).notNull(),
    /** Set when submitted, or when closed after its deadline passed unsubmitted. */
    submittedAt: timestamp("submitted_at"),
    score: integer("score"),
    maxScore: integer("max_score").notNull(),
    passed: integer("passed", { mode: "boolean" }),
    /** The 学习清单 task a pass was recorded on. */
    taskId: text("task_id"),
  },
  (t) => [uniqueIndex("exam_attempts_number").on(t.paperId, t.memberId, t.number), index("exam_attempts_member").on(t.memberId)],
);

/** A member's answer to one position of an attempt: upserted as they go, scored on submit. */
export const examAnswers = sqliteTable(
  "exam_answers",
  {
    attemptId: text("attempt_id").notNull(),
    position: integer("position").notNull(),
    questionId: text("question_id").notNull(),
    answer: text("answer", { mode: "json" }).$type<string[]>().notNull(),
    /** The client's counter for this position: an older save arriving late never overwrites a newer one. */
    rev: integer("rev").notNull(),
    savedAt: timestamp("saved_at").notNull(),
    correct: integer("correct", { mode: "boolean" }),
    points: integer("points"),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.position] }), index("exam_answers_question").on(t.questionId)],
);

export type ExamQuestionRow = typeof examQuestions.$inferSelect;
export type ExamPaperRow = typeof examPapers.$inferSelect;
export type ExamAttemptRow = typeof examAttempts.$inferSelect;
