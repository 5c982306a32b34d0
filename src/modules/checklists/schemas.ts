import * as v from "valibot";
import { branchKinds } from "../../db/tenant/schema.js";
import { assigneeModes, checklistKinds, checklistStatuses, rollPolicies } from "../../db/tenant/checklists.js";
import { dateField, idField, lineText, timestampOut, yearField as year, yearQuery } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";
import { RRULE_PATTERN } from "./recurrence.js";
import { unreachedReasons } from "./assignees.js";
import { presetChoice } from "../schedules/schemas.js";
import { fileIdsField, fileRefOut } from "../files/schemas.js";

const text = lineText;
const smallInt = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));

export const assigneeSpec = v.variant("type", [
  v.strictObject({ type: v.literal("member"), memberId: idField("mem") }),
  v.strictObject({ type: v.literal("branch"), branchId: idField("br") }),
  v.strictObject({ type: v.literal("each_member") }),
  v.strictObject({ type: v.literal("each_secretary"), branchKind: v.optional(v.picklist(branchKinds)) }),
  v.strictObject({ type: v.literal("each_branch"), branchKind: v.picklist(branchKinds) }),
]);

export const checklistCreateBody = v.strictObject({
  title: text(200),
  kind: v.picklist(checklistKinds),
  year,
  branchId: v.optional(v.nullable(idField("br"))),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4000)))),
});

export const checklistPatchBody = v.strictObject({
  title: v.optional(text(200)),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4000)))),
  status: v.optional(v.literal("archived")),
});

export const recurrence = v.pipe(v.string(), v.trim(), v.toUpperCase(), v.maxLength(300), v.regex(RRULE_PATTERN, "须为 RFC 5545 RRULE，如 FREQ=MONTHLY;BYMONTHDAY=25 / Must be an RFC 5545 RRULE such as FREQ=MONTHLY;BYMONTHDAY=25"));

const itemFields = {
  module: text(100),
  title: text(200),
  guidance: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4000)))),
  recurrence: v.optional(v.nullable(recurrence)),
  /** A schedule preset (GET /v1/schedules/presets) with its parameters, instead of a raw `recurrence`. */
  preset: v.optional(v.nullable(presetChoice)),
  dueDate: v.optional(v.nullable(dateField)),
  rollPolicy: v.optional(v.picklist(rollPolicies), "next"),
  assigneeMode: v.optional(v.picklist(assigneeModes), "all"),
  assignees: v.pipe(v.array(assigneeSpec), v.minLength(1), v.maxLength(50)),
  minCount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(366)), 1),
  points: v.optional(smallInt(1000), 0),
  latePoints: v.optional(smallInt(1000)),
  returnPenalty: v.optional(smallInt(1000), 0),
  evidenceRequired: v.optional(v.boolean(), false),
  reviewRequired: v.optional(v.boolean(), false),
  sortOrder: v.optional(smallInt(100_000), 0),
  /** Guidance documents (指导手册) uploaded with POST /v1/files, by id, at most 9. */
  guidanceFileIds: v.optional(fileIdsField, []),
};

export const scheduleMessage = "须给出 recurrence、preset 或 dueDate 之一 / Give one of recurrence, preset or dueDate";

export const itemCreateBody = v.pipe(
  v.strictObject(itemFields),
  v.forward(
    v.check((i) => [i.recurrence, i.preset, i.dueDate].filter(Boolean).length === 1, scheduleMessage),
    ["recurrence"],
  ),
);
export type ItemCreate = v.InferOutput<typeof itemCreateBody>;

export const itemPatchBody = v.strictObject({
  module: v.optional(itemFields.module),
  title: v.optional(itemFields.title),
  guidance: itemFields.guidance,
  recurrence: itemFields.recurrence,
  preset: itemFields.preset,
  dueDate: itemFields.dueDate,
  rollPolicy: v.optional(v.picklist(rollPolicies)),
  assigneeMode: v.optional(v.picklist(assigneeModes)),
  assignees: v.optional(itemFields.assignees),
  minCount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(366))),
  points: v.optional(smallInt(1000)),
  latePoints: v.optional(smallInt(1000)),
  returnPenalty: v.optional(smallInt(1000)),
  evidenceRequired: v.optional(v.boolean()),
  reviewRequired: v.optional(v.boolean()),
  sortOrder: v.optional(smallInt(100_000)),
  /** Replaces the item's guidance documents. */
  guidanceFileIds: v.optional(fileIdsField),
});
export type ItemPatch = v.InferOutput<typeof itemPatchBody>;

export const publishBody = v.strictObject({
  /** Tasks due before this date are not made (default: today in the tenant's zone). */
  from: v.optional(dateField),
});

export const checklistListQuery = v.strictObject({
  ...pageQuery,
  year: v.optional(yearQuery),
  kind: v.optional(v.picklist(checklistKinds)),
  status: v.optional(v.picklist(checklistStatuses)),
});

export const checklistIdParam = v.object({ id: idField("cl") });
export const itemIdParam = v.object({ id: idField("cl"), itemId: idField("itm") });

export const checklistOut = v.object({
  id: v.string(),
  title: v.string(),
  kind: v.picklist(checklistKinds),
  year: v.number(),
  branchId: v.nullable(v.string()),
  description: v.nullable(v.string()),
  status: v.picklist(checklistStatuses),
  publishedAt: v.nullable(v.string()),
  createdBy: v.string(),
  createdAt: timestampOut,
  updatedAt: timestampOut,
});

export const itemOut = v.object({
  id: v.string(),
  checklistId: v.string(),
  module: v.string(),
  title: v.string(),
  guidance: v.nullable(v.string()),
  recurrence: v.nullable(v.string()),
  preset: v.nullable(presetChoice),
  dueDate: v.nullable(v.string()),
  rollPolicy: v.picklist(rollPolicies),
  assigneeMode: v.picklist(assigneeModes),
  assignees: v.array(assigneeSpec),
  minCount: v.number(),
  points: v.number(),
  latePoints: v.number(),
  returnPenalty: v.number(),
  evidenceRequired: v.boolean(),
  reviewRequired: v.boolean(),
  sortOrder: v.number(),
  archivedAt: v.nullable(v.string()),
  createdAt: timestampOut,
  updatedAt: timestampOut,
  guidanceFiles: v.array(fileRefOut),
});

export const checklistDetailOut = v.object({ ...checklistOut.entries, items: v.array(itemOut) });

export const occurrenceOut = v.object({ nominalDate: v.string(), dueDate: v.string(), rolledFrom: v.optional(v.string()), periodStart: v.string(), calendarProvisional: v.optional(v.literal(true)) });
/** Which dates rest on a year whose official holiday arrangement has not arrived, and a sentence saying so in the reader's language. */
export const provisionalOut = v.object({ provisionalYears: v.array(v.number()), provisionalDates: v.array(v.string()), notice: v.nullable(v.string()) });
/** A target of an item that yields no task, and why, in the reader's language (`message`). */
const unreachedOut = v.object({
  assignee: v.picklist(["member", "branch", "each_member", "each_secretary", "each_branch"]),
  branchId: v.nullable(v.string()),
  branchName: v.nullable(v.string()),
  reason: v.picklist(unreachedReasons),
  message: v.string(),
});
const unreachedItemOut = v.object({ itemId: v.string(), itemTitle: v.string(), ...unreachedOut.entries });
export const previewOut = v.object({
  checklistId: v.string(),
  year: v.number(),
  items: v.array(v.object({ itemId: v.string(), title: v.string(), occurrences: v.array(occurrenceOut), assignees: v.number(), tasks: v.number(), unreached: v.array(unreachedOut) })),
  tasks: v.number(),
  /** Every target that yields nothing (a branch with no secretary under each_secretary, …), across items. */
  unreached: v.array(unreachedItemOut),
  calendar: provisionalOut,
});
export const publishOut = v.object({ checklist: checklistOut, tasksCreated: v.number(), unreached: v.array(unreachedItemOut), calendar: provisionalOut });

export const copyBody = v.strictObject({
  /** The year the copy is for (usually next year). */
  year,
  title: v.optional(text(200)),
});
