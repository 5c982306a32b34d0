import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

export const checklistKinds = ["party_affairs", "learning", "service", "responsibility", "task", "problem"] as const;
export type ChecklistKind = (typeof checklistKinds)[number];
export const checklistStatuses = ["draft", "published", "archived"] as const;
export const rollPolicies = ["next", "previous", "none"] as const;
export const assigneeModes = ["any", "all"] as const;
/** Stored states; `overdue` is not stored but read: an open or returned task past its due date. */
export const taskStates = ["open", "submitted", "returned", "done"] as const;
export type TaskState = (typeof taskStates)[number];

/** Who an item is for, before expansion into tasks at publish. */
export type AssigneeSpec =
  | { type: "member"; memberId: string }
  | { type: "branch"; branchId: string }
  /** Every active member homed in the checklist's branch subtree (the whole tenant without one). */
  | { type: "each_member" }
  /** The secretary of each branch (of a kind) in the subtree: "each 支部书记". */
  | { type: "each_secretary"; branchKind?: string }
  /** Each branch of a kind in the subtree, as a unit: "each 支部". */
  | { type: "each_branch"; branchKind: string };

/** A preset's id and its parameters, e.g. { id: "monthly_day", day: 25 }. */
export type SchedulePresetChoice = { id: string } & Record<string, string | number>;

export interface PointsBasis {
  onTime: boolean;
  /** The item's points for an on-time (or late) finish when it was awarded. */
  base: number;
  returns: number;
  penaltyEach: number;
  /** On time by an accepted back-fill (补录): recorded late, done by the due date. */
  backfill?: true;
}

export const checklists = sqliteTable(
  "checklists",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    kind: text("kind", { enum: checklistKinds }).notNull(),
    year: integer("year").notNull(),
    /** The owning branch: its subtree is where "each member" and "each 支部" are found, and its secretary may manage it. */
    branchId: text("branch_id"),
    description: text("description"),
    status: text("status", { enum: checklistStatuses }).notNull(),
    publishedAt: timestamp("published_at"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("checklists_year_kind").on(t.year, t.kind), index("checklists_branch").on(t.branchId)],
);

export const checklistItems = sqliteTable(
  "checklist_items",
  {
    id: text("id").primaryKey(),
    checklistId: text("checklist_id").notNull(),
    module: text("module").notNull(),
    title: text("title").notNull(),
    guidance: text("guidance"),
    /** RFC 5545 RRULE (FREQ=…); null with `dueDate` for a single deadline. */
    recurrence: text("recurrence"),
    dueDate: text("due_date"),
    /** The schedule preset the item was written with (GET /v1/schedules/presets), if any; `recurrence` is its rule. */
    preset: text("preset", { mode: "json" }).$type<SchedulePresetChoice>(),
    rollPolicy: text("roll_policy", { enum: rollPolicies }).notNull(),
    assigneeMode: text("assignee_mode", { enum: assigneeModes }).notNull(),
    assignees: text("assignees", { mode: "json" }).$type<AssigneeSpec[]>().notNull(),
    minCount: integer("min_count").notNull(),
    points: integer("points").notNull(),
    /** Points for a task completed after its due date (the red mark keeps it from full marks). */
    latePoints: integer("late_points").notNull(),
    /** Deducted per return by a reviewer. */
    returnPenalty: integer("return_penalty").notNull(),
    evidenceRequired: integer("evidence_required", { mode: "boolean" }).notNull(),
    reviewRequired: integer("review_required", { mode: "boolean" }).notNull(),
    sortOrder: integer("sort_order").notNull(),
    archivedAt: timestamp("archived_at"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("checklist_items_checklist").on(t.checklistId)],
);

export const tasks = sqliteTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    checklistId: text("checklist_id").notNull(),
    itemId: text("item_id").notNull(),
    /** Which expansion of the item this task is (member:<id>, branch:<id>, or any:<itemId>), unique per period. */
    assigneeKey: text("assignee_key").notNull(),
    /** The item's module and title when the task was made: a finished task keeps the words it was done under. */
    module: text("module").notNull(),
    title: text("title").notNull(),
    periodStart: text("period_start").notNull(),
    /** The nominal date from the recurrence; `dueDate` is it rolled to a working day. */
    nominalDate: text("nominal_date").notNull(),
    dueDate: text("due_date").notNull(),
    /** The due date came from a year whose official calendar had not arrived: it is re-rolled when it does. */
    calendarProvisional: integer("calendar_provisional", { mode: "boolean" }).notNull().default(false),
    state: text("state", { enum: taskStates }).notNull(),
    doneCount: integer("done_count").notNull().default(0),
    minCount: integer("min_count").notNull(),
    evidenceRequired: integer("evidence_required", { mode: "boolean" }).notNull(),
    reviewRequired: integer("review_required", { mode: "boolean" }).notNull(),
    submittedAt: timestamp("submitted_at"),
    completedAt: timestamp("completed_at"),
    completedLate: integer("completed_late", { mode: "boolean" }).notNull().default(false),
    returnCount: integer("return_count").notNull().default(0),
    /** Awarded when done, by the item's rules at that moment; never recomputed. */
    points: integer("points"),
    /** How `points` came about, frozen with it, so a score stays explainable after the item's rules change. */
    pointsBasis: text("points_basis", { mode: "json" }).$type<PointsBasis>(),
    /**
     * 补录: a reviewer accepted that work recorded late was done on time (its records' dates say so),
     * with a reason; the task then counts as on time. Null while the strict rule stands.
     */
    backfillReason: text("backfill_reason"),
    backfillBy: text("backfill_by"),
    backfillAt: timestamp("backfill_at"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("tasks_occurrence").on(t.itemId, t.assigneeKey, t.nominalDate),
    index("tasks_checklist").on(t.checklistId),
    index("tasks_due").on(t.dueDate),
  ],
);

/** Who may do a task: one row for an "all" task, several for an "any" task shared by a group. */
export const taskAssignees = sqliteTable(
  "task_assignees",
  {
    taskId: text("task_id").notNull(),
    memberId: text("member_id"),
    branchId: text("branch_id"),
  },
  (t) => [index("task_assignees_task").on(t.taskId), index("task_assignees_member").on(t.memberId, t.taskId), index("task_assignees_branch").on(t.branchId, t.taskId)],
);

export const taskRecords = sqliteTable(
  "task_records",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    memberId: text("member_id").notNull(),
    doneOn: text("done_on").notNull(),
    summary: text("summary").notNull(),
    note: text("note"),
    attachments: text("attachments", { mode: "json" }).$type<{ url: string; name?: string }[]>().notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("task_records_task").on(t.taskId)],
);

export const taskReviews = sqliteTable(
  "task_reviews",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id").notNull(),
    reviewerId: text("reviewer_id").notNull(),
    decision: text("decision", { enum: ["approved", "returned"] }).notNull(),
    reason: text("reason"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("task_reviews_task").on(t.taskId)],
);

export const rankingNameModes = ["full", "surname", "hidden"] as const;
export type RankingNameMode = (typeof rankingNameModes)[number];

/** Per-tenant checklist settings: one row. */
export const taskSettings = sqliteTable("task_settings", {
  id: integer("id").primaryKey(),
  /** A task due within this many days is `due_soon`. */
  dueSoonDays: integer("due_soon_days").notNull(),
  /** How a plain member's rankings name the others: in full, surname only (王**), or not at all (own row only). */
  rankingNames: text("ranking_names", { enum: rankingNameModes }).notNull().default("hidden"),
  updatedAt: timestamp("updated_at").notNull(),
});

export type ChecklistRow = typeof checklists.$inferSelect;
export type ChecklistItemRow = typeof checklistItems.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
