import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

/** 承诺, 党员示范岗, 责任书: the same lifecycle, told apart by `kind`. */
export const pledgeKinds = ["pledge", "model_post", "responsibility_statement"] as const;
export type PledgeKind = (typeof pledgeKinds)[number];
export const pledgeCategories = ["service", "work", "learning", "integrity", "other"] as const;
export type PledgeCategory = (typeof pledgeCategories)[number];
/**
 * A version leaves `draft` once and is frozen from then on: `submitted` → `approved` | `returned`;
 * the owner may `withdraw` an open one; an approved version is `superseded` when a later one is approved.
 */
export const pledgeVersionStatuses = ["draft", "submitted", "approved", "returned", "withdrawn", "superseded"] as const;
export type PledgeVersionStatus = (typeof pledgeVersionStatuses)[number];
export const pledgeOutcomes = ["fulfilled", "partly_fulfilled", "unfulfilled"] as const;
export type PledgeOutcome = (typeof pledgeOutcomes)[number];
export const pledgeEvaluationKinds = ["self", "leader", "peer"] as const;
export type PledgeEvaluationKind = (typeof pledgeEvaluationKinds)[number];
/** How the public board names people: 王小明, 王** or not at all. */
export const pledgePublicNameModes = ["full", "surname", "hidden"] as const;
export type PledgePublicNameMode = (typeof pledgePublicNameModes)[number];

/**
 * A measurable target: a number and a unit ("协调解决现场问题 10 个"), or done / not done; or, in a
 * 责任书 (responsibility statement), a clause (条款): no amount, kept or not, marked like `done`.
 */
export interface PledgeTarget {
  id: string;
  title: string;
  type: "quantity" | "done" | "clause";
  amount: number | null;
  unit: string | null;
}
/**
 * Progress toward one target in one update: an amount added (`amount`, an increment), the new
 * running total (`total`: 「累计15个」 replaces what was reached so far), or a mark (`done`).
 */
export interface PledgeTargetProgress {
  targetId: string;
  amount?: number;
  total?: number;
  done?: boolean;
}
export interface PledgeAttachment {
  url: string;
  name: string | null;
}

/** The pledge itself: who, which year, where it stands; the wording lives in its versions. */
export const pledges = sqliteTable(
  "pledges",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    /** The owner's home branch when the pledge was made: whose secretary reviews it, where reports count it. */
    branchId: text("branch_id"),
    kind: text("kind", { enum: pledgeKinds }).notNull(),
    year: integer("year").notNull(),
    currentVersion: integer("current_version").notNull(),
    currentStatus: text("current_status", { enum: pledgeVersionStatuses }).notNull(),
    /** The version in force (what the tenant and the public see); null until the first approval. */
    approvedVersion: integer("approved_version"),
    approvedAt: timestamp("approved_at"),
    /** Due date of the version in force (or of the current one before any approval): overdue is read from it. */
    dueDate: text("due_date").notNull(),
    /** The member's consent to the public board (the bureau's setting must allow it too). */
    publicDisplay: integer("public_display", { mode: "boolean" }).notNull().default(false),
    /** Kept with each update and approval so overdue and lists need no JSON arithmetic in SQL. */
    progressPercent: real("progress_percent").notNull().default(0),
    updateCount: integer("update_count").notNull().default(0),
    lastProgressAt: timestamp("last_progress_at"),
    outcome: text("outcome", { enum: pledgeOutcomes }),
    closedAt: timestamp("closed_at"),
    closedBy: text("closed_by"),
    closingNote: text("closing_note"),
    score: real("score"),
    /** The weights and averages the score was computed from, frozen at closing. */
    scoreDetail: text("score_detail", { mode: "json" }),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [
    index("pledges_member_year").on(t.memberId, t.year),
    index("pledges_branch_year").on(t.branchId, t.year),
    index("pledges_year").on(t.year),
    index("pledges_due").on(t.dueDate),
    index("pledges_current_status").on(t.currentStatus),
  ],
);

/** Every version a pledge has had; history is never rewritten once a version leaves draft. */
export const pledgeVersions = sqliteTable(
  "pledge_versions",
  {
    id: text("id").primaryKey(),
    pledgeId: text("pledge_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: pledgeVersionStatuses }).notNull(),
    title: text("title").notNull(),
    content: text("content").notNull(),
    category: text("category", { enum: pledgeCategories }).notNull(),
    targets: text("targets", { mode: "json" }).$type<PledgeTarget[]>().notNull(),
    dueDate: text("due_date").notNull(),
    /** Opaque links to the projects and checklists modules (prefix-checked only). */
    projectId: text("project_id"),
    checklistId: text("checklist_id"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    submittedAt: timestamp("submitted_at"),
    reviewedAt: timestamp("reviewed_at"),
    reviewerId: text("reviewer_id"),
    /** The approval note or the reason for returning it. */
    reviewNote: text("review_note"),
  },
  (t) => [uniqueIndex("pledge_versions_pledge_version").on(t.pledgeId, t.version)],
);

/** 践诺: progress the owner reports against the version in force. */
export const pledgeUpdates = sqliteTable(
  "pledge_updates",
  {
    id: text("id").primaryKey(),
    pledgeId: text("pledge_id").notNull(),
    version: integer("version").notNull(),
    authorId: text("author_id").notNull(),
    note: text("note").notNull(),
    progress: text("progress", { mode: "json" }).$type<PledgeTargetProgress[]>().notNull(),
    attachments: text("attachments", { mode: "json" }).$type<PledgeAttachment[]>().notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("pledge_updates_pledge").on(t.pledgeId, t.id)],
);

/** 评诺 by members: one self, one leader and one per peer (`slot` is `self`, `leader` or `peer:<memberId>`). */
export const pledgeEvaluations = sqliteTable(
  "pledge_evaluations",
  {
    id: text("id").primaryKey(),
    pledgeId: text("pledge_id").notNull(),
    kind: text("kind", { enum: pledgeEvaluationKinds }).notNull(),
    slot: text("slot").notNull(),
    evaluatorId: text("evaluator_id").notNull(),
    score: integer("score").notNull(),
    comment: text("comment"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [uniqueIndex("pledge_evaluations_slot").on(t.pledgeId, t.slot), index("pledge_evaluations_evaluator").on(t.evaluatorId)],
);

/** Ratings from the public board: 1–5 stars; the client is kept only as a salted hash. */
export const pledgePublicRatings = sqliteTable(
  "pledge_public_ratings",
  {
    id: text("id").primaryKey(),
    pledgeId: text("pledge_id").notNull(),
    stars: integer("stars").notNull(),
    clientHash: text("client_hash").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("pledge_public_ratings_pledge").on(t.pledgeId)],
);

/** Fixed-window counters for the public board's rate limits (see src/modules/public/rate-limit.ts). */
export const pledgeRateLimits = sqliteTable(
  "pledge_rate_limits",
  {
    bucket: text("bucket").primaryKey(),
    count: integer("count").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
  },
  (t) => [index("pledge_rate_limits_expires").on(t.expiresAt)],
);

/** The bureau's choices (one row, id 1; defaults apply until an admin saves). */
export const pledgeSettings = sqliteTable("pledge_settings", {
  id: integer("id").primaryKey(),
  weightSelf: integer("weight_self").notNull(),
  weightLeader: integer("weight_leader").notNull(),
  weightPeer: integer("weight_peer").notNull(),
  weightPublic: integer("weight_public").notNull(),
  publicBoard: integer("public_board", { mode: "boolean" }).notNull(),
  publicNames: text("public_names", { enum: pledgePublicNameModes }).notNull(),
  publicRatings: integer("public_ratings", { mode: "boolean" }).notNull(),
  updatedAt: timestamp("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

export type PledgeRow = typeof pledges.$inferSelect;
export type PledgeVersionRow = typeof pledgeVersions.$inferSelect;
export type PledgeUpdateRow = typeof pledgeUpdates.$inferSelect;
export type PledgeEvaluationRow = typeof pledgeEvaluations.$inferSelect;
export type PledgeSettingsRow = typeof pledgeSettings.$inferSelect;
