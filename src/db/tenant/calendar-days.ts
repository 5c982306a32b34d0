import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

/**
 * A bureau's own days on top of China's national calendar (a city's local holiday, a bureau-wide
 * 调休): kept with the tenant's data, read in the same batch as whatever computes its dates.
 */
export const calendarDayOverrides = sqliteTable("calendar_day_overrides", {
  date: text("date").primaryKey(),
  kind: text("kind", { enum: ["holiday", "workday"] }).notNull(),
  name: text("name").notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

/**
 * A due date or problem clock that moved when its year's official calendar arrived: one row per
 * person to tell, shown once under 「截止日期调整」 in their next digest (`digestDay` set when it went).
 */
export const dateShifts = sqliteTable(
  "date_shifts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: text("member_id").notNull(),
    refType: text("ref_type", { enum: ["task", "issue"] }).notNull(),
    refId: text("ref_id").notNull(),
    title: text("title").notNull(),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date").notNull(),
    createdAt: timestamp("created_at").notNull(),
    digestDay: text("digest_day"),
  },
  (t) => [index("date_shifts_member_digest").on(t.memberId, t.digestDay)],
);

export type CalendarDayOverrideRow = typeof calendarDayOverrides.$inferSelect;
export type DateShiftRow = typeof dateShifts.$inferSelect;
