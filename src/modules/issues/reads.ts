import { and, asc, desc, eq, getTableColumns, gt, inArray, sql, type SQL } from "drizzle-orm";
import { branches, issueCategories, issueEvents, issueFollowers, issues, members, projectBranches, projects, type IssueCategoryRow, type IssueEventRow, type IssueRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { invalidField, notFound } from "../../http/problem.js";
import { type IssueAccess, issueAccess, type IssueRole, visibleIssues, visibleProjects } from "../projects/access.js";
import { scopeQuery } from "../branches/scope.js";
import { fileRefsOf, refsByEntity } from "../files/attach.js";
import type { FileRef } from "../files/schemas.js";
import { builtInCategories } from "./categories.js";
import type { IssueListQuery } from "./schemas.js";
import { overdueAt, overdueFlags } from "./statuses.js";
import { allowedActions } from "./workflow.js";

// Reading problems: the list, one problem's page, and the views the writes answer with.

const I = sql.raw(`"issues"`);

export const issueColumns = {
  ...getTableColumns(issues),
  projectName: sql<string>`(SELECT p.name FROM projects p WHERE p.id = ${I}."project_id")`,
  roadChiefId: sql<string | null>`(SELECT p.road_chief_id FROM projects p WHERE p.id = ${I}."project_id")`,
  handlerName: sql<string | null>`(SELECT m.name FROM members m WHERE m.id = ${I}."handler_id")`,
  supervisorName: sql<string | null>`(SELECT m.name FROM members m WHERE m.id = ${I}."supervisor_id")`,
  followerIdsJson: sql<string>`(SELECT json_group_array(x.member_id) FROM (SELECT f.member_id FROM issue_followers f WHERE f.issue_id = ${I}."id" ORDER BY f.member_id) x)`,
  unitsJson: sql<string>`(SELECT json_group_array(x.unit) FROM (SELECT u.unit FROM issue_units u WHERE u.issue_id = ${I}."id" ORDER BY u.unit) x)`,
  commentCount: sql<number>`(SELECT count(*) FROM issue_comments c WHERE c.issue_id = ${I}."id")`.mapWith(Number),
};

export type IssueExtras = { projectName: string; roadChiefId: string | null; handlerName: string | null; supervisorName: string | null; commentCount: number };
export type IssueSelect = IssueRow & IssueExtras & { followerIdsJson: string; unitsJson: string };

export function categoryNamer(rows: IssueCategoryRow[]) {
  const own = new Map(rows.map((r) => [r.key, r.name]));
  const builtIn = new Map(builtInCategories.map((c) => [c.key, c.name]));
  return (key: string) => own.get(key) ?? builtIn.get(key) ?? key;
}

export function composeView(row: IssueRow & IssueExtras, followerIds: string[], responsibleUnits: string[], categoryName: string, now: string) {
  const { ackDays, ackUnit, resolveDays, resolveUnit, version: _v, ...rest } = row;
  return { ...rest, categoryName, followerIds, responsibleUnits, clock: { ackDays, ackUnit, resolveDays, resolveUnit }, ...overdueFlags(row, now) };
}

export function issueView(row: IssueSelect, nameOf: (key: string) => string, now: string) {
  const { followerIdsJson, unitsJson, ...rest } = row;
  return composeView(rest, JSON.parse(followerIdsJson ?? "[]") as string[], JSON.parse(unitsJson ?? "[]") as string[], nameOf(row.category), now);
}

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

function roleCondition(role: IssueRole | undefined, me: string): SQL | undefined {
  switch (role) {
    case "handler":
      return eq(issues.handlerId, me);
    case "supervisor":
      return eq(issues.supervisorId, me);
    case "follower":
      return sql`EXISTS (SELECT 1 FROM issue_followers f WHERE f.issue_id = ${issues.id} AND f.member_id = ${me})`;
    case "road_chief":
      return sql`${issues.projectId} IN (SELECT p.id FROM projects p WHERE p.road_chief_id = ${me})`;
    default:
      return undefined;
  }
}

/** The problems the caller may see, filtered; within one project when `projectId` is given (404 if the project is not visible). */
export async function listIssues(ctx: ServiceContext, q: IssueListQuery, projectId?: string) {
  const after = decodeCursor(q.cursor, 2);
  const now = ctx.now.toISOString();
  const inProject = projectId ?? q.projectId;
  const byDue = q.sort === "due";
  const like = q.q ? escapeLike(q.q) : undefined;
  const list = ctx.db
    .select(issueColumns)
    .from(issues)
    .where(
      and(
        // A role filter already implies visibility (and keeps the query plan simple for a road chief's many projects).
        q.role ? undefined : visibleIssues(ctx.actor),
        inProject ? eq(issues.projectId, inProject) : undefined,
        q.status ? inArray(issues.status, q.status) : undefined,
        roleCondition(q.role, ctx.actor.memberId),
        q.handlerId ? eq(issues.handlerId, q.handlerId) : undefined,
        q.category ? eq(issues.category, q.category) : undefined,
        q.unit ? sql`EXISTS (SELECT 1 FROM issue_units u WHERE u.issue_id = ${issues.id} AND u.unit = ${q.unit})` : undefined,
        q.overdue === true ? overdueAt(now, "issues") : q.overdue === false ? sql`NOT ${overdueAt(now, "issues")}` : undefined,
        like ? sql`(${issues.title} LIKE ${like} ESCAPE '\\' OR ${issues.description} LIKE ${like} ESCAPE '\\')` : undefined,
        after ? (byDue ? sql`(${issues.resolveDueAt}, ${issues.id}) > (${after[0]}, ${after[1]})` : sql`(${issues.raisedAt}, ${issues.id}) < (${after[0]}, ${after[1]})`) : undefined,
      ),
    )
    .orderBy(...(byDue ? [asc(issues.resolveDueAt), asc(issues.id)] : [desc(issues.raisedAt), desc(issues.id)]))
    .limit(q.limit + 1);
  const visibleProject = ctx.db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId ?? ""), visibleProjects(ctx.actor)));
  const [[project], rows, categories] = await ctx.db.batch([visibleProject, list, ctx.db.select().from(issueCategories)]);
  if (projectId && !project) throw notFound("project.not_found");
  const nameOf = categoryNamer(categories);
  const result = page(rows as IssueSelect[], q.limit, (r) => (byDue ? [r.resolveDueAt, r.id] : [r.raisedAt, r.id]));
  return { data: result.data.map((r) => issueView(r, nameOf, now)), nextCursor: result.nextCursor };
}

/**
 * A problem's page shows its newest history entries and how many there are; `GET /v1/issues/:id/history`
 * pages through all of them (edits and return/resolve rounds add entries without bound).
 */
export const HISTORY_SHOWN = 50;

/** Everything a problem's page and its writes need, in one round trip, by name. */
export async function readIssue(ctx: ServiceContext, id: string, extraMemberIds: string[] = []) {
  const projectOf = sql`(SELECT project_id FROM issues WHERE id = ${id})`;
  const [issueRows, projectRows, partners, led, followers, events, categories, people, eventFiles] = await ctx.db.batch([
    ctx.db.select(issueColumns).from(issues).where(eq(issues.id, id)),
    ctx.db.select().from(projects).where(eq(projects.id, projectOf)),
    ctx.db.select({ branchId: projectBranches.branchId, path: branches.path }).from(projectBranches).innerJoin(branches, eq(branches.id, projectBranches.branchId)).where(eq(projectBranches.projectId, projectOf)),
    scopeQuery(ctx),
    ctx.db.select({ id: members.id, name: members.name }).from(issueFollowers).leftJoin(members, eq(members.id, issueFollowers.memberId)).where(eq(issueFollowers.issueId, id)).orderBy(asc(issueFollowers.memberId)),
    ctx.db
      .select({ ...getTableColumns(issueEvents), actorName: members.name })
      .from(issueEvents)
      .leftJoin(members, eq(members.id, issueEvents.actorId))
      .where(eq(issueEvents.issueId, id))
      .orderBy(desc(issueEvents.seq))
      .limit(HISTORY_SHOWN),
    ctx.db.select().from(issueCategories),
    ctx.db
      .select({ id: members.id, name: members.name, status: members.status })
      .from(members)
      .where(inArray(members.id, [ctx.actor.memberId, ...extraMemberIds])),
    fileRefsOf(ctx, "issue_event", ctx.db.select({ id: issueEvents.id }).from(issueEvents).where(eq(issueEvents.issueId, id)).orderBy(desc(issueEvents.seq)).limit(HISTORY_SHOWN)),
  ]);
  // The newest entries, read newest first, shown oldest first.
  return { issue: issueRows[0] as IssueSelect | undefined, project: projectRows[0], partners, led, followers, events: events.reverse(), categories, people, eventFiles };
}

export type IssueRead = Awaited<ReturnType<typeof readIssue>>;

export function accessOf(ctx: ServiceContext, read: IssueRead) {
  const { issue: row, project, partners, led, followers } = read;
  if (!row || !project) throw notFound("issue.not_found");
  const access = issueAccess(ctx.actor, row, followers.map((f) => f.id ?? ""), project, partners, led);
  if (!access.visible) throw notFound("issue.not_found");
  return { row, project, access, followers: followers.map((f) => ({ id: f.id ?? "", name: f.name })) };
}

export type EventView = ReturnType<typeof eventView>;
export const eventView = (e: IssueEventRow & { actorName: string | null }, files: FileRef[] = []) => ({ seq: e.seq, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorId: e.actorId, actorName: e.actorName, note: e.note, data: e.data, at: e.at, files });

/** The read's history entries, each with its photos (URLs signed for the reader). */
export async function historyView(ctx: ServiceContext, read: Pick<IssueRead, "events" | "eventFiles">): Promise<EventView[]> {
  const files = await refsByEntity(ctx, read.eventFiles);
  return read.events.map((e) => eventView(e, files.get(e.id)));
}

export function detailView(view: ReturnType<typeof composeView>, followers: { id: string; name: string | null }[], access: IssueAccess, history: EventView[]) {
  // Entries are numbered 1, 2, … (seq is the problem's version), so the newest one's number is the count.
  return { ...view, followers, myRoles: access.roles, allowedActions: allowedActions(view.status, access), history: history.slice(-HISTORY_SHOWN), historyCount: history.at(-1)?.seq ?? 0 };
}

export async function getIssue(ctx: ServiceContext, id: string) {
  const read = await readIssue(ctx, id);
  const { row, access, followers } = accessOf(ctx, read);
  const view = issueView(row, categoryNamer(read.categories), ctx.now.toISOString());
  return detailView(view, followers, access, await historyView(ctx, read));
}

/** A problem's history, oldest first, a page at a time, each entry with its photos. */
export async function listHistory(ctx: ServiceContext, id: string, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, 1)?.[0];
  if (after !== undefined && !/^\d{1,9}$/.test(after)) throw invalidField("query.cursor", "无效的游标 / Invalid cursor");
  const [visible, rows] = await ctx.db.batch([
    ctx.db.select({ id: issues.id }).from(issues).where(and(eq(issues.id, id), visibleIssues(ctx.actor))),
    ctx.db
      .select({ ...getTableColumns(issueEvents), actorName: members.name })
      .from(issueEvents)
      .leftJoin(members, eq(members.id, issueEvents.actorId))
      .where(and(eq(issueEvents.issueId, id), after !== undefined ? gt(issueEvents.seq, Number(after)) : undefined))
      .orderBy(asc(issueEvents.seq))
      .limit(q.limit + 1),
  ]);
  if (!visible[0]) throw notFound("issue.not_found");
  const result = page(rows, q.limit, (r) => [String(r.seq)]);
  const files = await refsByEntity(ctx, result.data.length ? await fileRefsOf(ctx, "issue_event", result.data.map((r) => r.id)) : []);
  return { data: result.data.map((e) => eventView(e, files.get(e.id))), nextCursor: result.nextCursor };
}
