import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

/**
 * A member's secret iCalendar feed: at most one per member. Only the SHA-256 of the token is kept
 * (the token is shown once); rotating replaces the hash, so the old URL stops answering at once.
 */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    memberId: text("member_id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [uniqueIndex("calendar_feeds_token_hash").on(t.tokenHash)],
);

export type CalendarFeedRow = typeof calendarFeeds.$inferSelect;
