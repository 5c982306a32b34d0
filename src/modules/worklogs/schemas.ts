import * as v from "valibot";
import { worklogAssignmentStatuses, worklogDayKinds } from "../../db/tenant/worklogs.js";
import { dateField, idField, lineText, timestampOut } from "../../http/fields.js";
import { fileIdsField, fileRefOut } from "../files/schemas.js";
import { text } from "../projects/schemas.js";

/** A month as YYYY-MM (the log's unit of summary, score and closing). */
export const monthField = v.pipe(v.string(), v.maxLength(7), v.regex(/^(20\d\d|2100)-(0[1-9]|1[0-2])$/, "月份格式如 2026-06 / A month such as 2026-06"));

const keyField = v.pipe(v.string(), v.maxLength(40), v.regex(/^[a-z][a-z0-9_]{0,39}$/, "小写字母、数字、下划线 / Lower-case letters, digits and underscores"));
const optionalLine = (max: number) => v.optional(v.nullable(lineText(max)), null);

// ---- settings ----

export const worklogSettingsBody = v.strictObject({
  categories: v.optional(v.pipe(v.array(v.strictObject({ key: keyField, name: lineText(20) })), v.minLength(1), v.maxLength(30))),
  rubric: v.optional(v.pipe(v.array(v.strictObject({ key: keyField, name: lineText(30), max: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)) })), v.minLength(1), v.maxLength(20))),
  weight: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))),
  remindMissing: v.optional(v.boolean()),
});
export const worklogSettingsOut = v.object({
  categories: v.array(v.object({ key: v.string(), name: v.string() })),
  rubric: v.array(v.object({ key: v.string(), name: v.string(), max: v.number() })),
  rubricVersion: v.number(),
  weight: v.number(),
  remindMissing: v.boolean(),
});

// ---- days ----

const itemBody = v.strictObject({
  /** Several lines are fine: people dictate with the keyboard's voice input. */
  text: text(2000),
  category: keyField,
  hours: v.optional(v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(24))), null),
  place: optionalLine(100),
  fileIds: v.optional(fileIdsField, []),
});
export type WorklogItemBody = v.InferOutput<typeof itemBody>;

const itemsField = v.pipe(v.array(itemBody), v.maxLength(20));

export const dayBody = v.strictObject({
  kind: v.optional(v.picklist(worklogDayKinds), "work"),
  items: v.optional(itemsField, []),
});
export type DayBody = v.InferOutput<typeof dayBody>;

export const correctionBody = v.strictObject({
  kind: v.optional(v.picklist(worklogDayKinds), "work"),
  items: v.optional(itemsField, []),
  reason: text(500),
});
export type CorrectionBody = v.InferOutput<typeof correctionBody>;

export const dateParam = v.object({ date: dateField });
export const monthParam = v.object({ month: monthField });
export const memberMonthParam = v.object({ memberId: idField("mem"), month: monthField });
export const entryParam = v.object({ id: idField("wle") });
export const assignmentParam = v.object({ id: idField("wla") });
export const leaderParam = v.object({ subjectType: v.picklist(["member", "branch"]), subjectId: v.pipe(v.string(), v.maxLength(40), v.regex(/^(mem|br)_[0-9A-Z]{26}$/)) });

const itemOut = v.object({ text: v.string(), category: v.string(), hours: v.nullable(v.number()), place: v.nullable(v.string()), fileIds: v.array(v.string()) });
const commentOut = v.object({ id: v.string(), kind: v.string(), authorId: v.string(), authorName: v.nullable(v.string()), body: v.string(), createdAt: timestampOut });

export const dayOut = v.object({
  id: v.string(),
  memberId: v.string(),
  date: v.string(),
  kind: v.picklist(worklogDayKinds),
  items: v.array(itemOut),
  hours: v.nullable(v.number()),
  corrections: v.number(),
  files: v.array(fileRefOut),
  comments: v.array(commentOut),
  createdAt: timestampOut,
  updatedAt: timestampOut,
});

export const monthOut = v.object({
  memberId: v.string(),
  memberName: v.string(),
  month: v.string(),
  closed: v.boolean(),
  leaderId: v.nullable(v.string()),
  workingDates: v.array(v.string()),
  calendarProvisional: v.boolean(),
  daysWritten: v.number(),
  leaveDays: v.number(),
  summary: v.nullable(v.string()),
  summaryAt: v.nullable(v.string()),
  score: v.nullable(v.number()),
  scoreItems: v.nullable(v.array(v.object({ key: v.string(), name: v.string(), max: v.number(), points: v.number() }))),
  scoreComment: v.nullable(v.string()),
  rubricVersion: v.nullable(v.number()),
  scoredBy: v.nullable(v.string()),
  scoredAt: v.nullable(v.string()),
  days: v.array(dayOut),
  assignmentsDone: v.array(v.object({ id: v.string(), title: v.string(), doneDate: v.string(), doneNote: v.nullable(v.string()) })),
  disputes: v.array(commentOut),
});

// ---- summary, score, comments ----

export const summaryBody = v.strictObject({ summary: text(5000) });
export const scoreBody = v.strictObject({
  items: v.pipe(v.array(v.strictObject({ key: keyField, points: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)) })), v.minLength(1), v.maxLength(20)),
  comment: v.optional(v.nullable(text(2000)), null),
});
export type ScoreBody = v.InferOutput<typeof scoreBody>;
export const commentBody = v.strictObject({ body: text(2000) });

// ---- team, scoring sheet ----

export const teamQuery = v.strictObject({ date: dateField });
export const teamOut = v.object({
  date: v.string(),
  workingDay: v.boolean(),
  data: v.array(v.object({ memberId: v.string(), name: v.string(), branchName: v.nullable(v.string()), written: v.boolean(), kind: v.nullable(v.string()), items: v.number(), hours: v.nullable(v.number()), firstItem: v.nullable(v.string()), categories: v.array(v.string()), comments: v.number(), entryId: v.nullable(v.string()) })),
});

export const sheetQuery = v.strictObject({ month: monthField, branchId: v.optional(idField("br")) });
export const sheetOut = v.object({
  month: v.string(),
  workingDays: v.number(),
  rubric: v.array(v.object({ key: v.string(), name: v.string(), max: v.number() })),
  rubricVersion: v.number(),
  data: v.array(v.object({ memberId: v.string(), name: v.string(), branchName: v.nullable(v.string()), daysWritten: v.number(), leaveDays: v.number(), summaryAt: v.nullable(v.string()), score: v.nullable(v.number()), scoredAt: v.nullable(v.string()), mine: v.boolean() })),
});

// ---- 交办 ----

export const assignmentBody = v.strictObject({ memberId: idField("mem"), title: lineText(200), detail: v.optional(v.nullable(text(2000)), null), dueDate: v.optional(v.nullable(dateField), null) });
export const assignmentDoneBody = v.strictObject({ note: v.optional(v.nullable(text(1000)), null) });
export const assignmentListQuery = v.strictObject({ role: v.optional(v.picklist(["assignee", "assigner"]), "assignee"), status: v.optional(v.picklist(worklogAssignmentStatuses)) });
export const assignmentOut = v.object({ id: v.string(), memberId: v.string(), memberName: v.nullable(v.string()), assignedBy: v.string(), assignedByName: v.nullable(v.string()), title: v.string(), detail: v.nullable(v.string()), dueDate: v.nullable(v.string()), status: v.string(), doneDate: v.nullable(v.string()), doneNote: v.nullable(v.string()), doneAt: v.nullable(v.string()), createdAt: timestampOut });

export const leaderBody = v.strictObject({ leaderId: v.nullable(idField("mem")) });
