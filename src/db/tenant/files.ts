import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "../columns.js";

export const fileKinds = ["photo", "document"] as const;
export type FileKind = (typeof fileKinds)[number];

/** What a file can be attached to; each has a `scope` whose visibility decides who may read the file. */
export const fileEntityTypes = ["task_record", "project_log", "issue", "issue_event", "issue_comment", "pledge_update", "checklist_item", "worklog_entry"] as const;
export type FileEntityType = (typeof fileEntityTypes)[number];
export const fileScopeTypes = ["task", "project", "issue", "pledge", "checklist", "worklog"] as const;
export type FileScopeType = (typeof fileScopeTypes)[number];

/** One uploaded photo or document; its bytes are in the FileStore under the tenant's id and this id. */
export const files = sqliteTable(
  "files",
  {
    id: text("id").primaryKey(),
    /** The name it was uploaded under (often Chinese), shown and sent back in Content-Disposition. */
    name: text("name").notNull(),
    /** Decided from the bytes at upload, never from the client's header. */
    contentType: text("content_type").notNull(),
    kind: text("kind", { enum: fileKinds }).notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    width: integer("width"),
    height: integer("height"),
    /** From the photo's EXIF, with the tenant's offset when the camera recorded none. */
    takenAt: text("taken_at"),
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: timestamp("created_at").notNull(),
    /** When first attached; a file never attached is deleted after a day. */
    attachedAt: timestamp("attached_at"),
  },
  (t) => [index("files_sha256").on(t.sha256), index("files_unattached").on(t.attachedAt, t.createdAt)],
);

/**
 * A file attached to a record: never deleted (logs and records are append-only, and the audit trail
 * names the files), so a file stays readable to whoever may read what it was evidence for.
 */
export const fileLinks = sqliteTable(
  "file_links",
  {
    fileId: text("file_id").notNull(),
    entityType: text("entity_type", { enum: fileEntityTypes }).notNull(),
    entityId: text("entity_id").notNull(),
    scopeType: text("scope_type", { enum: fileScopeTypes }).notNull(),
    scopeId: text("scope_id").notNull(),
    /** Position in the record's list (photos keep their order). */
    position: integer("position").notNull(),
    /** The same bytes (sha256) were already evidence for this other record: shown to reviewers. */
    reusedFromType: text("reused_from_type", { enum: fileEntityTypes }),
    reusedFromId: text("reused_from_id"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.entityType, t.entityId, t.fileId] }), index("file_links_file").on(t.fileId), index("file_links_scope").on(t.scopeType, t.scopeId)],
);

export type FileRow = typeof files.$inferSelect;
