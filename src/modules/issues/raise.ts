import { and, eq, inArray } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { issueEvents, issueFollowers, issues, issueUnits, members, projectLogs, projects, type IssueEventRow, type IssueRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden, invalidField, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { attachableFiles, fileLinkWrites, refsByEntity } from "../files/attach.js";
import { issueAccess, keepsLedger, projectAccess, projectAccessQueries, visibleProjects } from "../projects/access.js";
import { categoryRowQuery, DEFAULT_CATEGORY, effectiveCategory } from "./categories.js";
import { dueAt } from "./clocks.js";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import { composeView, detailView, eventView, type IssueExtras } from "./reads.js";
import type { IssueCreate } from "./schemas.js";
import { checkPeople, dedupe, SKEW_MS } from "./workflow.js";

/** Raised by the project's ledger keepers (admin, road chief, overseeing secretary). The category's clocks start at `raisedAt`. */
export async function raiseIssue(ctx: ServiceContext, projectId: string, input: IssueCreate) {
  const followerIds = dedupe(input.followerIds);
  const units = dedupe(input.responsibleUnits);
  const categoryKey = input.category ?? DEFAULT_CATEGORY;
  const named = dedupe([input.handlerId, ...(input.supervisorId ? [input.supervisorId] : []), ...followerIds, ctx.actor.memberId]);
  const [[project], partners, led, [visible], people, [categoryRow], [log], overrides, offered] = await ctx.db.batch([
    ...projectAccessQueries(ctx, projectId),
    ctx.db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.id, projectId), visibleProjects(ctx.actor))),
    ctx.db.select({ id: members.id, name: members.name, status: members.status }).from(members).where(inArray(members.id, named)),
    categoryRowQuery(ctx, categoryKey),
    ctx.db.select({ id: projectLogs.id, projectId: projectLogs.projectId }).from(projectLogs).where(eq(projectLogs.id, input.logId ?? "")),
    overridesQuery(ctx.db),
    attachableFiles(ctx, input.fileIds),
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
  // The "before" photos hang on the "raised" history entry (scope: the problem).
  const links = fileLinkWrites(ctx, offered, input.fileIds, { entityType: "issue_event", entityId: event.id, scopeType: "issue", scopeId: row.id });
  await runBatch(ctx.db, [
    ctx.db.insert(issues).values(row),
    ...followerIds.map((memberId) => ctx.db.insert(issueFollowers).values({ issueId: row.id, memberId })),
    ...units.map((unit) => ctx.db.insert(issueUnits).values({ issueId: row.id, unit })),
    ctx.db.insert(issueEvents).values(event),
    ...links.statements,
    auditInsert(ctx, { action: "issue.raised", entityType: "issue", entityId: row.id, after: { ...row, followerIds, responsibleUnits: units, fileIds: input.fileIds } }),
  ]);
  const extras: IssueExtras = { projectName: project.name, roadChiefId: project.roadChiefId, handlerName: nameOf.get(row.handlerId) ?? null, supervisorName: row.supervisorId ? (nameOf.get(row.supervisorId) ?? null) : null, commentCount: 0 };
  const view = composeView({ ...row, ...extras }, [...followerIds].sort(), [...units].sort(), category.name, stamp);
  const access = issueAccess(ctx.actor, row, followerIds, project, partners, led);
  return detailView(view, [...followerIds].sort().map((id) => ({ id, name: nameOf.get(id) ?? null })), access, [eventView({ ...event, actorName: nameOf.get(ctx.actor.memberId) ?? null }, (await refsByEntity(ctx, links.refRows)).get(event.id))]);
}
