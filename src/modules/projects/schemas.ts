import * as v from "valibot";
import { logKinds, projectKinds, projectStatuses } from "../../db/tenant/schema.js";
import { dateField, idField, lineText, timestampOut } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";
import { fileIdsField, fileRefOut } from "../files/schemas.js";

// ---- fields shared by projects, logs and problems ----


/** An instant with its offset (2026-09-30T10:00:00+08:00), kept as UTC ISO. */
export const instantField = v.pipe(
  v.string(),
  v.maxLength(40),
  v.isoTimestamp(),
  v.check((s) => !Number.isNaN(Date.parse(s)), "时间不存在 / No such time"),
  v.transform((s) => new Date(s).toISOString()),
);

export const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
const optionalText = (max: number) => v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max))));

const tagField = lineText(30);
const tagsField = v.pipe(v.array(tagField), v.maxLength(20));
const branchIdsField = v.pipe(v.array(idField("br")), v.maxLength(50));

export const booleanQuery = v.pipe(v.picklist(["true", "false"]), v.transform((s) => s === "true"));

// ---- projects ----

export const projectCreateBody = v.strictObject({
  name: lineText(100),
  kind: v.picklist(projectKinds),
  district: optionalText(50),
  roadSection: optionalText(200),
  startDate: v.optional(v.nullable(dateField)),
  endDate: v.optional(v.nullable(dateField)),
  status: v.optional(v.picklist(projectStatuses), "planned"),
  roadChiefId: v.optional(v.nullable(idField("mem"))),
  branchIds: v.optional(branchIdsField, []),
  tags: v.optional(tagsField, []),
  description: optionalText(2000),
});
export type ProjectCreate = v.InferOutput<typeof projectCreateBody>;

export const projectPatchBody = v.strictObject({
  name: v.optional(lineText(100)),
  kind: v.optional(v.picklist(projectKinds)),
  district: optionalText(50),
  roadSection: optionalText(200),
  startDate: v.optional(v.nullable(dateField)),
  endDate: v.optional(v.nullable(dateField)),
  status: v.optional(v.picklist(projectStatuses)),
  roadChiefId: v.optional(v.nullable(idField("mem"))),
  branchIds: v.optional(branchIdsField),
  tags: v.optional(tagsField),
  description: optionalText(2000),
});
export type ProjectPatch = v.InferOutput<typeof projectPatchBody>;

export const projectListQuery = v.strictObject({
  ...pageQuery,
  status: v.optional(v.picklist(projectStatuses)),
  kind: v.optional(v.picklist(projectKinds)),
  roadChiefId: v.optional(idField("mem")),
  branchId: v.optional(idField("br")),
  tag: v.optional(tagField),
  /** Only the projects the caller is road chief of. */
  mine: v.optional(booleanQuery),
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
});
export type ProjectListQuery = v.InferOutput<typeof projectListQuery>;

export const projectIdParam = v.object({ id: idField("prj") });

export const projectOut = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(projectKinds),
  district: v.nullable(v.string()),
  roadSection: v.nullable(v.string()),
  startDate: v.nullable(v.string()),
  endDate: v.nullable(v.string()),
  status: v.picklist(projectStatuses),
  roadChiefId: v.nullable(v.string()),
  roadChiefName: v.nullable(v.string()),
  branchIds: v.array(v.string()),
  tags: v.array(v.string()),
  description: v.nullable(v.string()),
  /** The caller is this project's road chief (their projects are listed first). */
  mine: v.boolean(),
  issueCount: v.number(),
  /** Not yet resolved: open, transferred, acknowledged, in progress or returned. */
  openIssueCount: v.number(),
  /** Unresolved past the resolve-by time, or unacknowledged past the acknowledge-by time, now. */
  overdueIssueCount: v.number(),
  /** Resolved, waiting for the supervisor or road chief to verify. */
  awaitingVerificationCount: v.number(),
  logCount: v.number(),
  lastVisitedAt: v.nullable(timestampOut),
  createdBy: v.string(),
  createdAt: timestampOut,
  updatedAt: timestampOut,
});

// ---- service logs ----

const attachmentField = v.strictObject({
  name: optionalText(200),
  url: v.pipe(v.string(), v.trim(), v.maxLength(2000), v.url(), v.regex(/^https?:\/\//i, "须为 http(s) 链接 / Must be an http(s) link")),
});

const locationField = v.strictObject({
  address: optionalText(200),
  lat: v.optional(v.nullable(v.pipe(v.number(), v.minValue(-90), v.maxValue(90)))),
  lng: v.optional(v.nullable(v.pipe(v.number(), v.minValue(-180), v.maxValue(180)))),
});

export const logCreateBody = v.strictObject({
  kind: v.picklist(logKinds),
  /** When the visit or coordination started (may be in the past: logs are often written after the visit). */
  visitedAt: instantField,
  endedAt: v.optional(v.nullable(instantField)),
  participantIds: v.optional(v.pipe(v.array(idField("mem")), v.maxLength(50)), []),
  otherParticipants: v.optional(v.pipe(v.array(lineText(100)), v.maxLength(50)), []),
  summary: text(5000),
  attachments: v.optional(v.pipe(v.array(attachmentField), v.maxLength(20)), []),
  /** Uploaded photos and documents (POST /v1/files), by id, at most 9. */
  fileIds: v.optional(fileIdsField, []),
  location: v.optional(v.nullable(locationField)),
  /** The entry this one corrects (the old entry stays, marked as corrected). */
  correctsId: v.optional(idField("log")),
  correctionReason: v.optional(text(500)),
});
export type LogCreate = v.InferOutput<typeof logCreateBody>;

export const logListQuery = v.strictObject({
  ...pageQuery,
  kind: v.optional(v.picklist(logKinds)),
  /** Only entries no later entry corrects. */
  current: v.optional(booleanQuery),
  from: v.optional(dateField),
  to: v.optional(dateField),
});
export type LogListQuery = v.InferOutput<typeof logListQuery>;

export const logIdParam = v.object({ id: idField("prj"), logId: idField("log") });

const personOut = v.object({ id: v.string(), name: v.nullable(v.string()) });

export const logOut = v.object({
  id: v.string(),
  projectId: v.string(),
  kind: v.picklist(logKinds),
  visitedAt: timestampOut,
  endedAt: v.nullable(timestampOut),
  participants: v.array(personOut),
  otherParticipants: v.array(v.string()),
  summary: v.string(),
  attachments: v.array(v.object({ name: v.nullable(v.string()), url: v.string() })),
  files: v.array(fileRefOut),
  location: v.nullable(v.object({ address: v.nullable(v.string()), lat: v.nullable(v.number()), lng: v.nullable(v.number()) })),
  correctsId: v.nullable(v.string()),
  correctionReason: v.nullable(v.string()),
  /** The later entry that corrects this one; null while this entry is current. */
  correctedById: v.nullable(v.string()),
  current: v.boolean(),
  issueIds: v.array(v.string()),
  authorId: v.string(),
  authorName: v.nullable(v.string()),
  createdAt: timestampOut,
});

export const logDetailOut = v.object({ ...logOut.entries, chain: v.array(v.string()) });
