import { and, asc, eq, getTableColumns, inArray, sql, type SQLWrapper } from "drizzle-orm";
import type { Statement } from "../../db/batch.js";
import { type FileEntityType, type FileScopeType, fileLinks, files } from "../../db/tenant/files.js";
import type { ServiceContext } from "../../http/env.js";
import { invalidField } from "../../http/problem.js";
import type { FileRef } from "./schemas.js";

/**
 * Attaching files (by id, at most 9) to a record, log, problem step, pledge update or checklist
 * item, from inside that module's own write: its read batch takes `attachableFiles`, its write
 * batch takes `fileLinkWrites`' statements. Reads of those objects take `fileRefsOf`.
 */

export interface AttachTarget {
  entityType: FileEntityType;
  entityId: string;
  /** The object whose visibility decides who may read the file (a task for its records, a project for its logs…). */
  scopeType: FileScopeType;
  scopeId: string;
}

const NONE = ["-"];

/** The earliest other record these bytes were attached to: the same photo offered twice is flagged. */
const firstUseOfSameBytes = sql<string | null>`(SELECT l.entity_type || ' ' || l.entity_id FROM file_links l JOIN files s ON s.id = l.file_id WHERE s.sha256 = "files"."sha256" ORDER BY l.created_at, l.entity_id LIMIT 1)`;

/** For a write's read batch: which of `fileIds` are the actor's own uploads (only one's own files can be attached). */
export function attachableFiles(ctx: Pick<ServiceContext, "db" | "actor">, fileIds: readonly string[]) {
  return ctx.db
    .select({ ...getTableColumns(files), firstUse: firstUseOfSameBytes })
    .from(files)
    .where(and(inArray(files.id, fileIds.length ? [...fileIds] : NONE), eq(files.uploadedBy, ctx.actor.memberId)));
}

type RefRow = Awaited<ReturnType<ReturnType<typeof fileRefsOf>["execute"]>>[number];
type Attachable = Awaited<ReturnType<ReturnType<typeof attachableFiles>["execute"]>>[number];

/**
 * The links (in the given order) and the first attachment time, or a 400 naming the position of an id
 * that is not one of the actor's uploads. `reusedFrom` is kept on the link for reviewers.
 */
export function fileLinkWrites(ctx: Pick<ServiceContext, "db" | "now">, found: Attachable[], fileIds: readonly string[], target: AttachTarget, path = "fileIds"): { statements: Statement[]; refRows: RefRow[] } {
  if (fileIds.length === 0) return { statements: [], refRows: [] };
  const byId = new Map(found.map((f) => [f.id, f]));
  const missing = fileIds.findIndex((id) => !byId.has(id));
  if (missing >= 0) throw invalidField(`${path}.${missing}`, "没有这个文件，或不是你上传的 / No such file among your uploads");
  const stamp = ctx.now.toISOString();
  const links = fileIds.map((id, position) => {
    const first = byId.get(id)!.firstUse?.split(" ");
    const reused = first && !(first[0] === target.entityType && first[1] === target.entityId);
    return { fileId: id, ...target, position, reusedFromType: reused ? (first[0] as FileEntityType) : null, reusedFromId: reused ? first[1]! : null, createdAt: stamp };
  });
  const refRows = links.map((l) => {
    const f = byId.get(l.fileId)!;
    return { entityId: l.entityId, reusedFromType: l.reusedFromType, reusedFromId: l.reusedFromId, id: f.id, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, width: f.width, height: f.height, takenAt: f.takenAt };
  });
  const statements = [
    ctx.db.insert(fileLinks).values(links).onConflictDoNothing(),
    ctx.db.update(files).set({ attachedAt: stamp }).where(and(inArray(files.id, [...fileIds]), sql`${files.attachedAt} IS NULL`)),
  ];
  return { statements, refRows };
}

/** For a read batch: the files attached to some objects of one type, in their order. `entityIds` may be a subquery. */
export function fileRefsOf(ctx: Pick<ServiceContext, "db">, entityType: FileEntityType, entityIds: readonly string[] | SQLWrapper) {
  return ctx.db
    .select({
      entityId: fileLinks.entityId,
      reusedFromType: fileLinks.reusedFromType,
      reusedFromId: fileLinks.reusedFromId,
      id: files.id,
      name: files.name,
      contentType: files.contentType,
      size: files.size,
      sha256: files.sha256,
      width: files.width,
      height: files.height,
      takenAt: files.takenAt,
    })
    .from(fileLinks)
    .innerJoin(files, eq(files.id, fileLinks.fileId))
    .where(and(eq(fileLinks.entityType, entityType), "getSQL" in entityIds ? inArray(fileLinks.entityId, entityIds) : inArray(fileLinks.entityId, entityIds.length ? [...entityIds] : NONE)))
    .orderBy(asc(fileLinks.entityId), asc(fileLinks.position));
}

/** Refs grouped by the object they are attached to, each with a signed URL for the reader. */
export async function refsByEntity(ctx: Pick<ServiceContext, "fileUrl">, rows: RefRow[]): Promise<Map<string, FileRef[]>> {
  const out = new Map<string, FileRef[]>();
  const refs = await Promise.all(
    rows.map(async ({ entityId, reusedFromType, reusedFromId, ...file }) => ({
      entityId,
      ref: { ...file, reusedFrom: reusedFromType && reusedFromId ? { entityType: reusedFromType, entityId: reusedFromId } : null, ...(await ctx.fileUrl(file.id)) },
    })),
  );
  for (const { entityId, ref } of refs) {
    const list = out.get(entityId) ?? [];
    list.push(ref);
    out.set(entityId, list);
  }
  return out;
}
