import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

// 路长制 projects, their service logs, and the 吹哨报到 problems raised on them (issue 5).

export const projectKinds = ["expressway", "metro_road", "renovation", "other"] as const;
export type ProjectKind = (typeof projectKinds)[number];
export const projectStatuses = ["planned", "under_construction", "completed"] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: projectKinds }).notNull(),
    district: text("district"),
    roadSection: text("road_section"),
    /** YYYY-MM-DD in the tenant's zone. */
    startDate: text("start_date"),
    endDate: text("end_date"),
    status: text("status", { enum: projectStatuses }).notNull(),
    /** The cadre appointed 路长; a planned project may not have one yet. */
    roadChiefId: text("road_chief_id"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    description: text("description"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("projects_road_chief").on(t.roadChiefId), index("projects_name_id").on(t.name, t.id), index("projects_status").on(t.status)],
);

/** 联建: the project's temporary branch and the bureau branches paired with it. */
export const projectBranches = sqliteTable(
  "project_branches",
  {
    projectId: text("project_id").notNull(),
    branchId: text("branch_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.branchId] }), index("project_branches_branch").on(t.branchId)],
);

export const logKinds = ["site_visit", "coordination_meeting", "phone_coordination", "inspection"] as const;
export type LogKind = (typeof logKinds)[number];

export interface LogAttachment {
  name: string | null;
  url: string;
}
export interface LogLocation {
  address: string | null;
  lat: number | null;
  lng: number | null;
}

/** Append-only (有痕可查): nothing updates or deletes a row; a correction is a new row whose `corrects_id` names the old one. */
export const projectLogs = sqliteTable(
  "project_logs",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    kind: text("kind", { enum: logKinds }).notNull(),
    visitedAt: timestamp("visited_at").notNull(),
    endedAt: timestamp("ended_at"),
    participantIds: text("participant_ids", { mode: "json" }).$type<string[]>().notNull(),
    /** People from outside the bureau (builders, utilities), by name. */
    otherParticipants: text("other_participants", { mode: "json" }).$type<string[]>().notNull(),
    summary: text("summary").notNull(),
    attachments: text("attachments", { mode: "json" }).$type<LogAttachment[]>().notNull(),
    location: text("location", { mode: "json" }).$type<LogLocation>(),
    /** The entry this one corrects; each entry is corrected at most once, so the chain never forks. */
    correctsId: text("corrects_id"),
    correctionReason: text("correction_reason"),
    authorId: text("author_id").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("project_logs_project_visited").on(t.projectId, t.visitedAt), uniqueIndex("project_logs_corrects").on(t.correctsId)],
);

export const issueStatuses = ["open", "transferred", "acknowledged", "in_progress", "returned", "resolved", "verified", "closed"] as const;
export type IssueStatus = (typeof issueStatuses)[number];
/** The handler's ball: not yet resolved (these count as open and can run overdue). */
export const unresolvedStatuses = ["open", "transferred", "acknowledged", "in_progress", "returned"] as const satisfies readonly IssueStatus[];
/** Waiting for the handler to take it up (the acknowledge clock runs). */
export const unacknowledgedStatuses = ["open", "transferred"] as const satisfies readonly IssueStatus[];

export const clockUnits = ["working_days", "calendar_days"] as const;
export type ClockUnit = (typeof clockUnits)[number];

/** A problem raised on a project (吹哨报到: 有人办、有人跟、有人督, with two clocks). */
export const issues = sqliteTable(
  "issues",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    /** The service log (visit) during which it was raised. */
    logId: text("log_id"),
    title: text("title").notNull(),
    description: text("description"),
    category: text("category").notNull(),
    handlerId: text("handler_id").notNull(),
    supervisorId: text("supervisor_id"),
    status: text("status", { enum: issueStatuses }).notNull(),
    raisedAt: timestamp("raised_at").notNull(),
    raisedBy: text("raised_by").notNull(),
    /** The clock rule in force when raised (the category's, copied so later edits of the category change nothing here). */
    ackDays: integer("ack_days").notNull(),
    ackUnit: text("ack_unit", { enum: clockUnits }).notNull(),
    resolveDays: integer("resolve_days").notNull(),
    resolveUnit: text("resolve_unit", { enum: clockUnits }).notNull(),
    ackDueAt: timestamp("ack_due_at").notNull(),
    resolveDueAt: timestamp("resolve_due_at").notNull(),
    /** A working-day clock ran through a year whose official calendar had not arrived: re-rolled when it does. */
    calendarProvisional: integer("calendar_provisional", { mode: "boolean" }).notNull().default(false),
    acknowledgedAt: timestamp("acknowledged_at"),
    resolvedAt: timestamp("resolved_at"),
    verifiedAt: timestamp("verified_at"),
    closedAt: timestamp("closed_at"),
    /** The handler's latest account of the resolution. */
    resolution: text("resolution"),
    returnCount: integer("return_count").notNull(),
    transferCount: integer("transfer_count").notNull(),
    /** Bumped by every change; the history row of a change carries it, and (issue_id, seq) is unique, so two racing transitions cannot both land. */
    version: integer("version").notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [
    index("issues_project_status_raised").on(t.projectId, t.status, t.raisedAt),
    index("issues_handler_status").on(t.handlerId, t.status),
    index("issues_supervisor").on(t.supervisorId),
    index("issues_log").on(t.logId),
    index("issues_raised").on(t.raisedAt),
    index("issues_status_resolve_due").on(t.status, t.resolveDueAt),
  ],
);

export const issueFollowers = sqliteTable(
  "issue_followers",
  {
    issueId: text("issue_id").notNull(),
    memberId: text("member_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.memberId] }), index("issue_followers_member").on(t.memberId)],
);

/** Responsible units (outside bodies: utilities, district departments), by name; one problem may name several. */
export const issueUnits = sqliteTable(
  "issue_units",
  {
    issueId: text("issue_id").notNull(),
    unit: text("unit").notNull(),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.unit] }), index("issue_units_unit").on(t.unit)],
);

/** The readable history of a problem: who did what, when and why. Append-only. */
export const issueEvents = sqliteTable(
  "issue_events",
  {
    id: text("id").primaryKey(),
    issueId: text("issue_id").notNull(),
    /** The problem's version after this event. */
    seq: integer("seq").notNull(),
    action: text("action").notNull(),
    fromStatus: text("from_status", { enum: issueStatuses }),
    toStatus: text("to_status", { enum: issueStatuses }).notNull(),
    actorId: text("actor_id").notNull(),
    note: text("note"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>(),
    at: timestamp("at").notNull(),
  },
  (t) => [uniqueIndex("issue_events_issue_seq").on(t.issueId, t.seq)],
);

/** Anyone who can see a problem may comment; comments are append-only. */
export const issueComments = sqliteTable(
  "issue_comments",
  {
    id: text("id").primaryKey(),
    issueId: text("issue_id").notNull(),
    authorId: text("author_id").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("issue_comments_issue").on(t.issueId, t.id)],
);

/** The tenant's own problem categories and clock defaults; built-in categories apply where no row overrides them. */
export const issueCategories = sqliteTable("issue_categories", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  ackDays: integer("ack_days").notNull(),
  ackUnit: text("ack_unit", { enum: clockUnits }).notNull(),
  resolveDays: integer("resolve_days").notNull(),
  resolveUnit: text("resolve_unit", { enum: clockUnits }).notNull(),
  active: integer("active", { mode: "boolean" }).notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

export type ProjectRow = typeof projects.$inferSelect;
export type ProjectLogRow = typeof projectLogs.$inferSelect;
export type IssueRow = typeof issues.$inferSelect;
export type IssueEventRow = typeof issueEvents.$inferSelect;
export type IssueCategoryRow = typeof issueCategories.$inferSelect;
