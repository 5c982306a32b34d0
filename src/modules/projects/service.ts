import { and, asc, count, desc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { branches, issues, members, projectBranches, projectLogs, projects, type ProjectRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { forbidden, invalidField, notFound, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { overdueAt, UNRESOLVED_SQL } from "../issues/statuses.js";
import { projectAccess, projectAccessQueries, visibleProjects } from "./access.js";
import type { ProjectCreate, ProjectListQuery, ProjectPatch } from "./schemas.js";


// Spelled out in SQL: inside a select list drizzle renders a column without its table, which a subquery would capture.
const P = sql.raw(`"projects"`);

/** A project row plus what its page shows, computed in the same query (no N+1). */
function projectColumns(ctx: ServiceContext) {
  const now = ctx.now.toISOString();
  const issuesOf = (where: SQL) => sql<number>`(SELECT count(*) FROM issues i WHERE i.project_id = ${P}."id" AND ${where})`.mapWith(Number);
  return {
    ...getTableColumns(projects),
    roadChiefName: sql<string | null>`(SELECT m.name FROM members m WHERE m.id = ${P}."road_chief_id")`,
    branchIdsJson: sql<string>`(SELECT json_group_array(branch_id) FROM (SELECT pb.branch_id FROM project_branches pb WHERE pb.project_id = ${P}."id" ORDER BY pb.branch_id))`,
    mine: sql<number>`(${P}."road_chief_id" IS ${ctx.actor.memberId})`.mapWith(Number),
    issueCount: issuesOf(sql`1`),
    openIssueCount: issuesOf(sql`i.status IN ${UNRESOLVED_SQL}`),
    overdueIssueCount: issuesOf(overdueAt(now)),
    awaitingVerificationCount: issuesOf(sql`i.status = 'resolved'`),
    logCount: sql<number>`(SELECT count(*) FROM project_logs l WHERE l.project_id = ${P}."id" AND NOT EXISTS (SELECT 1 FROM project_logs c WHERE c.corrects_id = l.id))`.mapWith(Number),
    lastVisitedAt: sql<string | null>`(SELECT max(l.visited_at) FROM project_logs l WHERE l.project_id = ${P}."id" AND NOT EXISTS (SELECT 1 FROM project_logs c WHERE c.corrects_id = l.id))`,
  };
}

type ProjectSelect = ProjectRow & { roadChiefName: string | null; branchIdsJson: string; mine: number; issueCount: number; openIssueCount: number; overdueIssueCount: number; awaitingVerificationCount: number; logCount: number; lastVisitedAt: string | null };

function projectView(row: ProjectSelect) {
  const { branchIdsJson, mine, ...rest } = row;
  return { ...rest, branchIds: JSON.parse(branchIdsJson ?? "[]") as string[], mine: mine === 1 };
}
export type ProjectView = ReturnType<typeof projectView>;

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** The projects the caller may see; a road chief's own come first, then by name. */
export async function listProjects(ctx: ServiceContext, q: ProjectListQuery) {
  const after = decodeCursor(q.cursor, 3);
  const me = ctx.actor.memberId;
  const mineExpr = sql`(${projects.roadChiefId} IS ${me})`;
  const like = q.q ? escapeLike(q.q) : undefined;
  const rows = await ctx.db
    .select(projectColumns(ctx))
    .from(projects)
    .where(
      and(
        visibleProjects(ctx.actor),
        q.status ? eq(projects.status, q.status) : undefined,
        q.kind ? eq(projects.kind, q.kind) : undefined,
        q.roadChiefId ? eq(projects.roadChiefId, q.roadChiefId) : undefined,
        q.mine ? eq(projects.roadChiefId, me) : undefined,
        q.branchId ? sql`${projects.id} IN (SELECT pb.project_id FROM project_branches pb WHERE pb.branch_id = ${q.branchId})` : undefined,
        q.tag ? sql`EXISTS (SELECT 1 FROM json_each(${projects.tags}) t WHERE t.value = ${q.tag})` : undefined,
        like ? sql`(${projects.name} LIKE ${like} ESCAPE '\\' OR ${projects.district} LIKE ${like} ESCAPE '\\' OR ${projects.roadSection} LIKE ${like} ESCAPE '\\')` : undefined,
        after ? sql`(${mineExpr} < ${Number(after[0])} OR (${mineExpr} = ${Number(after[0])} AND (${projects.name}, ${projects.id}) > (${after[1]}, ${after[2]})))` : undefined,
      ),
    )
    .orderBy(desc(mineExpr), asc(projects.name), asc(projects.id))
    .limit(q.limit + 1);
  const result = page(rows as ProjectSelect[], q.limit, (r) => [String(r.mine), r.name, r.id]);
  return { data: result.data.map(projectView), nextCursor: result.nextCursor };
}

/** The select for one visible project; put it in a read batch (e.g. before listing its logs). */
export const visibleProjectQuery = (ctx: ServiceContext, id: string) =>
  ctx.db
    .select(projectColumns(ctx))
    .from(projects)
    .where(and(eq(projects.id, id), visibleProjects(ctx.actor)));

export async function getProject(ctx: ServiceContext, id: string) {
  const [row] = await visibleProjectQuery(ctx, id);
  if (!row) throw notFound("project.not_found");
  return projectView(row as ProjectSelect);
}

/** Checks the named road chief and partner branches exist, in the same batch as whatever else the write reads. */
function referenceQueries(ctx: ServiceContext, input: { roadChiefId?: string | null; branchIds?: string[] }) {
  return [
    ctx.db.select({ id: members.id, name: members.name, status: members.status }).from(members).where(eq(members.id, input.roadChiefId ?? "")),
    ctx.db.select({ id: branches.id }).from(branches).where(inArray(branches.id, input.branchIds?.length ? input.branchIds : [""])),
  ] as const;
}

function checkReferences(input: { roadChiefId?: string | null; branchIds?: string[] }, chief: { status: string }[], found: { id: string }[]) {
  if (input.roadChiefId && (!chief[0] || chief[0].status === "disabled")) throw invalidField("roadChiefId", "成员不存在或已停用 / No such active member");
  if (input.branchIds) {
    const known = new Set(found.map((b) => b.id));
    const missing = input.branchIds.findIndex((id) => !known.has(id));
    if (missing >= 0) throw invalidField(`branchIds.${missing}`, "组织不存在 / No such branch");
  }
}

function checkDates(startDate: string | null, endDate: string | null) {
  if (startDate && endDate && endDate < startDate) throw invalidField("endDate", "结束日期不能早于开始日期 / The end date cannot be before the start date");
}

const dedupe = <T>(xs: T[]) => [...new Set(xs)];

/** Admin: a new project with its road chief, partner branches and tags. */
export async function createProject(ctx: ServiceContext, input: ProjectCreate) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const branchIds = dedupe(input.branchIds);
  const [chief, found] = await ctx.db.batch(referenceQueries(ctx, { roadChiefId: input.roadChiefId, branchIds }));
  checkReferences({ roadChiefId: input.roadChiefId, branchIds }, chief, found);
  checkDates(input.startDate ?? null, input.endDate ?? null);
  const stamp = ctx.now.toISOString();
  const row: ProjectRow = {
    id: newId("prj", ctx.now.getTime()),
    name: input.name,
    kind: input.kind,
    district: input.district || null,
    roadSection: input.roadSection || null,
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    status: input.status,
    roadChiefId: input.roadChiefId ?? null,
    tags: dedupe(input.tags),
    description: input.description || null,
    createdBy: ctx.actor.memberId,
    createdAt: stamp,
    updatedAt: stamp,
  };
  await runBatch(ctx.db, [
    ctx.db.insert(projects).values(row),
    ...branchIds.map((branchId) => ctx.db.insert(projectBranches).values({ projectId: row.id, branchId })),
    auditInsert(ctx, { action: "project.created", entityType: "project", entityId: row.id, after: { ...row, branchIds } }),
  ]);
  const empty = { issueCount: 0, openIssueCount: 0, overdueIssueCount: 0, awaitingVerificationCount: 0, logCount: 0, lastVisitedAt: null };
  return projectView({ ...row, ...empty, roadChiefName: chief[0]?.name ?? null, branchIdsJson: JSON.stringify([...branchIds].sort()), mine: Number(row.roadChiefId === ctx.actor.memberId) });
}

/** What a road chief may change on their own project; everything else is the bureau's (admin's) call. */
const ROAD_CHIEF_FIELDS: ReadonlySet<string> = new Set(["status", "tags", "description"]);

export async function updateProject(ctx: ServiceContext, id: string, patch: ProjectPatch) {
  const branchIds = patch.branchIds ? dedupe(patch.branchIds) : undefined;
  const [[target], partners, led, [visible], chief, found] = await ctx.db.batch([
    ...projectAccessQueries(ctx, id),
    visibleProjectQuery(ctx, id),
    ...referenceQueries(ctx, { roadChiefId: patch.roadChiefId, branchIds }),
  ]);
  // Whether the caller may see it decides 404 against 403, as everywhere.
  if (!target || !visible) throw notFound("project.not_found");
  const access = projectAccess(ctx.actor, target, partners, led);
  if (!access.admin && (!access.roadChief || Object.keys(patch).some((k) => !ROAD_CHIEF_FIELDS.has(k)))) throw forbidden();
  checkReferences({ roadChiefId: patch.roadChiefId, branchIds }, chief, found);
  const after: ProjectRow = {
    ...target,
    name: patch.name ?? target.name,
    kind: patch.kind ?? target.kind,
    district: patch.district === undefined ? target.district : patch.district || null,
    roadSection: patch.roadSection === undefined ? target.roadSection : patch.roadSection || null,
    startDate: patch.startDate === undefined ? target.startDate : patch.startDate,
    endDate: patch.endDate === undefined ? target.endDate : patch.endDate,
    status: patch.status ?? target.status,
    roadChiefId: patch.roadChiefId === undefined ? target.roadChiefId : patch.roadChiefId,
    tags: patch.tags ? dedupe(patch.tags) : target.tags,
    description: patch.description === undefined ? target.description : patch.description || null,
    updatedAt: ctx.now.toISOString(),
  };
  checkDates(after.startDate, after.endDate);
  const { id: _id, createdAt: _c, createdBy: _b, ...fields } = after;
  const beforeBranches = partners.map((p) => p.branchId).sort();
  const statements: Statement[] = [ctx.db.update(projects).set(fields).where(eq(projects.id, id))];
  if (branchIds) {
    statements.push(ctx.db.delete(projectBranches).where(eq(projectBranches.projectId, id)), ...branchIds.map((branchId) => ctx.db.insert(projectBranches).values({ projectId: id, branchId })));
  }
  statements.push(auditInsert(ctx, { action: "project.updated", entityType: "project", entityId: id, before: { ...target, branchIds: beforeBranches }, after: { ...after, branchIds: branchIds ?? beforeBranches } }));
  await runBatch(ctx.db, statements);
  // Counts do not change with an edit: the view is the one read, with the new fields.
  const roadChiefName = after.roadChiefId === target.roadChiefId ? (visible as ProjectSelect).roadChiefName : (chief[0]?.name ?? null);
  const branchIdsJson = branchIds ? JSON.stringify([...branchIds].sort()) : (visible as ProjectSelect).branchIdsJson;
  return projectView({ ...(visible as ProjectSelect), ...after, roadChiefName, branchIdsJson, mine: Number(after.roadChiefId === ctx.actor.memberId) });
}

/** Admin: only a project with nothing on its ledger can go (logs are append-only, problems keep their history). */
export async function deleteProject(ctx: ServiceContext, id: string) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const [[target], [logs], [raised]] = await ctx.db.batch([
    ctx.db.select().from(projects).where(eq(projects.id, id)),
    ctx.db.select({ n: count() }).from(projectLogs).where(eq(projectLogs.projectId, id)),
    ctx.db.select({ n: count() }).from(issues).where(eq(issues.projectId, id)),
  ]);
  if (!target) throw notFound("project.not_found");
  if ((logs?.n ?? 0) + (raised?.n ?? 0) > 0) throw new ProblemError("project.not_empty");
  await runBatch(ctx.db, [
    ctx.db.delete(projectBranches).where(eq(projectBranches.projectId, id)),
    ctx.db.delete(projects).where(eq(projects.id, id)),
    auditInsert(ctx, { action: "project.deleted", entityType: "project", entityId: id, before: target }),
  ]);
}
