import { and, eq, inArray, isNull, lt, type Placeholder, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { type FileKind, type FileRow, files } from "../../db/tenant/files.js";
import { members } from "../../db/tenant/schema.js";
import type { TenantDb } from "../../db/tenant/index.js";
import type { ServiceContext } from "../../http/env.js";
import { notFound, ProblemError } from "../../http/problem.js";
import type { FileStore } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { readableFiles } from "./access.js";
import { imageMeta } from "./image-meta.js";
import { storedName, typeOf } from "./types.js";

export interface FileSettings {
  store: FileStore;
  quotaBytes: number;
}

const usedBytes = (db: TenantDb) => db.select({ used: sql<number>`coalesce(sum(${files.size}), 0)`, count: sql<number>`count(*)` }).from(files);

export async function fileUsage(ctx: ServiceContext, quotaBytes: number) {
  const [row] = await usedBytes(ctx.db);
  return { usedBytes: Number(row!.used), fileCount: Number(row!.count), quotaBytes };
}

/** 507 when `incoming` more bytes would pass the tenant's quota (checked before the body is read when its length is declared, and again after). */
export async function assertRoomFor(ctx: ServiceContext, quotaBytes: number, incoming: number) {
  const { usedBytes: used } = await fileUsage(ctx, quotaBytes);
  if (used + incoming > quotaBytes) throw new ProblemError("file.quota_exceeded", `${used} + ${incoming} > ${quotaBytes}`);
}

export const fileView = (row: FileRow) => ({
  id: row.id,
  name: row.name,
  contentType: row.contentType,
  kind: row.kind,
  size: row.size,
  sha256: row.sha256,
  width: row.width,
  height: row.height,
  takenAt: row.takenAt,
  uploadedBy: row.uploadedBy,
  createdAt: row.createdAt,
  attached: row.attachedAt !== null,
});

async function sha256(bytes: Uint8Array) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Keeps an upload: its type proven from the bytes (the kind seen in the first bytes must hold for
 * the whole), its photo metadata read, its bytes stored, then its row and audit row in one batch.
 * If the row cannot be written the stored bytes are removed again.
 */
export async function createFile(ctx: ServiceContext, settings: FileSettings, upload: { bytes: Uint8Array; kind: FileKind; name?: string; claimedType?: string }) {
  const type = await typeOf(upload.bytes, upload.claimedType);
  if (type.kind !== upload.kind) throw new ProblemError("file.unsupported_type");
  await assertRoomFor(ctx, settings.quotaBytes, upload.bytes.byteLength);
  const meta = type.kind === "photo" ? imageMeta(upload.bytes, type.mime, ctx.tenant.timezone) : { width: null, height: null, takenAt: null };
  const row: FileRow = {
    id: newId("file", ctx.now.getTime()),
    name: storedName(upload.name, type.ext),
    contentType: type.mime,
    kind: type.kind,
    size: upload.bytes.byteLength,
    sha256: await sha256(upload.bytes),
    ...meta,
    uploadedBy: ctx.actor.memberId,
    createdAt: ctx.now.toISOString(),
    attachedAt: null,
  };
  await settings.store.put(ctx.tenant.id, row.id, upload.bytes, row.contentType);
  try {
    await runBatch(ctx.db, [ctx.db.insert(files).values(row), auditInsert(ctx, { action: "file.uploaded", entityType: "file", entityId: row.id, after: row })]);
  } catch (error) {
    await settings.store.delete(ctx.tenant.id, row.id).catch(() => {});
    throw error;
  }
  return { ...fileView(row), ...(await ctx.fileUrl(row.id)) };
}

/**
 * A file the actor may read, in one round trip that also confirms the actor is still an active
 * member with the role they acted under (a signed URL carries the role it was made for).
 */
export async function readableFile(ctx: ServiceContext, id: string): Promise<FileRow> {
  const [rows, me] = await ctx.db.batch([
    ctx.db.select().from(files).where(and(eq(files.id, id), readableFiles(ctx.actor))),
    ctx.db.select({ id: members.id }).from(members).where(and(eq(members.id, ctx.actor.memberId), eq(members.status, "active"), eq(members.role, ctx.actor.role))),
  ]);
  if (!rows[0] || !me[0]) throw notFound("file.not_found");
  return rows[0];
}

export async function getFile(ctx: ServiceContext, id: string) {
  const row = await readableFile(ctx, id);
  return { ...fileView(row), ...(await ctx.fileUrl(row.id)) };
}

const DAY_MS = 86_400_000;

/** Never attached and uploaded before `cutoff`: what deleteAbandonedFiles removes, and the morning job's probe asks for. */
export const abandonedBefore = (cutoff: string | Placeholder) => and(isNull(files.attachedAt), lt(files.createdAt, cutoff));
/** An upload not attached within a day is abandoned. */
export const abandonedCutoff = (now: Date) => new Date(now.getTime() - DAY_MS).toISOString();

/**
 * Uploads never attached to anything within a day are abandoned (a form left unsent, a retried
 * upload): their bytes and rows go, with an audit row each. Runs in the tenant's daily job.
 */
export async function deleteAbandonedFiles(ctx: Pick<ServiceContext, "db" | "requestId" | "now"> & { tenantId: string }, store: FileStore, limit = 500) {
  const stale = await ctx.db.select().from(files).where(abandonedBefore(abandonedCutoff(ctx.now))).limit(limit);
  if (stale.length === 0) return 0;
  const ids = stale.map((row) => row.id);
  await runBatch(ctx.db, [
    ctx.db.delete(files).where(and(inArray(files.id, ids), isNull(files.attachedAt))),
    ...stale.map((row) => auditInsert({ ...ctx, actor: null }, { action: "file.expired_unattached", entityType: "file", entityId: row.id, before: row })),
  ]);
  // Bytes go only for rows really gone: one attached in the meantime kept its row, and keeps its bytes.
  const kept = new Set((await ctx.db.select({ id: files.id }).from(files).where(inArray(files.id, ids))).map((r) => r.id));
  for (const id of ids) if (!kept.has(id)) await store.delete(ctx.tenantId, id);
  return ids.length - kept.size;
}
