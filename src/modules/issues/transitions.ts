import { and, eq } from "drizzle-orm";
import { newId } from "../../db/ids.js";
import { issueEvents, issues, type IssueEventRow, type IssueRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden, invalidField, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { attachableFiles, fileLinkWrites, refsByEntity } from "../files/attach.js";
import { issueAccess } from "../projects/access.js";
import { dueAt } from "./clocks.js";
import { workCalendar } from "../../calendar/tenant.js";
import { accessOf, categoryNamer, detailView, eventView, historyView, type IssueExtras, type IssueSelect, issueView, readIssue } from "./reads.js";
import { checkPeople, commit, selfCheck, TRANSITIONS, type TransitionAction } from "./workflow.js";

// The steps of the workflow (acknowledge, start, resolve, return, verify, close, transfer): see workflow.ts.

export async function transition(ctx: ServiceContext, id: string, action: TransitionAction, input: { note?: string; reason?: string; handlerId?: string; fileIds?: string[] }) {
  const fileIds = input.fileIds ?? [];
  const [read, offered] = await Promise.all([readIssue(ctx, id, input.handlerId ? [input.handlerId] : []), fileIds.length ? attachableFiles(ctx, fileIds) : []]);
  const { row, project, access, followers } = accessOf(ctx, read);
  const { categories, people } = read;
  const rule = TRANSITIONS[action];
  if (!rule.by.some((r) => access.roles.includes(r))) throw forbidden();
  if (selfCheck(action, access)) throw new ProblemError("issue.handler_cannot_verify");
  if (!rule.from.includes(row.status)) {
    throw new ProblemError("issue.invalid_transition", `当前状态 ${row.status} 不能执行 ${action} / ${action} is not allowed from ${row.status}`);
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
  // The step's photos hang on its history entry; their scope is the problem, so whoever sees it sees them.
  const links = fileLinkWrites(ctx, offered, fileIds, { entityType: "issue_event", entityId: event.id, scopeType: "issue", scopeId: id });
  await commit(ctx, [
    ctx.db.insert(issueEvents).values(event),
    ...links.statements,
    ctx.db.update(issues).set(changes).where(and(eq(issues.id, id), eq(issues.version, row.version))),
    auditInsert(ctx, { action: `issue.${rule.event}`, entityType: "issue", entityId: id, before: { status: row.status, handlerId: row.handlerId }, after: { ...changes, note, ...(fileIds.length ? { fileIds } : {}) } }),
  ]);

  const after = { ...row, ...changes, ...extras } as IssueSelect;
  const afterAccess = issueAccess(ctx.actor, after, followers.map((f) => f.id), project, read.partners, read.led);
  const actorName = people.find((p) => p.id === ctx.actor.memberId)?.name ?? null;
  const history = [...(await historyView(ctx, read)), eventView({ ...event, actorName }, (await refsByEntity(ctx, links.refRows)).get(event.id))];
  return detailView(issueView(after, categoryNamer(categories), stamp), followers, afterAccess, history);
}
