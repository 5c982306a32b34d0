import { and, eq } from "drizzle-orm";
import { type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { issueEvents, issueFollowers, issues, issueUnits, type IssueEventRow, type IssueRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden, invalidField, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { issueAccess } from "../projects/access.js";
import { effectiveCategory } from "./categories.js";
import { accessOf, categoryNamer, composeView, detailView, eventView, historyView, issueView, readIssue } from "./reads.js";
import type { IssuePatch } from "./schemas.js";
import { canEdit, checkPeople, commit, dedupe } from "./workflow.js";

/** Edits what is not a step of the workflow: text, category (clocks stay as set), units, followers, supervisor. */
export async function updateIssue(ctx: ServiceContext, id: string, patch: IssuePatch) {
  const followerIds = patch.followerIds ? dedupe(patch.followerIds) : undefined;
  const extra = dedupe([...(followerIds ?? []), ...(patch.supervisorId ? [patch.supervisorId] : [])]);
  const read = await readIssue(ctx, id, extra);
  const { row, project, access, followers } = accessOf(ctx, read);
  const { partners, led, categories, people } = read;
  if (!canEdit(access)) throw forbidden();
  if (row.status === "closed") throw new ProblemError("issue.closed");
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
    return detailView(issueView(row, nameOfCategory, ctx.now.toISOString()), followers, access, await historyView(ctx, read));
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
  const afterAccess = issueAccess(ctx.actor, after, newFollowers.map((f) => f.id), project, partners, led);
  const actorName = nameOf.get(ctx.actor.memberId) ?? null;
  return detailView(view, newFollowers, afterAccess, [...(await historyView(ctx, read)), eventView({ ...event, actorName })]);
}
