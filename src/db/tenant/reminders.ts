import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

/** What a reminder is about; members can turn each off. */
export const reminderCategories = ["tasks", "problems", "pledges", "summary", "worklog"] as const;
export type ReminderCategory = (typeof reminderCategories)[number];

/** Who an unresolved problem climbs to, rung by rung (有人督); the reminder settings order them. */
export const escalationRungs = ["supervisor", "road_chief", "admin"] as const;
export type EscalationRung = (typeof escalationRungs)[number];

/** The tenant's reminder rules: one row (id 1); absent means the defaults. */
export const reminderSettings = sqliteTable("reminder_settings", {
  id: integer("id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  /** Local hour (0–23, the tenant's zone) the morning digest goes out. */
  sendHour: integer("send_hour").notNull(),
  /** Days before a deadline to remind: e.g. [7, 3, 1, 0]. */
  leadDays: text("lead_days", { mode: "json" }).$type<number[]>().notNull(),
  /** Overdue this many days, a problem escalates to its supervisor and road chief. */
  escalateAfterDays: integer("escalate_after_days").notNull(),
  /** A shortfall against a minimum count is reminded in the last this-many days of its period. */
  shortfallWindowDays: integer("shortfall_window_days").notNull(),
  /** No email on statutory holidays and weekends (China's calendar): it goes out on the next working day. */
  workingDaysOnly: integer("working_days_only", { mode: "boolean" }).notNull(),
  /** ISO weekday (1 = Monday) of the secretaries' weekly summary. */
  summaryWeekday: integer("summary_weekday").notNull(),
  /** Who an overdue problem climbs to, one rung every `escalateAfterDays` (src/jobs/escalation.ts). */
  escalationLadder: text("escalation_ladder", { mode: "json" }).$type<EscalationRung[]>().notNull().default(sql`'["supervisor","road_chief","admin"]'`),
  updatedAt: timestamp("updated_at").notNull(),
});

/**
 * The escalation step each problem's clock (acknowledge-by, resolve-by) was last told at: written
 * once every digest carrying it went out, so each step is told once, on the first sending day it is due.
 */
export const problemEscalations = sqliteTable(
  "problem_escalations",
  {
    issueId: text("issue_id").notNull(),
    clock: text("clock", { enum: ["ack", "resolve"] }).notNull(),
    step: integer("step").notNull(),
    toldOn: text("told_on").notNull(),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.clock] })],
);

/**
 * One row per email that should go out exactly once: claimed before sending, marked sent after.
 * The key is the digest's, day first (`digestKey` in src/jobs/tenant-reminders.ts).
 */
export const reminderDeliveries = sqliteTable(
  "reminder_deliveries",
  {
    key: text("key").primaryKey(),
    memberId: text("member_id").notNull(),
    day: text("day").notNull(),
    status: text("status", { enum: ["claimed", "sent", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    messageId: text("message_id"),
    subject: text("subject"),
    items: integer("items").notNull(),
    error: text("error"),
    claimedAt: timestamp("claimed_at").notNull(),
    sentAt: timestamp("sent_at"),
  },
  (t) => [index("reminder_deliveries_day").on(t.day)],
);

/** Per-member choices: the categories they turned off. */
export const notificationPrefs = sqliteTable("notification_prefs", {
  memberId: text("member_id").primaryKey(),
  mutedCategories: text("muted_categories", { mode: "json" }).$type<ReminderCategory[]>().notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});
