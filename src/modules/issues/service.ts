import { and, asc, desc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { isUniqueViolation, runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import {
  branches,
  issueCategories,
  issueComments,
  issueEvents,
  issueFollowers,
  issues,
  issueUnits,
  members,
  projectBranches,
  projectLogs,
  projects,
  type IssueCategoryRow,
  type IssueEventRow,
  type IssueRow,
  type IssueStatus,
} from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { forbidden, invalidField, notFound, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { type IssueAccess, issueAccess, type IssueRole, keepsLedger, projectAccess, projectAccessQueries, visibleIssues, visibleProjects } from "../projects/access.js";
import { overdueAt, UNACKNOWLEDGED_SQL } from "../projects/service.js";
import { scopeQuery } from "../branches/scope.js";
import { builtInCategories, categoryRowQuery, DEFAULT_CATEGORY, effectiveCategory } from "./categories.js";
import { dueAt } from "./clocks.js";
import { overridesQuery, tenantCalendar, workCalendar } from "../../calendar/tenant.js";
import type { IssueCreate, IssueListQuery, IssuePatch, issueActions } from "./schemas.js";

/**
 * 吹哨报到 problems: 有人办 (the handler), 有人跟 (followers), 有人督 (the supervisor), and two clocks.
 *
 *   open ──acknowledge──▶ acknowledged ──start──▶ in_progress ──resolve──▶ resolved ──verify──▶ verified ──close──▶ closed
 *     ▲                         │  └──────────────resolve──────────────────▲   │
 *     │ (transferred: the new   │                                          │   └──return (with reason)──▶ returned ──start / resolve──▶ …
 *     │  handler acknowledges)  └── transfer (any unresolved status, with reason) ──▶ transferred
 *
 * Only the handler acknowledges, starts and resolves; only the supervisor or the road chief returns,
 * verifies and closes; the handler, the supervisor or the road chief transfers. Anyone who can see a
 * problem may comment; nobody else may step it on (not even an admin: the bureau reassigns through the
 * road chief or supervisor, or edits the project's road chief).
 */

export type TransitionAction = "acknowledge" | "start" | "resolve" | "return" | "verify" | "close" | "transfer";

const UNRESOLVED: IssueStatus[] = ["open", "transferred", "acknowledged", "in_progress", "returned"];

export const TRANSITIONS: Record<TransitionAction, { from: IssueStatus[]; to: IssueStatus; by: IssueRole[]; event: string }> = {
  acknowledge: { from: ["open", "transferred"], to: "acknowledged", by: ["handler"], event: "acknowledged" },
  start: { from: ["acknowledged", "returned"], to: "in_progress", by: ["handler"], event: "started" },
  resolve: { from: ["acknowledged", "in_progress", "returned"], to: "resolved", by: ["handler"], event: "resolved" },
  return: { from: ["resolved"], to: "returned", by: ["supervisor", "road_chief"], event: "returned" },
  verify: { from: ["resolved"], to: "verified", by: ["supervisor", "road_chief"], event: "verified" },
  close: { from: ["verified"], to: "closed", by: ["supervisor", "road_chief"], event: "closed" },
  transfer: { from: UNRESOLVED, to: "transferred", by: ["handler", "supervisor", "road_chief"], event: "transferred" },
};

/** Who may edit a problem's description, category, units, followers and supervisor. */
const canEdit = (a: IssueAccess) => a.admin || a.overseer || a.roles.includes("road_chief") || a.roles.includes("supervisor");

// ---- reading ----

const I = sql.raw(`"issues"`);

const issueColumns = {
  ...getTableColumns(issues),
  projectName: sql<string>`(SELECT p.name FROM projects p WHERE p.id = ${I}."project_id")`,
  roadChiefId: sql<string | null>`(SELECT p.road_chief_id FROM projects p WHERE p.id = ${I}."project_id")`,
  handlerName: sql<string | null>`(SELECT m.name FROM members m WHERE m.id = ${I}."handler_id")`,
  supervisorName: sql<string | null>`(SELECT m.name FROM members m WHERE m.id = ${I}."supervisor_id")`,
  followerIdsJson: sql<string>`(SELECT json_group_array(x.member_id) FROM (SELECT f.member_id FROM issue_followers f WHERE f.issue_id = ${I}."id" ORDER BY f.member_id) x)`,
  unitsJson: sql<string>`(SELECT json_group_array(x.unit) FROM (SELECT u.unit FROM issue_units u WHERE u.issue_id = ${I}."id" ORDER BY u.unit) x)`,
  commentCount: sql<number>`(SELECT count(*) FROM issue_comments c WHERE c.issue_id = ${I}."id")`.mapWith(Number),
};

type IssueExtras = { projectName: string; roadChiefId: string | null; handlerName: string | null; supervisorName: string | null; commentCount: number };
type IssueSelect = IssueRow & IssueExtras & { followerIdsJson: string; unitsJson: string };

function categoryNamer(rows: IssueCategoryRow[]) {
  const own = new Map(rows.map((r) => [r.key, r.name]));
  const builtIn = new Map(builtInCategories.map((c) => [c.key, c.name]));
  return (key: string) => own.get(key) ?? builtIn.get(key) ?? key;
}

/** The overdue flags are computed against `now` at read time; nothing stores them. */
export function overdueFlags(row: Pick<IssueRow, "status" | "ackDueAt" | "resolveDueAt">, now: string) {
  return {
    isAckOverdue: (row.status === "open" || row.status === "transferred") && row.ackDueAt < now,
    isResolveOverdue: UNRESOLVED.includes(row.status) && row.resolveDueAt < now,
  };
}

function composeView(row: IssueRow & IssueExtras, followerIds: string[], responsibleUnits: string[], categoryName: string, now: string) {
  const { ackDays, ackUnit, resolveDays, resolveUnit, version: _v, ...rest } = row;
  return { ...rest, categoryName, followerIds, responsibleUnits, clock: { ackDays, ackUnit, resolveDays, resolveUnit }, ...overdueFlags(row, now) };
}

function issueView(row: IssueSelect, nameOf: (key: string) => string, now: string) {
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

/** Everything a problem's page and its writes need, in one round trip. */
function readIssue(ctx: ServiceContext, id: string, extraMemberIds: string[] = []) {
  const projectOf = sql`(SELECT project_id FROM issues WHERE id = ${id})`;
  return ctx.db.batch([
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
      .orderBy(asc(issueEvents.seq)),
    ctx.db.select().from(issueCategories),
    ctx.db
      .select({ id: members.id, name: members.name, status: members.status })
      .from(members)
      .where(inArray(members.id, [ctx.actor.memberId, ...extraMemberIds])),
  ]);
}

type IssueRead = Awaited<ReturnType<typeof readIssue>>;

function accessOf(ctx: ServiceContext, read: IssueRead) {
  const [[row], [project], partners, led, followers] = read;
  if (!row || !project) throw notFound("issue.not_found");
  const access = issueAccess(ctx.actor, row, followers.map((f) => f.id ?? ""), project, partners , led);
  if (!access.visible) throw notFound("issue.not_found");
  return { row: row as IssueSelect, project, access, followers: followers.map((f) => ({ id: f.id ?? "", name: f.name })) };
}

type EventView = ReturnType<typeof eventView>;
const eventView = (e: IssueEventRow & { actorName: string | null }) => ({ seq: e.seq, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorId: e.actorId, actorName: e.actorName, note: e.note, data: e.data, at: e.at });

type IssueAction = (typeof issueActions)[number];

/** 有人办、有人督: whoever handles a problem does not also verify or close it, whatever other role they hold on it. */
const selfCheck = (action: TransitionAction, access: IssueAccess) => (action === "verify" || action === "close") && access.roles.includes("handler");

function allowedActions(status: IssueStatus, access: IssueAccess): IssueAction[] {
  const out: IssueAction[] = [];
  for (const [action, rule] of Object.entries(TRANSITIONS) as [TransitionAction, (typeof TRANSITIONS)[TransitionAction]][]) {
    if (rule.from.includes(status) && rule.by.some((r) => access.roles.includes(r)) && !selfCheck(action, access)) out.push(action);
  }
  if (status !== "closed" && canEdit(access)) out.push("edit");
  out.push("comment");
  return out;
}

function detailView(view: ReturnType<typeof composeView>, followers: { id: string; name: string | null }[], access: IssueAccess, history: EventView[]) {
  return { ...view, followers, myRoles: access.roles, allowedActions: allowedActions(view.status, access), history };
}

export async function getIssue(ctx: ServiceContext, id: string) {
  const read = await readIssue(ctx, id);
  const { row, access, followers } = accessOf(ctx, read);
  const [, , , , , events, categories] = read;
  const view = issueView(row, categoryNamer(categories), ctx.now.toISOString());
  return detailView(view, followers, access, events.map(eventView));
}

// ---- writing ----

const SKEW_MS = 5 * 60_000;

interface PeopleCheck {
  handlerId?: string;
  supervisorId?: string | null;
  followerIds?: string[];
}

/** The named people must be active (or invited) members; the handler cannot supervise themselves (有人办、有人督 are two people). */
function checkPeople(input: PeopleCheck, people: { id: string; status: string }[], current: { handlerId?: string; supervisorId?: string | null } = {}) {
  const usable = new Set(people.filter((p) => p.status !== "disabled").map((p) => p.id));
  if (input.handlerId && !usable.has(input.handlerId)) throw invalidField("handlerId", "成员不存在或已停用 / No such active member");
  if (input.supervisorId && !usable.has(input.supervisorId)) throw invalidField("supervisorId", "成员不存在或已停用 / No such active member");
  input.followerIds?.forEach((id, i) => {
    if (!usable.has(id)) throw invalidField(`followerIds.${i}`, "成员不存在或已停用 / No such active member");
  });
  const handler = input.handlerId ?? current.handlerId;
  const supervisor = input.supervisorId === undefined ? current.supervisorId : input.supervisorId;
  if (handler && supervisor && handler === supervisor) {
    throw invalidField(input.supervisorId !== undefined ? "supervisorId" : "handlerId", "承办人与督办人不能是同一人 / The handler cannot also be the supervisor");
  }
}

const dedupe = <T>(xs: T[]) => [...new Set(xs)];

/** Raised by the project's ledger keepers (admin, road chief, overseeing secretary). The category's clocks start at `raisedAt`. */
export async function raiseIssue(ctx: ServiceContext, projectId: string, input: IssueCreate) {
  const followerIds = dedupe(input.followerIds);
  const units = dedupe(input.responsibleUnits);
  const categoryKey = input.category ?? DEFAULT_CATEGORY;
  const named = dedupe([input.handlerId, ...(input.supervisorId ? [input.supervisorId] : []), ...followerIds, ctx.actor.memberId]);
  const [[project], partners, led, [visible], people, [categoryRow], [log], overrides] = await ctx.db.batch([
    ...projectAccessQueries(ctx, projectId),
    ctx.db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.id, projectId), visibleProjects(ctx.actor))),
    ctx.db.select({ id: members.id, name: members.name, status: members.status }).from(members).where(inArray(members.id, named)),
    categoryRowQuery(ctx, categoryKey),
    ctx.db.select({ id: projectLogs.id, projectId: projectLogs.projectId }).from(projectLogs).where(eq(projectLogs.id, input.logId ?? "")),
    overridesQuery(ctx.db),
  ]);
  if (!project || !visible) throw notFound("project.not_found");
  if (!keepsLedger(projectAccess(ctx.actor, project, partners, led))) throw forbidden();
  checkPeople({ handlerId: input.handlerId, supervisorId: input.supervisorId, followerIds: input.followerIds }, people);
  const category = effectiveCategory(categoryKey, categoryRow);
  if (!category || !category.active) throw invalidField("category", "没有这个问题类别 / No such category");
  if (input.logId && (!log || log.projectId !== projectId)) throw invalidField("logId", "本项目没有这条服务日志 / No such log in this project");
  const raisedAt = input.raisedAt ?? ctx.now.toISOString();
  if (Date.parse(raisedAt) > ctx.now.getTime() + SKEW_MS) throw invalidField("raisedAt", "不能晚于当前时间 / Cannot be in the future");

  const start = new Date(raisedAt);
  const tz = ctx.tenant.timezone;
  const calendar = tenantCalendar(ctx.nationalCalendar, overrides);
  const ack = dueAt(start, category.ackDays, category.ackUnit, tz, calendar);
  const resolve = dueAt(start, category.resolveDays, category.resolveUnit, tz, calendar);
  const stamp = ctx.now.toISOString();
  const row: IssueRow = {
    id: newId("iss", ctx.now.getTime()),
    projectId,
    logId: input.logId ?? null,
    title: input.title,
    description: input.description || null,
    category: categoryKey,
    handlerId: input.handlerId,
    supervisorId: input.supervisorId ?? null,
    status: "open",
    raisedAt,
    raisedBy: ctx.actor.memberId,
    ackDays: category.ackDays,
    ackUnit: category.ackUnit,
    resolveDays: category.resolveDays,
    resolveUnit: category.resolveUnit,
    ackDueAt: ack.at.toISOString(),
    resolveDueAt: resolve.at.toISOString(),
    calendarProvisional: ack.provisional || resolve.provisional,
    acknowledgedAt: null,
    resolvedAt: null,
    verifiedAt: null,
    closedAt: null,
    resolution: null,
    returnCount: 0,
    transferCount: 0,
    version: 1,
    createdAt: stamp,
    updatedAt: stamp,
  };
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const event: IssueEventRow = {
    id: newId("iev", ctx.now.getTime()),
    issueId: row.id,
    seq: 1,
    action: "raised",
    fromStatus: null,
    toStatus: "open",
    actorId: ctx.actor.memberId,
    note: null,
    data: { handlerId: row.handlerId, supervisorId: row.supervisorId, followerIds, category: categoryKey, responsibleUnits: units, ackDueAt: row.ackDueAt, resolveDueAt: row.resolveDueAt },
    at: stamp,
  };
  await runBatch(ctx.db, [
    ctx.db.insert(issues).values(row),
    ...followerIds.map((memberId) => ctx.db.insert(issueFollowers).values({ issueId: row.id, memberId })),
    ...units.map((unit) => ctx.db.insert(issueUnits).values({ issueId: row.id, unit })),
    ctx.db.insert(issueEvents).values(event),
    auditInsert(ctx, { action: "issue.raised", entityType: "issue", entityId: row.id, after: { ...row, followerIds, responsibleUnits: units } }),
  ]);
  const extras: IssueExtras = { projectName: project.name, roadChiefId: project.roadChiefId, handlerName: nameOf.get(row.handlerId) ?? null, supervisorName: row.supervisorId ? (nameOf.get(row.supervisorId) ?? null) : null, commentCount: 0 };
  const view = composeView({ ...row, ...extras }, [...followerIds].sort(), [...units].sort(), category.name, stamp);
  const access = issueAccess(ctx.actor, row, followerIds, project, partners, led);
  return detailView(view, [...followerIds].sort().map((id) => ({ id, name: nameOf.get(id) ?? null })), access, [eventView({ ...event, actorName: nameOf.get(ctx.actor.memberId) ?? null })]);
}

/** Writes a change with its history row and audit row; a racing change of the same version makes this one a 409. */
async function commit(ctx: ServiceContext, statements: Statement[]) {
  try {
    await runBatch(ctx.db, statements);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ProblemError(409, "issue.changed");
    throw error;
  }
}

export async function transition(ctx: ServiceContext, id: string, action: TransitionAction, input: { note?: string; reason?: string; handlerId?: string }) {
  const read = await readIssue(ctx, id, input.handlerId ? [input.handlerId] : []);
  const { row, project, access, followers } = accessOf(ctx, read);
  const [, , , , , events, categories, people] = read;
  const rule = TRANSITIONS[action];
  if (!rule.by.some((r) => access.roles.includes(r))) throw forbidden();
  if (selfCheck(action, access)) throw new ProblemError(403, "issue.handler_cannot_verify");
  if (!rule.from.includes(row.status)) {
    throw new ProblemError(409, "issue.invalid_transition", `当前状态 ${row.status} 不能执行 ${action} / ${action} is not allowed from ${row.status}`);
  }

  const stamp = ctx.now.toISOString();
  const changes: Partial<IssueRow> = { status: rule.to, updatedAt: stamp, version: row.version + 1 };
  const data: Record<string, unknown> = {};
  const extras: Partial<IssueExtras> = {};
  switch (action) {
    case "acknowledge":
      changes.acknowledgedAt = stamp;
      data.onTime = stamp <= row.ackDueAt;
      break;
    case "resolve":
      changes.resolvedAt = stamp;
      changes.resolution = input.note ?? null;
      data.onTime = stamp <= row.resolveDueAt;
      break;
    case "return":
      changes.resolvedAt = null;
      changes.returnCount = row.returnCount + 1;
      break;
    case "verify":
      changes.verifiedAt = stamp;
      break;
    case "close":
      changes.closedAt = stamp;
      break;
    case "transfer": {
      const to = input.handlerId!;
      if (to === row.handlerId) throw invalidField("handlerId", "已是当前承办人 / Already the handler");
      checkPeople({ handlerId: to }, people, { supervisorId: row.supervisorId });
      // The new handler gets a fresh acknowledge clock (by the problem's own rule); resolve-by does not move: the builder's wait goes on.
      changes.handlerId = to;
      changes.acknowledgedAt = null;
      const ack = dueAt(ctx.now, row.ackDays, row.ackUnit, ctx.tenant.timezone, await workCalendar(ctx));
      changes.ackDueAt = ack.at.toISOString();
      // Resolve-by keeps its own computation: provisional if either clock now is.
      changes.calendarProvisional = ack.provisional || (row.calendarProvisional && row.resolvedAt === null);
      changes.transferCount = row.transferCount + 1;
      Object.assign(data, { fromHandlerId: row.handlerId, toHandlerId: to, ackDueAt: changes.ackDueAt });
      extras.handlerName = people.find((p) => p.id === to)?.name ?? null;
      break;
    }
  }
  const note = input.reason ?? input.note ?? null;
  const event: IssueEventRow = { id: newId("iev", ctx.now.getTime()), issueId: id, seq: row.version + 1, action: rule.event, fromStatus: row.status, toStatus: rule.to, actorId: ctx.actor.memberId, note, data: Object.keys(data).length ? data : null, at: stamp };
  await commit(ctx, [
    ctx.db.insert(issueEvents).values(event),
    ctx.db.update(issues).set(changes).where(and(eq(issues.id, id), eq(issues.version, row.version))),
    auditInsert(ctx, { action: `issue.${rule.event}`, entityType: "issue", entityId: id, before: { status: row.status, handlerId: row.handlerId }, after: { ...changes, note } }),
  ]);

  const after = { ...row, ...changes, ...extras } as IssueSelect;
  const afterAccess = issueAccess(ctx.actor, after, followers.map((f) => f.id), project, read[2] , read[3]);
  const actorName = people.find((p) => p.id === ctx.actor.memberId)?.name ?? null;
  const history = [...events.map(eventView), eventView({ ...event, actorName })];
  return detailView(issueView(after, categoryNamer(categories), stamp), followers, afterAccess, history);
}

/** Edits what is not a step of the workflow: text, category (clocks stay as set), units, followers, supervisor. */
export async function updateIssue(ctx: ServiceContext, id: string, patch: IssuePatch) {
  const followerIds = patch.followerIds ? dedupe(patch.followerIds) : undefined;
  const extra = dedupe([...(followerIds ?? []), ...(patch.supervisorId ? [patch.supervisorId] : [])]);
  const read = await readIssue(ctx, id, extra);
  const { row, project, access, followers } = accessOf(ctx, read);
  const [, , partners, led, , events, categories, people] = read;
  if (!canEdit(access)) throw forbidden();
  if (row.status === "closed") throw new ProblemError(409, "issue.closed");
  checkPeople({ supervisorId: patch.supervisorId, followerIds: patch.followerIds }, people, { handlerId: row.handlerId, supervisorId: row.supervisorId });
  if (patch.category && patch.category !== row.category) {
    const own = categories.find((c) => c.key === patch.category);
    const category = effectiveCategory(patch.category, own);
    if (!category || !category.active) throw invalidField("category", "没有这个问题类别 / No such category");
  }

  const currentUnits = JSON.parse(row.unitsJson ?? "[]") as string[];
  const currentFollowers = followers.map((f) => f.id);
  const units = patch.responsibleUnits ? dedupe(patch.responsibleUnits).sort() : undefined;
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  const note = (k: string, from: unknown, to: unknown) => {
    if (to !== undefined && JSON.stringify(from) !== JSON.stringify(to)) changed[k] = { from, to };
  };
  note("title", row.title, patch.title);
  note("description", row.description, patch.description === undefined ? undefined : patch.description || null);
  note("category", row.category, patch.category);
  note("supervisorId", row.supervisorId, patch.supervisorId);
  note("responsibleUnits", currentUnits, units);
  note("followerIds", currentFollowers, followerIds ? [...followerIds].sort() : undefined);

  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const followerNames = new Map(followers.map((f) => [f.id, f.name]));
  const newFollowers = followerIds ? [...followerIds].sort().map((fid) => ({ id: fid, name: nameOf.get(fid) ?? followerNames.get(fid) ?? null })) : followers;
  const nameOfCategory = categoryNamer(categories);
  if (Object.keys(changed).length === 0) {
    return detailView(issueView(row, nameOfCategory, ctx.now.toISOString()), followers, access, events.map(eventView));
  }

  const stamp = ctx.now.toISOString();
  const changes: Partial<IssueRow> = {
    title: patch.title ?? row.title,
    description: patch.description === undefined ? row.description : patch.description || null,
    category: patch.category ?? row.category,
    supervisorId: patch.supervisorId === undefined ? row.supervisorId : patch.supervisorId,
    updatedAt: stamp,
    version: row.version + 1,
  };
  const event: IssueEventRow = { id: newId("iev", ctx.now.getTime()), issueId: id, seq: row.version + 1, action: "updated", fromStatus: row.status, toStatus: row.status, actorId: ctx.actor.memberId, note: patch.note ?? null, data: changed, at: stamp };
  const statements: Statement[] = [ctx.db.insert(issueEvents).values(event), ctx.db.update(issues).set(changes).where(and(eq(issues.id, id), eq(issues.version, row.version)))];
  if (followerIds && changed.followerIds) {
    statements.push(ctx.db.delete(issueFollowers).where(eq(issueFollowers.issueId, id)), ...followerIds.map((memberId) => ctx.db.insert(issueFollowers).values({ issueId: id, memberId })));
  }
  if (units && changed.responsibleUnits) {
    statements.push(ctx.db.delete(issueUnits).where(eq(issueUnits.issueId, id)), ...units.map((unit) => ctx.db.insert(issueUnits).values({ issueId: id, unit })));
  }
  statements.push(auditInsert(ctx, { action: "issue.updated", entityType: "issue", entityId: id, before: Object.fromEntries(Object.entries(changed).map(([k, c]) => [k, c.from])), after: Object.fromEntries(Object.entries(changed).map(([k, c]) => [k, c.to])) }));
  await commit(ctx, statements);

  const supervisorName = changes.supervisorId === row.supervisorId ? row.supervisorName : changes.supervisorId ? (nameOf.get(changes.supervisorId) ?? null) : null;
  const after = { ...row, ...changes, supervisorName };
  const view = composeView(after, newFollowers.map((f) => f.id), units ?? currentUnits, nameOfCategory(after.category), stamp);
  const afterAccess = issueAccess(ctx.actor, after, newFollowers.map((f) => f.id), project, partners , led);
  const actorName = nameOf.get(ctx.actor.memberId) ?? null;
  return detailView(view, newFollowers, afterAccess, [...events.map(eventView), eventView({ ...event, actorName })]);
}

// ---- comments ----

const visibleIssue = (ctx: ServiceContext, id: string) =>
  ctx.db
    .select({ id: issues.id })
    .from(issues)
    .where(and(eq(issues.id, id), visibleIssues(ctx.actor)));

export async function listComments(ctx: ServiceContext, id: string, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, 2);
  const [[issue], rows] = await ctx.db.batch([
    visibleIssue(ctx, id),
    ctx.db
      .select({ ...getTableColumns(issueComments), authorName: members.name })
      .from(issueComments)
      .leftJoin(members, eq(members.id, issueComments.authorId))
      .where(and(eq(issueComments.issueId, id), after ? sql`(${issueComments.createdAt}, ${issueComments.id}) > (${after[0]}, ${after[1]})` : undefined))
      .orderBy(asc(issueComments.createdAt), asc(issueComments.id))
      .limit(q.limit + 1),
  ]);
  if (!issue) throw notFound("issue.not_found");
  return page(rows, q.limit, (r) => [r.createdAt, r.id]);
}

/** Anyone who can see the problem may comment (a comment is not a step: the status does not change). */
export async function addComment(ctx: ServiceContext, id: string, body: string) {
  const [[issue], [me]] = await ctx.db.batch([visibleIssue(ctx, id), ctx.db.select({ name: members.name }).from(members).where(eq(members.id, ctx.actor.memberId))]);
  if (!issue) throw notFound("issue.not_found");
  const row = { id: newId("cmt", ctx.now.getTime()), issueId: id, authorId: ctx.actor.memberId, body, createdAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [ctx.db.insert(issueComments).values(row), auditInsert(ctx, { action: "issue.commented", entityType: "issue", entityId: id, after: row })]);
  return { ...row, authorName: me?.name ?? null };
}

// ---- for the reminders job ----

/**
 * Every problem of the tenant overdue at `now` (unacknowledged past acknowledge-by, or unresolved past
 * resolve-by), earliest deadline first, with who to tell: the handler, and to escalate to, the
 * supervisor and the road chief. Not filtered by any member's visibility: it is for the system's jobs.
 */
export async function overdueProblems(ctx: Pick<ServiceContext, "db">, now: Date) {
  const at = now.toISOString();
  const [rows, categories] = await ctx.db.batch([
    ctx.db
      .select(issueColumns)
      .from(issues)
      .where(overdueAt(at, "issues"))
      .orderBy(sql`CASE WHEN ${issues.status} IN ${UNACKNOWLEDGED_SQL} THEN min(${issues.ackDueAt}, ${issues.resolveDueAt}) ELSE ${issues.resolveDueAt} END`, asc(issues.id)),
    ctx.db.select().from(issueCategories),
  ]);
  const nameOf = categoryNamer(categories);
  return (rows as IssueSelect[]).map((r) => issueView(r, nameOf, at));
}
