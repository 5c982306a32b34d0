import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

/**
 * A big checklist's tasks on their way in: publish writes them here in chunks that each fit a
 * request to Turso, then one batch moves them into `tasks` and marks the checklist published. A
 * failed chunk leaves the checklist a draft with no tasks, and publishing again starts over.
 */
export const publishChunks = sqliteTable(
  "publish_chunks",
  {
    checklistId: text("checklist_id").notNull(),
    /** One publish call; the final batch moves only its own chunks, and only if all of them arrived. */
    attempt: text("attempt").notNull(),
    seq: integer("seq").notNull(),
    /** JSON arrays of task rows and their assignee rows (column values by property name). */
    tasks: text("tasks").notNull(),
    assignees: text("assignees").notNull(),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.attempt, t.seq] })],
);
