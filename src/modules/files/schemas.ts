import * as v from "valibot";
import { fileEntityTypes, fileKinds } from "../../db/tenant/files.js";
import { idField } from "../../http/fields.js";

export const fileIdParam = v.object({ id: idField("file") });

export const uploadQuery = v.strictObject({
  /** The original name for a raw-body upload (a multipart part carries its own). */
  name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
});

/** A signed URL's parameters (see signing.ts); without them the bearer token decides. */
export const downloadQuery = v.strictObject({
  t: v.optional(v.pipe(v.string(), v.maxLength(40))),
  m: v.optional(v.pipe(v.string(), v.maxLength(40))),
  r: v.optional(v.pipe(v.string(), v.maxLength(20))),
  exp: v.optional(v.pipe(v.string(), v.maxLength(12))),
  sig: v.optional(v.pipe(v.string(), v.maxLength(64))),
});

/** Files attached by id: at most 9, like a WeChat post, each once. */
export const fileIdsField = v.pipe(
  v.array(idField("file")),
  v.maxLength(9, "最多 9 个文件 / At most 9 files"),
  v.check((ids) => new Set(ids).size === ids.length, "文件重复 / A file is listed twice"),
);

export const signedUrlOut = { url: v.string(), expiresAt: v.string() };

export const fileOut = v.object({
  id: v.string(),
  name: v.string(),
  contentType: v.string(),
  kind: v.picklist(fileKinds),
  size: v.number(),
  sha256: v.string(),
  width: v.nullable(v.number()),
  height: v.nullable(v.number()),
  takenAt: v.nullable(v.string()),
  uploadedBy: v.string(),
  createdAt: v.string(),
  /** False until attached to something; an unattached file is deleted a day after upload. */
  attached: v.boolean(),
  ...signedUrlOut,
});

/** A file as it appears on a record, log, problem, pledge update or checklist item. */
export const fileRefOut = v.object({
  id: v.string(),
  name: v.string(),
  contentType: v.string(),
  size: v.number(),
  sha256: v.string(),
  width: v.nullable(v.number()),
  height: v.nullable(v.number()),
  takenAt: v.nullable(v.string()),
  /** The same bytes were already evidence for this other record (shown to reviewers). */
  reusedFrom: v.nullable(v.object({ entityType: v.picklist(fileEntityTypes), entityId: v.string() })),
  ...signedUrlOut,
});
export type FileRef = v.InferOutput<typeof fileRefOut>;

export const usageOut = v.object({ usedBytes: v.number(), fileCount: v.number(), quotaBytes: v.number() });
