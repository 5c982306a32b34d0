import * as v from "valibot";
import { fileIdsField, fileRefOut } from "../files/schemas.js";
import { pledgeCategories, pledgeEvaluationKinds, pledgeKinds, pledgeOutcomes, pledgePublicNameModes, pledgeVersionStatuses } from "../../db/tenant/schema.js";
import { dateField, idField, lineText, timestampOut, yearField, yearQuery } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";

const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));


const targetId = v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,20}$/, "1–20 个小写字母、数字、下划线或连字符 / 1–20 lower-case letters, digits, _ or -"));
const targetTitle = lineText(200);

/** Targets are given whole on every create or edit; an `id` kept across versions keeps its progress. */
export const targetInput = v.variant("type", [
  v.strictObject({
    id: v.optional(targetId),
    title: targetTitle,
    type: v.literal("quantity"),
    amount: v.pipe(v.number(), v.gtValue(0, "须大于 0 / Must be greater than 0"), v.maxValue(1_000_000_000)),
    unit: lineText(20),
  }),
  v.strictObject({ id: v.optional(targetId), title: targetTitle, type: v.literal("done") }),
  /** A 责任书's clause (条款): its text in `title`; kept or not, reported with `done`. Only on `responsibility_statement`. */
  v.strictObject({ id: v.optional(targetId), title: lineText(500), type: v.literal("clause") }),
]);
export type TargetInput = v.InferOutput<typeof targetInput>;

const targetsField = v.pipe(
  v.array(targetInput),
  v.maxLength(20),
  v.check((ts) => {
    const ids = ts.map((t) => t.id).filter((id) => id !== undefined);
    return new Set(ids).size === ids.length;
  }, "目标 id 不能重复 / Target ids must be unique"),
);

const contentFields = {
  title: lineText(200),
  content: text(10_000),
  category: v.picklist(pledgeCategories),
  targets: targetsField,
  dueDate: dateField,
  /** Links to a project or checklist it serves; only the id's form is checked (those modules own them). */
  projectId: v.optional(v.nullable(idField("prj"))),
  checklistId: v.optional(v.nullable(idField("cl"))),
};

export const pledgeCreateBody = v.strictObject({
  kind: v.optional(v.picklist(pledgeKinds), "pledge"),
  year: yearField,
  ...contentFields,
  targets: v.optional(targetsField, []),
  publicDisplay: v.optional(v.boolean(), false),
});
export type PledgeCreate = v.InferOutput<typeof pledgeCreateBody>;

export const pledgePatchBody = v.strictObject({
  title: v.optional(contentFields.title),
  content: v.optional(contentFields.content),
  category: v.optional(contentFields.category),
  targets: v.optional(targetsField),
  dueDate: v.optional(dateField),
  projectId: contentFields.projectId,
  checklistId: contentFields.checklistId,
});
export type PledgePatch = v.InferOutput<typeof pledgePatchBody>;

export const derivedStatuses = ["draft", "submitted", "returned", "withdrawn", "approved", "closed"] as const;
export type DerivedStatus = (typeof derivedStatuses)[number];

const flag = v.pipe(v.picklist(["true", "false"]), v.transform((s) => s === "true"));

export const pledgeListQuery = v.strictObject({
  ...pageQuery,
  year: v.optional(yearQuery),
  kind: v.optional(v.picklist(pledgeKinds)),
  category: v.optional(v.picklist(pledgeCategories)),
  status: v.optional(v.picklist(derivedStatuses)),
  memberId: v.optional(idField("mem")),
  /** This branch's subtree. */
  branchId: v.optional(idField("br")),
  mine: v.optional(flag),
  overdue: v.optional(flag),
  /** Versions waiting for the caller's review (their own submissions for a plain member). */
  awaitingReview: v.optional(flag),
});
export type PledgeListQuery = v.InferOutput<typeof pledgeListQuery>;

export const pledgeIdParam = v.object({ id: idField("plg") });
/** Versions, updates and evaluations: a page at a time. */
export const subListQuery = v.strictObject({ ...pageQuery });

export const approveBody = v.strictObject({ note: v.optional(text(1000)) });
export const returnBody = v.strictObject({ reason: text(1000) });
export const publicDisplayBody = v.strictObject({ publicDisplay: v.boolean() });

const attachmentInput = v.strictObject({
  url: v.pipe(v.string(), v.trim(), v.maxLength(2000), v.url(), v.regex(/^https?:\/\//i, "只接受 http(s) 链接 / Only http(s) links")),
  name: v.optional(lineText(200)),
});

const quantity = v.pipe(v.number(), v.minValue(0), v.maxValue(1_000_000_000));

/**
 * One target's progress in an update, exactly one of: `amount` — an increment, added to what was
 * reached (本次完成 6 个); `total` — the new running total, replacing it (累计 15 个); `done` — a mark
 * on a done/not-done target.
 */
export const progressEntry = v.pipe(
  v.strictObject({
    targetId: targetId,
    amount: v.optional(quantity),
    total: v.optional(quantity),
    done: v.optional(v.boolean()),
  }),
  v.check((p) => [p.amount, p.total, p.done].filter((x) => x !== undefined).length === 1, "amount（本次增加）、total（累计总数）与 done 须且只须给出一个 / Give exactly one of amount (an increment), total (the new running total) and done"),
);

export const updateBody = v.strictObject({
  note: text(5000),
  progress: v.optional(
    v.pipe(
      v.array(progressEntry),
      v.maxLength(20),
      v.check((ps) => new Set(ps.map((p) => p.targetId)).size === ps.length, "每个目标只能出现一次 / Each target at most once"),
    ),
    [],
  ),
  attachments: v.optional(v.pipe(v.array(attachmentInput), v.maxLength(20)), []),
  /** Photos or documents uploaded through POST /v1/files (the caller's own), at most 9. */
  fileIds: v.optional(fileIdsField, []),
});
export type UpdateInput = v.InferOutput<typeof updateBody>;

export const evaluationBody = v.strictObject({
  kind: v.picklist(pledgeEvaluationKinds),
  score: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
  comment: v.optional(text(1000)),
});
export type EvaluationInput = v.InferOutput<typeof evaluationBody>;

export const closeBody = v.strictObject({
  outcome: v.picklist(pledgeOutcomes),
  note: v.optional(text(1000)),
});

const weight = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100));
export const settingsBody = v.strictObject({
  weights: v.pipe(
    v.strictObject({ self: weight, leader: weight, peer: weight, public: weight }),
    v.check((w) => w.self + w.leader + w.peer + w.public === 100, "权重之和须为 100 / The weights must add up to 100"),
  ),
  publicBoard: v.boolean(),
  publicNames: v.picklist(pledgePublicNameModes),
  publicRatings: v.boolean(),
});
export type SettingsInput = v.InferOutput<typeof settingsBody>;

// ---- output ----

export const targetOut = v.object({ id: v.string(), title: v.string(), type: v.picklist(["quantity", "done", "clause"]), amount: v.nullable(v.number()), unit: v.nullable(v.string()) });

const signatureOut = v.object({ memberId: v.string(), signedAt: timestampOut });
/**
 * A 责任书 is signed (签订) by its member and by the leader who approves it: the member's signature is
 * the submission of the version in force, the leader's its approval. Null on other kinds.
 */
export const signaturesOut = v.nullable(v.object({ member: v.nullable(signatureOut), leader: v.nullable(signatureOut) }));

/** What a pledge says: the same in each version and in the pledge as shown. */
const pledgeTextFields = {
  title: v.string(),
  content: v.string(),
  category: v.picklist(pledgeCategories),
  targets: v.array(targetOut),
  dueDate: v.string(),
  projectId: v.nullable(v.string()),
  checklistId: v.nullable(v.string()),
};

export const versionOut = v.object({
  version: v.number(),
  status: v.picklist(pledgeVersionStatuses),
  ...pledgeTextFields,
  createdAt: timestampOut,
  updatedAt: timestampOut,
  submittedAt: v.nullable(timestampOut),
  reviewedAt: v.nullable(timestampOut),
  reviewerId: v.nullable(v.string()),
  reviewNote: v.nullable(v.string()),
});

const standingOut = v.object({ id: v.string(), achieved: v.number(), done: v.boolean(), percent: v.number() });
export const progressOut = v.object({
  percent: v.number(),
  updateCount: v.number(),
  lastUpdateAt: v.nullable(timestampOut),
  /** Detail only: each target's standing. */
  targets: v.optional(v.array(standingOut)),
  /** Detail only: the percent after each update, oldest first. */
  trend: v.optional(v.array(v.object({ at: timestampOut, percent: v.number() }))),
});

const averageOut = v.object({ count: v.number(), average: v.nullable(v.number()) });
export const evaluationSummaryOut = v.object({
  self: v.nullable(v.number()),
  leader: v.nullable(v.number()),
  peer: averageOut,
  public: averageOut,
  /** The weighted score with today's weights (the frozen `score` replaces it once closed). */
  provisionalScore: v.nullable(v.number()),
});

export const pledgeOut = v.object({
  id: v.string(),
  kind: v.picklist(pledgeKinds),
  year: v.number(),
  memberId: v.string(),
  memberName: v.nullable(v.string()),
  branchId: v.nullable(v.string()),
  branchName: v.nullable(v.string()),
  status: v.picklist(derivedStatuses),
  /** The version shown: the one in force once approved (a pending revision does not replace it). */
  version: v.number(),
  ...pledgeTextFields,
  reviewNote: v.nullable(v.string()),
  approvedAt: v.nullable(timestampOut),
  /** A newer version being drafted or reviewed; shown to the owner and reviewers only. */
  pendingRevision: v.nullable(v.object({ version: v.number(), status: v.picklist(pledgeVersionStatuses) })),
  publicDisplay: v.boolean(),
  signatures: signaturesOut,
  /** On the bureau's public board right now. */
  published: v.boolean(),
  overdue: v.boolean(),
  progress: progressOut,
  outcome: v.nullable(v.picklist(pledgeOutcomes)),
  closedAt: v.nullable(timestampOut),
  closingNote: v.nullable(v.string()),
  score: v.nullable(v.number()),
  createdAt: timestampOut,
  updatedAt: timestampOut,
});

export const pledgeDetailOut = v.object({
  ...pledgeOut.entries,
  /** The pending revision's full text (owner and reviewers). */
  revision: v.nullable(versionOut),
  evaluations: evaluationSummaryOut,
  scoreDetail: v.nullable(v.unknown()),
});

export const updateOut = v.object({
  id: v.string(),
  version: v.number(),
  authorId: v.string(),
  note: v.string(),
  /** `amount`: an increment; `total`: the running total it was set to; `done`: a mark. */
  progress: v.array(v.object({ targetId: v.string(), amount: v.optional(v.number()), total: v.optional(v.number()), done: v.optional(v.boolean()) })),
  attachments: v.array(v.object({ url: v.string(), name: v.nullable(v.string()) })),
  createdAt: timestampOut,
  /** The pledge's percent after this update. */
  percent: v.number(),
  files: v.array(fileRefOut),
});

export const evaluationOut = v.object({
  id: v.string(),
  kind: v.picklist(pledgeEvaluationKinds),
  /** Null for other people's peer ratings unless the reader reviews the pledge: peers rate in confidence. */
  evaluatorId: v.nullable(v.string()),
  score: v.number(),
  comment: v.nullable(v.string()),
  createdAt: timestampOut,
});

export const settingsOut = v.object({
  weights: v.object({ self: v.number(), leader: v.number(), peer: v.number(), public: v.number() }),
  publicBoard: v.boolean(),
  publicNames: v.picklist(pledgePublicNameModes),
  publicRatings: v.boolean(),
  updatedAt: v.nullable(timestampOut),
});
