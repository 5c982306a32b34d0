import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
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
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

export const signupIdempotency = sqliteTable("signup_idempotency", idempotencyColumns);

export type TenantRow = typeof tenants.$inferSelect;
