import { integer, text } from "drizzle-orm/sqlite-core";

/** Times are stored as ISO 8601 UTC strings: sortable, readable in a SQL shell, and the API's own format. */
export const timestamp = (name: string) => text(name);

/** The idempotency table has the same shape in the control database (signup) and in each tenant database. */
export const idempotencyColumns = {
  key: text("key").primaryKey(),
  requestHash: text("request_hash").notNull(),
  status: integer("status").notNull(),
  body: text("body").notNull(),
  createdAt: timestamp("created_at").notNull(),
};
