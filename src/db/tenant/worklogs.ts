import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

// 电子日志 (issue 17): a cadre's daily work log, the 分管领导's 点评 and 交办, and the monthly score.
// Sized for 25,315 cadres × ~250 working days a year in one database: one row a member a day, the
// day's items as JSON in it, and one row a member a month that carries what reports need (rollup,
// summary, score), kept up to date by the writes so that no report scans the year's entries.

export const worklogDayKinds = ["work", "leave"] as const;
export type WorklogDayKind = (typeof worklogDayKinds)[number];

/** One thing done on the day. `fileIds` also sit in file_links (entity `worklog_entry`), which decides who may read them. */
export interface WorklogItem {
  text: string;
  /** A key from the bureau's categories (worklog_settings.categories). */
  category: string;
  hours: number | null;
  place: string | null;
  fileIds: string[];
}

export interface WorklogCategory {
  key: string;
  name: string;
}

export interface RubricItem {
  key: string;
  name: string;
  /** Points this item can give; a rubric's maxima add up to 100. */
  max: number;
}

/** The bureau's log rules: one row (id 1); absent means the defaults (src/modules/worklogs/settings.ts). */
export const worklogSettings = sqliteTable("worklog_settings", {
  id: integer("id").primaryKey(),
  categories: text("categories", { mode: "json" }).$type<WorklogCategory[]>().notNull(),
  rubric: text("rubric", { mode: "json" }).$type<RubricItem[]>().notNull(),
  /** Raised whenever the rubric changes; a score keeps the version (and a copy of the items) it was given under. */
  rubricVersion: integer("rubric_version").notNull(),
  /** 日常考评's share (0–100) of the composite beside checklist points (S2: 40). */
  weight: integer("weight").notNull(),
  /** 「昨日日志未填写」 in the morning digest; off unless the bureau turns it on. */
  remindMissing: integer("remind_missing", { mode: "boolean" }).notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

/**
 * A member's day: written, edited in place while its month is open (audited), and once the month is
 * closed only corrected by appending to worklog_corrections (有痕可查). At most one a member a day.
 */
export const worklogEntries = sqliteTable(
  "worklog_entries",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    /** YYYY-MM-DD in the tenant's zone. */
    date: text("date").notNull(),
    kind: text("kind", { enum: worklogDayKinds }).notNull(),
    items: text("items", { mode: "json" }).$type<WorklogItem[]>().notNull(),
    hours: real("hours"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [uniqueIndex("worklog_entries_member_date").on(t.memberId, t.date)],
);

/** After the month closed: a correction replaces the entry's content for readers; the entry and earlier corrections stay. */
export const worklogCorrections = sqliteTable(
  "worklog_corrections",
  {
    id: text("id").primaryKey(),
    entryId: text("entry_id").notNull(),
    /** 1, 2, …: (entry_id, seq) is unique, so two racing corrections cannot both land on the same base. */
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: worklogDayKinds }).notNull(),
    items: text("items", { mode: "json" }).$type<WorklogItem[]>().notNull(),
    hours: real("hours"),
    reason: text("reason").notNull(),
    authorId: text("author_id").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [uniqueIndex("worklog_corrections_entry_seq").on(t.entryId, t.seq)],
);

/** A closed month (YYYY-MM): its entries are append-only from then on. */
export const worklogClosedMonths = sqliteTable("worklog_closed_months", {
  month: text("month").primaryKey(),
  closedBy: text("closed_by").notNull(),
  closedAt: timestamp("closed_at").notNull(),
});

/**
 * A member's month: the rollup the writes maintain (days written, leave days, the month's working
 * days), the 每月小结, and the leader's score frozen with the rubric it was given under.
 */
export const worklogMonths = sqliteTable(
  "worklog_months",
  {
    memberId: text("member_id").notNull(),
    month: text("month").notNull(),
    daysWritten: integer("days_written").notNull(),
    leaveDays: integer("leave_days").notNull(),
    /** China's working days in the month under the tenant's calendar, as of the latest write. */
    workingDays: integer("working_days").notNull(),
    summary: text("summary"),
    summaryAt: timestamp("summary_at"),
    score: integer("score"),
    scoreItems: text("score_items", { mode: "json" }).$type<(RubricItem & { points: number })[]>(),
    scoreComment: text("score_comment"),
    rubricVersion: integer("rubric_version"),
    scoredBy: text("scored_by"),
    scoredAt: timestamp("scored_at"),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.month] }), index("worklog_months_month").on(t.month)],
);

export const worklogLeaderSubjects = ["member", "branch"] as const;

/** 分管领导 set by the bureau for one member or a whole branch; without a row, the branch's secretary leads. */
export const worklogLeaders = sqliteTable(
  "worklog_leaders",
  {
    subjectType: text("subject_type", { enum: worklogLeaderSubjects }).notNull(),
    subjectId: text("subject_id").notNull(),
    leaderId: text("leader_id").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.subjectType, t.subjectId] }), index("worklog_leaders_leader").on(t.leaderId)],
);

export const worklogCommentKinds = ["review", "dispute"] as const;

/** 点评 on a day (entry_id) or the dispute thread on a month's score (month); append-only. */
export const worklogComments = sqliteTable(
  "worklog_comments",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    kind: text("kind", { enum: worklogCommentKinds }).notNull(),
    entryId: text("entry_id"),
    month: text("month"),
    authorId: text("author_id").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("worklog_comments_entry").on(t.entryId), index("worklog_comments_member_month").on(t.memberId, t.month)],
);

export const worklogAssignmentStatuses = ["open", "done"] as const;

/** 交办: a task the leader hands a member; open ones are in the member's 待办, done ones in the day's log. */
export const worklogAssignments = sqliteTable(
  "worklog_assignments",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    assignedBy: text("assigned_by").notNull(),
    title: text("title").notNull(),
    detail: text("detail"),
    dueDate: text("due_date"),
    status: text("status", { enum: worklogAssignmentStatuses }).notNull(),
    doneDate: text("done_date"),
    doneNote: text("done_note"),
    doneAt: timestamp("done_at"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("worklog_assignments_member").on(t.memberId, t.status), index("worklog_assignments_by").on(t.assignedBy, t.status)],
);

export type WorklogEntryRow = typeof worklogEntries.$inferSelect;
export type WorklogMonthRow = typeof worklogMonths.$inferSelect;
export type WorklogSettingsRow = typeof worklogSettings.$inferSelect;
