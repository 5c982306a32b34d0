import * as v from "valibot";
import { clockUnits, issueStatuses, unresolvedStatuses } from "../../db/tenant/schema.js";
import { idField, lineText, timestampOut } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";
import { fileIdsField, fileRefOut } from "../files/schemas.js";
import { booleanQuery, instantField, text } from "../projects/schemas.js";

const unitField = lineText(100);
const unitsField = v.pipe(v.array(unitField), v.maxLength(10));
const followersField = v.pipe(v.array(idField("mem")), v.maxLength(20));
export const categoryKeyField = v.pipe(v.string(), v.maxLength(40), v.regex(/^[a-z][a-z0-9_]{1,39}$/, "小写字母、数字和下划线 / Lower-case letters, digits and underscores"));
const descriptionField = v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(5000))));

export const issueCreateBody = v.strictObject({
  title: lineText(200),
  description: descriptionField,
  /** A category key (GET /v1/issue-categories); its clocks set acknowledge-by and resolve-by. Default `other`. */
  category: v.optional(categoryKeyField),
  responsibleUnits: v.optional(unitsField, []),
  handlerId: idField("mem"),
  followerIds: v.optional(followersField, []),
  supervisorId: v.optional(v.nullable(idField("mem"))),
  /** The service log (visit) during which the problem came up. */
  logId: v.optional(v.nullable(idField("log"))),
  /** When the problem was raised, if earlier than now (e.g. written up after the visit); the clocks start here. */
  raisedAt: v.optional(instantField),
  /** Photos of the problem as found (the "before"), the caller's own uploads; shown on the history's "raised" entry. */
  fileIds: v.optional(fileIdsField, []),
});
export type IssueCreate = v.InferOutput<typeof issueCreateBody>;

export const issuePatchBody = v.strictObject({
  title: v.optional(lineText(200)),
  description: descriptionField,
  category: v.optional(categoryKeyField),
  responsibleUnits: v.optional(unitsField),
  followerIds: v.optional(followersField),
  supervisorId: v.optional(v.nullable(idField("mem"))),
  /** Why (recorded in the history). */
  note: v.optional(text(1000)),
});
export type IssuePatch = v.InferOutput<typeof issuePatchBody>;

const noteField = v.optional(text(2000));
export const noteBody = v.strictObject({ note: noteField });
/** Photos go on the step's history entry: the "after" with a resolution, what is still wrong with a return, what was seen at verification. */
const stepFiles = { fileIds: v.optional(fileIdsField, []) };
export const resolveBody = v.strictObject({ note: text(2000), ...stepFiles });
export const returnBody = v.strictObject({ reason: text(2000), ...stepFiles });
export const verifyBody = v.strictObject({ note: noteField, ...stepFiles });
export const transferBody = v.strictObject({ handlerId: idField("mem"), reason: text(2000) });

export const issueRoles = ["handler", "follower", "supervisor", "road_chief"] as const;

const statusList = v.pipe(
  v.string(),
  v.maxLength(200),
  v.transform((s) => s.split(",")),
  v.array(v.picklist([...issueStatuses, "unresolved"])),
  v.transform((xs) => [...new Set(xs.flatMap((x) => (x === "unresolved" ? unresolvedStatuses : [x])))] as (typeof issueStatuses)[number][]),
);

export const issueListQuery = v.strictObject({
  ...pageQuery,
  projectId: v.optional(idField("prj")),
  /** One status or several, comma-separated; `unresolved` stands for every status before resolved. */
  status: v.optional(statusList),
  /** Only the problems where the caller has this part. */
  role: v.optional(v.picklist(issueRoles)),
  handlerId: v.optional(idField("mem")),
  category: v.optional(categoryKeyField),
  unit: v.optional(unitField),
  /** Only problems overdue now (acknowledge-by or resolve-by passed). */
  overdue: v.optional(booleanQuery),
  /** `raised` (newest first, the default) or `due` (earliest resolve-by first). */
  sort: v.optional(v.picklist(["raised", "due"]), "raised"),
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
});
export type IssueListQuery = v.InferOutput<typeof issueListQuery>;
const { projectId: _inPath, ...projectScoped } = issueListQuery.entries;
/** Within one project (the path names it). */
export const projectIssueListQuery = v.strictObject(projectScoped);

export const issueIdParam = v.object({ id: idField("iss") });

export const commentBody = v.strictObject({ body: text(2000), fileIds: v.optional(fileIdsField, []) });
export const commentListQuery = v.strictObject({ ...pageQuery });
export const historyListQuery = v.strictObject({ ...pageQuery });

export const categoryParam = v.object({ key: categoryKeyField });
export const categoryBody = v.strictObject({
  name: lineText(50),
  ackDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60)),
  ackUnit: v.picklist(clockUnits),
  resolveDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)),
  resolveUnit: v.picklist(clockUnits),
  active: v.optional(v.boolean()),
});

// ---- output ----

export const issueActions = ["acknowledge", "start", "resolve", "return", "verify", "close", "transfer", "edit", "comment"] as const;

export const issueOut = v.object({
  id: v.string(),
  projectId: v.string(),
  projectName: v.string(),
  logId: v.nullable(v.string()),
  title: v.string(),
  description: v.nullable(v.string()),
  category: v.string(),
  categoryName: v.string(),
  responsibleUnits: v.array(v.string()),
  handlerId: v.string(),
  handlerName: v.nullable(v.string()),
  followerIds: v.array(v.string()),
  supervisorId: v.nullable(v.string()),
  supervisorName: v.nullable(v.string()),
  roadChiefId: v.nullable(v.string()),
  status: v.picklist(issueStatuses),
  raisedAt: timestampOut,
  raisedBy: v.string(),
  clock: v.object({ ackDays: v.number(), ackUnit: v.picklist(clockUnits), resolveDays: v.number(), resolveUnit: v.picklist(clockUnits) }),
  ackDueAt: timestampOut,
  resolveDueAt: timestampOut,
  /** A working-day clock was computed before its year's official holiday arrangement arrived; it may still move. */
  calendarProvisional: v.boolean(),
  acknowledgedAt: v.nullable(timestampOut),
  resolvedAt: v.nullable(timestampOut),
  verifiedAt: v.nullable(timestampOut),
  closedAt: v.nullable(timestampOut),
  resolution: v.nullable(v.string()),
  returnCount: v.number(),
  transferCount: v.number(),
  /** Not yet acknowledged and past acknowledge-by, at the time of the request. */
  isAckOverdue: v.boolean(),
  /** Not yet resolved and past resolve-by, at the time of the request. */
  isResolveOverdue: v.boolean(),
  commentCount: v.number(),
  createdAt: timestampOut,
  updatedAt: timestampOut,
});

export const issueEventOut = v.object({
  seq: v.number(),
  action: v.string(),
  fromStatus: v.nullable(v.picklist(issueStatuses)),
  toStatus: v.picklist(issueStatuses),
  actorId: v.string(),
  actorName: v.nullable(v.string()),
  note: v.nullable(v.string()),
  data: v.nullable(v.record(v.string(), v.unknown())),
  at: timestampOut,
  files: v.array(fileRefOut),
});

export const issueDetailOut = v.object({
  ...issueOut.entries,
  followers: v.array(v.object({ id: v.string(), name: v.nullable(v.string()) })),
  /** What the caller is to this problem. */
  myRoles: v.array(v.picklist(issueRoles)),
  /** The steps the caller may take now. */
  allowedActions: v.array(v.picklist(issueActions)),
  /** The newest entries (at most 50), oldest first; GET /v1/issues/:id/history has them all. */
  history: v.array(issueEventOut),
  historyCount: v.number(),
});

export const commentOut = v.object({ id: v.string(), issueId: v.string(), authorId: v.string(), authorName: v.nullable(v.string()), body: v.string(), createdAt: timestampOut, files: v.array(fileRefOut) });

export const categoryOut = v.object({
  key: v.string(),
  name: v.string(),
  ackDays: v.number(),
  ackUnit: v.picklist(clockUnits),
  resolveDays: v.number(),
  resolveUnit: v.picklist(clockUnits),
  active: v.boolean(),
  builtIn: v.boolean(),
});
