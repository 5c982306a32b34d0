import { and, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { isUniqueViolation, runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { members, projectLogs, projects, type ProjectLogRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { conflict, forbidden, invalidField, notFound } from "../../http/problem.js";
import { zonedInstant } from "../../calendar/zoned.js";
import { addDays } from "../../calendar/days.js";
import { auditInsert } from "../audit/service.js";
import { attachableFiles, fileLinkWrites, fileRefsOf, refsByEntity } from "../files/attach.js";
import type { FileRef } from "../files/schemas.js";
import { keepsLedger, projectAccess, projectAccessQueries, visibleProjects } from "./access.js";
import type { LogCreate, LogListQuery } from "./schemas.js";

/**
 * Service logs (走访 / 协调 records) are append-only: there is no update and no delete. A mistake is
 * put right by a new entry whose `correctsId` names the old one; the old entry stays, marked with
 * `correctedById`, so the ledger shows what was written, when, and what replaced it (有痕可查).
 */

/** Clock skew we tolerate for "not in the future". */
const SKEW_MS = 5 * 60_000;
const MAX_VISIT_MS = 7 * 86_400_000;

const L = sql.raw(`"project_logs"`);

const logColumns = {
  ...getTableColumns(projectLogs),
  correctedById: sql<string | null>`(SELECT c.id FROM project_logs c WHERE c.corrects_id = ${L}."id")`,
  authorName: sql<string | null>`(SELECT m.name FROM members m WHERE m.id = ${L}."author_id")`,
  participantsJson: sql<string>`(SELECT json_group_array(json_object('id', j.value, 'name', m.name)) FROM json_each(${L}."participant_ids") j LEFT JOIN members m ON m.id = j.value)`,
  issueIdsJson: sql<string>`(SELECT json_group_array(i.id) FROM (SELECT id FROM issues WHERE log_id = ${L}."id" ORDER BY id) i)`,
};

type LogSelect = ProjectLogRow & { correctedById: string | null; authorName: string | null; participantsJson: string; issueIdsJson: string };

function logView(row: LogSelect, files: Map<string, FileRef[]>) {
  const { participantsJson, issueIdsJson, participantIds: _ids, ...rest } = row;
  return {
    ...rest,
    files: files.get(row.id) ?? [],
    participants: JSON.parse(participantsJson ?? "[]") as { id: string; name: string | null }[],
    issueIds: JSON.parse(issueIdsJson ?? "[]") as string[],
    current: row.correctedById === null,
  };
}

const visibleProject = (ctx: ServiceContext, projectId: string) =>
  ctx.db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId), visibleProjects(ctx.actor)));

/** A project's ledger, newest visit first; each entry says what it corrects and what corrected it. */
export async function listLogs(ctx: ServiceContext, projectId: string, q: LogListQuery) {
  const after = decodeCursor(q.cursor, 2);
  const tz = ctx.tenant.timezone;
  const where = and(
    eq(projectLogs.projectId, projectId),
    q.kind ? eq(projectLogs.kind, q.kind) : undefined,
    q.current ? sql`NOT EXISTS (SELECT 1 FROM project_logs c WHERE c.corrects_id = ${projectLogs.id})` : undefined,
    q.from ? sql`${projectLogs.visitedAt} >= ${zonedInstant(q.from, "00:00:00", tz).toISOString()}` : undefined,
    q.to ? sql`${projectLogs.visitedAt} < ${zonedInstant(addDays(q.to, 1), "00:00:00", tz).toISOString()}` : undefined,
    after ? sql`(${projectLogs.visitedAt}, ${projectLogs.id}) < (${after[0]}, ${after[1]})` : undefined,
  );
  const order = [desc(projectLogs.visitedAt), desc(projectLogs.id)];
  const [[project], rows, fileRows] = await ctx.db.batch([
    visibleProject(ctx, projectId),
    ctx.db.select(logColumns).from(projectLogs).where(where).orderBy(...order).limit(q.limit + 1),
    // The page's files: the same page chosen again as a subquery, in the same round trip.
    fileRefsOf(ctx, "project_log", ctx.db.select({ id: projectLogs.id }).from(projectLogs).where(where).orderBy(...order).limit(q.limit + 1)),
  ]);
  if (!project) throw notFound("project.not_found");
  const result = page(rows as LogSelect[], q.limit, (r) => [r.visitedAt, r.id]);
  const files = await refsByEntity(ctx, fileRows);
  return { data: result.data.map((r) => logView(r, files)), nextCursor: result.nextCursor };
}

/** The ids of an entry's correction chain, oldest first: what it corrects (recursively), itself, what corrects it (recursively). */
const chainQuery = (ctx: ServiceContext, projectId: string, logId: string) =>
  ctx.db.all<{ id: string; d: number }>(sql`
    WITH RECURSIVE
      up(id, corrects_id, d) AS (
        SELECT id, corrects_id, 0 FROM project_logs WHERE id = ${logId} AND project_id = ${projectId}
        UNION ALL SELECT l.id, l.corrects_id, up.d - 1 FROM project_logs l JOIN up ON l.id = up.corrects_id),
      down(id, d) AS (
        SELECT id, 0 FROM project_logs WHERE id = ${logId} AND project_id = ${projectId}
        UNION ALL SELECT l.id, down.d + 1 FROM project_logs l JOIN down ON l.corrects_id = down.id)
    SELECT id, d FROM up UNION SELECT id, d FROM down ORDER BY d`);

/** One entry, with its whole correction chain (oldest first). */
export async function getLog(ctx: ServiceContext, projectId: string, logId: string) {
  const [[project], [row], chain, fileRows] = await ctx.db.batch([
    visibleProject(ctx, projectId),
    ctx.db
      .select(logColumns)
      .from(projectLogs)
      .where(and(eq(projectLogs.id, logId), eq(projectLogs.projectId, projectId))),
    chainQuery(ctx, projectId, logId),
    fileRefsOf(ctx, "project_log", ctx.db.select({ id: projectLogs.id }).from(projectLogs).where(and(eq(projectLogs.id, logId), eq(projectLogs.projectId, projectId)))),
  ]);
  if (!project) throw notFound("project.not_found");
  if (!row) throw notFound("log.not_found");
  return { ...logView(row as LogSelect, await refsByEntity(ctx, fileRows)), chain: (chain as { id: string }[]).map((c) => c.id) };
}

/** The admin, the road chief, or a secretary overseeing a partner branch writes the ledger. */
export async function createLog(ctx: ServiceContext, projectId: string, input: LogCreate) {
  const participantIds = [...new Set(input.participantIds)];
  const [[project], partners, led, [visible], people, corrected, chain, offered] = await ctx.db.batch([
    ...projectAccessQueries(ctx, projectId),
    visibleProject(ctx, projectId),
    ctx.db
      .select({ id: members.id, name: members.name })
      .from(members)
      .where(inArray(members.id, [...participantIds, ctx.actor.memberId])),
    ctx.db
      .select({ id: projectLogs.id, projectId: projectLogs.projectId, correctedById: logColumns.correctedById })
      .from(projectLogs)
      .where(eq(projectLogs.id, input.correctsId ?? "")),
    chainQuery(ctx, projectId, input.correctsId ?? ""),
    attachableFiles(ctx, input.fileIds),
  ]);
  if (!project || !visible) throw notFound("project.not_found");
  if (!keepsLedger(projectAccess(ctx.actor, project, partners, led))) throw forbidden();

  const now = ctx.now.getTime();
  if (Date.parse(input.visitedAt) > now + SKEW_MS) throw invalidField("visitedAt", "不能晚于当前时间 / Cannot be in the future");
  if (input.endedAt) {
    const span = Date.parse(input.endedAt) - Date.parse(input.visitedAt);
    if (span < 0) throw invalidField("endedAt", "结束时间不能早于开始时间 / Cannot be before visitedAt");
    if (span > MAX_VISIT_MS) throw invalidField("endedAt", "一次记录不超过 7 天 / One entry spans at most 7 days");
    if (Date.parse(input.endedAt) > now + SKEW_MS) throw invalidField("endedAt", "不能晚于当前时间 / Cannot be in the future");
  }
  const known = new Map(people.map((p) => [p.id, p.name]));
  const unknown = participantIds.findIndex((id) => !known.has(id));
  if (unknown >= 0) throw invalidField(`participantIds.${input.participantIds.indexOf(participantIds[unknown]!)}`, "成员不存在 / No such member");
  if (input.correctsId) {
    const old = corrected[0];
    if (!old || old.projectId !== projectId) throw invalidField("correctsId", "本项目没有这条记录 / No such entry in this project");
    if (old.correctedById) throw conflict("log.already_corrected", `该记录已由 ${old.correctedById} 更正，请更正最新的一条 / Already corrected by ${old.correctedById}: correct the latest entry`);
    if (!input.correctionReason) throw invalidField("correctionReason", "更正须说明原因 / A correction needs a reason");
  } else if (input.correctionReason) {
    throw invalidField("correctionReason", "仅更正时填写 / Only with correctsId");
  }

  const row: ProjectLogRow = {
    id: newId("log", now),
    projectId,
    kind: input.kind,
    visitedAt: input.visitedAt,
    endedAt: input.endedAt ?? null,
    participantIds,
    otherParticipants: input.otherParticipants,
    summary: input.summary,
    attachments: input.attachments.map((a) => ({ name: a.name || null, url: a.url })),
    location: input.location ? { address: input.location.address || null, lat: input.location.lat ?? null, lng: input.location.lng ?? null } : null,
    correctsId: input.correctsId ?? null,
    correctionReason: input.correctionReason ?? null,
    authorId: ctx.actor.memberId,
    createdAt: ctx.now.toISOString(),
  };
  // The entry's photos are linked for good: a correction adds its own, the corrected entry keeps its.
  const links = fileLinkWrites(ctx, offered, input.fileIds, { entityType: "project_log", entityId: row.id, scopeType: "project", scopeId: projectId });
  try {
    await runBatch(ctx.db, [
      ctx.db.insert(projectLogs).values(row),
      ...links.statements,
      auditInsert(ctx, { action: row.correctsId ? "project_log.corrected" : "project_log.created", entityType: "project_log", entityId: row.id, before: row.correctsId ? { correctsId: row.correctsId } : null, after: { ...row, fileIds: input.fileIds } }),
    ]);
  } catch (error) {
    // Two corrections of one entry at once: the unique index lets only the first in.
    if (isUniqueViolation(error)) throw conflict("log.already_corrected");
    throw error;
  }
  const { participantIds: _ids, ...fields } = row;
  return {
    ...fields,
    files: (await refsByEntity(ctx, links.refRows)).get(row.id) ?? [],
    participants: participantIds.map((id) => ({ id, name: known.get(id) ?? null })),
    correctedById: null,
    current: true,
    issueIds: [] as string[],
    authorName: known.get(ctx.actor.memberId) ?? null,
    chain: [...(chain as { id: string }[]).map((c) => c.id), row.id],
  };
}
