import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { idempotencyColumns, timestamp } from "../columns.js";

export const tenantStatuses = ["provisioning", "active", "suspended", "deleted", "failed"] as const;
export type TenantStatus = (typeof tenantStatuses)[number];

/** The registry of bureaus. It holds no member data: that lives only in each tenant's own database. */
export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  status: text("status", { enum: tenantStatuses }).notNull(),
  dbLocator: text("db_locator"),
  timezone: text("timezone").notNull(),
  locale: text("locale").notNull(),
  schemaVersion: integer("schema_version").notNull().default(0),
  /** Local hour of the reminder digest, mirrored from the tenant's settings so the hourly cron can pick tenants without opening each database. */
  reminderHour: integer("reminder_hour").notNull().default(8),
  provisioningError: text("provisioning_error"),
  /** Set at signup until the admin confirms their email address; null for a confirmed tenant. Unconfirmed tenants send no email but the confirmation and are removed after 7 days. */
  confirmationPendingSince: timestamp("confirmation_pending_since"),
  /** SHA-256 of the open confirmation token (`qdt.…`), and when it stops working (24 h). */
  confirmationTokenHash: text("confirmation_token_hash"),
  confirmationExpiresAt: timestamp("confirmation_expires_at"),
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

/**
 * Counters for the public doors (login, password reset, signup), shared by every isolate and
 * process because they live here rather than in memory; see src/modules/auth/throttle.ts.
 */
export const doorThrottles = sqliteTable("door_throttles", {
  bucket: text("bucket").primaryKey(),
  count: integer("count").notNull(),
  lastAt: timestamp("last_at").notNull(),
  /** The bucket is forgotten after this (a quiet window), and swept. */
  expiresAt: timestamp("expires_at").notNull(),
});

export const signupIdempotency = sqliteTable("signup_idempotency", idempotencyColumns);

export type TenantRow = typeof tenants.$inferSelect;

export const calendarDayKinds = ["holiday", "workday"] as const;

/**
 * A year of China's national calendar that is official (DESIGN §2): seeded from chinese-days, or
 * imported by the operator from the State Council's notice. A year with no row here is computed
 * provisionally (weekends only) until one arrives.
 */
export const calendarYears = sqliteTable("calendar_years", {
  year: integer("year").primaryKey(),
  /** Where the arrangement came from: "chinese-days 1.5.7", or the import's own source line. */
  source: text("source").notNull(),
  importedAt: timestamp("imported_at").notNull(),
  /** When every tenant was sent a job to re-roll its provisional dates under this year; null until the sweep does. */
  rerollDispatchedAt: timestamp("reroll_dispatched_at"),
});

/** The dated days of official years: holidays (休) and the weekend days made working days (调休 班). */
export const calendarDays = sqliteTable(
  "calendar_days",
  {
    date: text("date").primaryKey(),
    year: integer("year").notNull(),
    kind: text("kind", { enum: calendarDayKinds }).notNull(),
    name: text("name").notNull(),
  },
  (t) => [index("calendar_days_year").on(t.year)],
);

export type CalendarYearRow = typeof calendarYears.$inferSelect;
