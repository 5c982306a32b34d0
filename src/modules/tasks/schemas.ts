import * as v from "valibot";
import { checklistKinds, rankingNameModes } from "../../db/tenant/checklists.js";
import { dateField, idField } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";
import { fileIdsField, fileRefOut } from "../files/schemas.js";

export const taskStatuses = ["open", "submitted", "returned", "done", "overdue"] as const;
/** `submitted`: waiting for review, its own state whatever the date (see urgencySql). */
export const urgencies = ["on_track", "due_soon", "overdue", "submitted", "done"] as const;

export const taskListQuery = v.strictObject({
  ...pageQuery,
  /** Whose tasks: a member's (default: the caller's) or a branch's. */
  memberId: v.optional(idField("mem")),
  branchId: v.optional(idField("br")),
  /** `oversee`: every task the caller may review (admin: all; secretary: their subtrees). */
  scope: v.optional(v.picklist(["mine", "oversee"])),
  status: v.optional(v.picklist(taskStatuses)),
  urgency: v.optional(v.picklist(urgencies)),
  checklistId: v.optional(idField("cl")),
  kind: v.optional(v.picklist(checklistKinds)),
  dueBefore: v.optional(dateField),
  dueAfter: v.optional(dateField),
});
export type TaskListQuery = v.InferOutput<typeof taskListQuery>;

export const taskIdParam = v.object({ id: idField("tsk") });

const attachment = v.strictObject({
  url: v.pipe(v.string(), v.maxLength(2000), v.url(), v.regex(/^https?:\/\//i, "须为 http(s) 链接 / Must be an http(s) link")),
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
});

export const recordBody = v.strictObject({
  doneOn: dateField,
  summary: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)),
  note: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4000)))),
  attachments: v.optional(v.pipe(v.array(attachment), v.maxLength(20)), []),
  /** Uploaded photos and documents (POST /v1/files), by id, at most 9. */
  fileIds: v.optional(fileIdsField, []),
});
export type RecordInput = v.InferOutput<typeof recordBody>;

export const reviewBody = v.pipe(
  v.strictObject({
    decision: v.picklist(["approve", "return"]),
    reason: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000))),
  }),
  v.forward(
    v.check((b) => b.decision === "approve" || Boolean(b.reason), "退回须说明理由 / A return needs a reason"),
    ["reason"],
  ),
);

export const backfillBody = v.strictObject({ reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000)) });

export const settingsBody = v.strictObject({
  dueSoonDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60)),
  /** How a plain member's rankings show the others: `full` names, `surname` only (王**), or `hidden` (their own row only). */
  rankingNames: v.optional(v.picklist(rankingNameModes)),
});

export const taskOut = v.object({
  id: v.string(),
  checklistId: v.string(),
  checklistTitle: v.string(),
  kind: v.picklist(checklistKinds),
  itemId: v.string(),
  module: v.string(),
  title: v.string(),
  periodStart: v.string(),
  nominalDate: v.string(),
  dueDate: v.string(),
  /** The due date was computed before its year's official holiday arrangement arrived (weekends only); it may still move. */
  calendarProvisional: v.boolean(),
  status: v.picklist(taskStatuses),
  urgency: v.picklist(urgencies),
  doneCount: v.number(),
  minCount: v.number(),
  evidenceRequired: v.boolean(),
  reviewRequired: v.boolean(),
  submittedAt: v.nullable(v.string()),
  completedAt: v.nullable(v.string()),
  completedLate: v.boolean(),
  returnCount: v.number(),
  points: v.nullable(v.number()),
  /** 补录: a reviewer accepted that this task, recorded late, was done on time (POST /v1/tasks/{id}/backfill). */
  backfill: v.nullable(v.object({ reason: v.string(), acceptedBy: v.string(), acceptedAt: v.string() })),
  assignees: v.array(v.object({ memberId: v.nullable(v.string()), branchId: v.nullable(v.string()) })),
});

export const recordOut = v.object({ id: v.string(), taskId: v.string(), memberId: v.string(), doneOn: v.string(), summary: v.string(), note: v.nullable(v.string()), attachments: v.array(v.object({ url: v.string(), name: v.optional(v.string()) })), files: v.array(fileRefOut), createdAt: v.string() });
export const reviewOut = v.object({ id: v.string(), taskId: v.string(), reviewerId: v.string(), decision: v.picklist(["approved", "returned"]), reason: v.nullable(v.string()), createdAt: v.string() });
export const taskDetailOut = v.object({
  ...taskOut.entries,
  records: v.pipe(v.array(recordOut), v.description("The newest 50 records; GET /v1/tasks/{id}/records pages through all")),
  recordCount: v.number(),
  reviews: v.array(reviewOut),
});
export const recordListQuery = v.strictObject({ ...pageQuery });
export const settingsOut = v.object({ dueSoonDays: v.number(), rankingNames: v.picklist(rankingNameModes) });
