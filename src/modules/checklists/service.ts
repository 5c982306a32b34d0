import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import type { WorkCalendar } from "../../calendar/work-calendar.js";
import { localDate } from "../../calendar/zoned.js";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { type ChecklistItemRow, type ChecklistRow, checklistItems, checklists, tasks } from "../../db/tenant/checklists.js";
import { branches, members } from "../../db/tenant/schema.js";
import type { Actor, ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { conflict, forbidden, invalidField, notFound, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { attachableFiles, fileLinkWrites, fileRefsOf, refsByEntity } from "../files/attach.js";
import { fileLinks } from "../../db/tenant/files.js";
import { branchesInScope, inScope, scopeOf, scopeQuery, visibleMembers } from "../branches/scope.js";
import { namedIds, readOrg, unreachedTargets } from "./assignees.js";
import { insertTasks, tasksForItem } from "./generate.js";
import { publishInChunks, TASKS_PER_CHUNK } from "./publish-chunks.js";
import { occurrences, RecurrenceError } from "./recurrence.js";
import type { ItemCreate, ItemPatch } from "./schemas.js";
import { PresetError, ruleForPreset } from "../schedules/presets.js";

/** A preset's rule (the item keeps both: the rule computes, the preset is what the editor shows). */
function presetRule(preset: ItemCreate["preset"]): string | null {
  if (!preset) return null;
  try {
    return ruleForPreset(preset);
  } catch (error) {
    scheduleProblem(error);
  }
}

/** Turns the rule's refusals into 4xx problems a client can act on (the message in the reader's language). */
export function scheduleProblem(error: unknown): never {
  if (error instanceof PresetError) throw invalidField(error.path, error.message);
  if (error instanceof RecurrenceError) throw new ProblemError("checklist.bad_recurrence", { errors: [{ path: "recurrence", message: error.message }] });
  throw error;
}

export const today = (ctx: ServiceContext) => localDate(ctx.now, ctx.tenant.timezone);

/** Condition on `checklists`: a draft is its managers' business; members see published and archived lists. */
export const visibleChecklists = (actor: Actor) => (actor.role === "member" ? ne(checklists.status, "draft") : undefined);

export async function listChecklists(ctx: ServiceContext, q: { limit: number; cursor?: string; year?: number; kind?: ChecklistRow["kind"]; status?: ChecklistRow["status"] }) {
  const after = decodeCursor(q.cursor, 1);
  // Drafts are the definers' business; everyone in the bureau sees what is published.
  const draftsVisible = visibleChecklists(ctx.actor);
  const rows = await ctx.db
    .select()
    .from(checklists)
    .where(and(draftsVisible, q.year ? eq(checklists.year, q.year) : undefined, q.kind ? eq(checklists.kind, q.kind) : undefined, q.status ? eq(checklists.status, q.status) : undefined, after ? lt(checklists.id, after[0]!) : undefined))
    .orderBy(desc(checklists.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}

/** The checklist, its items, what the actor may do with it and the tenant's calendar, in one round trip. */
export async function readChecklist(ctx: ServiceContext, id: string) {
  const [rows, items, led, overrides, itemFiles] = await ctx.db.batch([
    ctx.db.select({ checklist: checklists, branchPath: branches.path }).from(checklists).leftJoin(branches, eq(branches.id, checklists.branchId)).where(eq(checklists.id, id)),
    ctx.db.select().from(checklistItems).where(and(eq(checklistItems.checklistId, id), isNull(checklistItems.archivedAt))).orderBy(asc(checklistItems.sortOrder), asc(checklistItems.id)),
    scopeQuery(ctx),
    overridesQuery(ctx.db),
    fileRefsOf(ctx, "checklist_item", ctx.db.select({ id: checklistItems.id }).from(checklistItems).where(eq(checklistItems.checklistId, id))),
  ]);
  const row = rows[0];
  if (!row || (row.checklist.status === "draft" && ctx.actor.role === "member")) throw notFound("checklist.not_found");
  const scope = scopeOf(ctx.actor, led);
  // A tenant-wide checklist is the bureau's (admins'); a branch's is also its secretary's.
  const canManage = scope === "all" || (row.branchPath !== null && inScope(scope, row.branchPath));
  return { checklist: row.checklist, items, canManage, calendar: tenantCalendar(ctx.nationalCalendar, overrides), itemFiles };
}

export async function getChecklist(ctx: ServiceContext, id: string) {
  const { checklist, items, itemFiles } = await readChecklist(ctx, id);
  const files = await refsByEntity(ctx, itemFiles);
  return { ...checklist, items: items.map((i) => ({ ...i, guidanceFiles: files.get(i.id) ?? [] })) };
}

async function managed(ctx: ServiceContext, id: string) {
  const read = await readChecklist(ctx, id);
  if (!read.canManage) throw forbidden();
  if (read.checklist.status === "archived") throw conflict("checklist.archived");
  return read;
}

export async function createChecklist(ctx: ServiceContext, input: { title: string; kind: ChecklistRow["kind"]; year: number; branchId?: string | null; description?: string | null }) {
  if (ctx.actor.role === "member") throw forbidden();
  const [[branch], led] = await ctx.db.batch([ctx.db.select().from(branches).where(eq(branches.id, input.branchId ?? "")), scopeQuery(ctx)]);
  if (input.branchId && !branch) throw invalidField("branchId", "组织不存在 / No such branch");
  const scope = scopeOf(ctx.actor, led);
  if (scope !== "all" && !inScope(scope, branch?.path)) throw forbidden();
  const stamp = ctx.now.toISOString();
  const row: ChecklistRow = { id: newId("cl", ctx.now.getTime()), title: input.title, kind: input.kind, year: input.year, branchId: input.branchId ?? null, description: input.description ?? null, status: "draft", publishedAt: null, createdBy: ctx.actor.memberId, createdAt: stamp, updatedAt: stamp };
  await runBatch(ctx.db, [ctx.db.insert(checklists).values(row), auditInsert(ctx, { action: "checklist.created", entityType: "checklist", entityId: row.id, after: row })]);
  return row;
}

export async function updateChecklist(ctx: ServiceContext, id: string, patch: { title?: string; description?: string | null; status?: "archived" }) {
  const { checklist } = await managed(ctx, id);
  const after: ChecklistRow = { ...checklist, title: patch.title ?? checklist.title, description: patch.description === undefined ? checklist.description : patch.description, status: patch.status ?? checklist.status, updatedAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [
    ctx.db.update(checklists).set({ title: after.title, description: after.description, status: after.status, updatedAt: after.updatedAt }).where(eq(checklists.id, id)),
    auditInsert(ctx, { action: patch.status === "archived" ? "checklist.archived" : "checklist.updated", entityType: "checklist", entityId: id, before: checklist, after }),
  ]);
  return after;
}

export async function deleteChecklist(ctx: ServiceContext, id: string) {
  const { checklist } = await managed(ctx, id);
  if (checklist.status !== "draft") throw conflict("checklist.not_draft");
  await runBatch(ctx.db, [
    ctx.db.delete(checklistItems).where(eq(checklistItems.checklistId, id)),
    ctx.db.delete(checklists).where(eq(checklists.id, id)),
    auditInsert(ctx, { action: "checklist.deleted", entityType: "checklist", entityId: id, before: checklist }),
  ]);
}

/** Named members and branches must be this tenant's: checked in one round trip. */
async function checkNamedAssignees(ctx: ServiceContext, specs: ItemCreate["assignees"]) {
  const { memberIds, branchIds } = namedIds(specs);
  if (memberIds.length === 0 && branchIds.length === 0) return;
  const [foundMembers, foundBranches] = await ctx.db.batch([
    // A secretary names only people and branches of the subtrees they lead (issue #10 §3); others look like no such thing.
    ctx.db.select({ id: members.id }).from(members).where(and(inArray(members.id, memberIds.length ? memberIds : [""]), ne(members.status, "disabled"), visibleMembers(ctx.actor))),
    ctx.db.select({ id: branches.id }).from(branches).where(and(inArray(branches.id, branchIds.length ? branchIds : [""]), branchesInScope(ctx.actor))),
  ]);
  const known = new Set([...foundMembers, ...foundBranches].map((r) => r.id));
  specs.forEach((s, i) => {
    const id = s.type === "member" ? s.memberId : s.type === "branch" ? s.branchId : undefined;
    if (id && !known.has(id)) throw invalidField(`assignees.${i}`, "成员或组织不存在 / No such member or branch");
  });
}

function validateSchedule(item: Pick<ChecklistItemRow, "recurrence" | "dueDate" | "rollPolicy">, year: number, calendar: WorkCalendar) {
  if (item.dueDate && !item.dueDate.startsWith(`${year}-`)) throw invalidField("dueDate", "须在清单年度内 / Must fall in the checklist's year");
  try {
    occurrences(item, year, calendar);
  } catch (error) {
    scheduleProblem(error);
  }
}

export async function addItem(ctx: ServiceContext, checklistId: string, input: ItemCreate) {
  const [{ checklist, calendar }, offered] = await Promise.all([managed(ctx, checklistId), input.guidanceFileIds.length ? attachableFiles(ctx, input.guidanceFileIds) : []]);
  await checkNamedAssignees(ctx, input.assignees);
  const stamp = ctx.now.toISOString();
  const item: ChecklistItemRow = {
    id: newId("itm", ctx.now.getTime()),
    checklistId,
    module: input.module,
    title: input.title,
    guidance: input.guidance ?? null,
    recurrence: input.recurrence ?? presetRule(input.preset),
    preset: input.preset ?? null,
    dueDate: input.dueDate ?? null,
    rollPolicy: input.rollPolicy,
    assigneeMode: input.assigneeMode,
    assignees: input.assignees,
    minCount: input.minCount,
    points: input.points,
    latePoints: input.latePoints ?? Math.floor(input.points / 2),
    returnPenalty: input.returnPenalty,
    evidenceRequired: input.evidenceRequired,
    reviewRequired: input.reviewRequired,
    sortOrder: input.sortOrder,
    archivedAt: null,
    createdAt: stamp,
    updatedAt: stamp,
  };
  validateSchedule(item, checklist.year, calendar);
  const guidance = fileLinkWrites(ctx, offered, input.guidanceFileIds, { entityType: "checklist_item", entityId: item.id, scopeType: "checklist", scopeId: checklistId }, "guidanceFileIds");
  const statements: Statement[] = [
    ctx.db.insert(checklistItems).values(item),
    ...guidance.statements,
    auditInsert(ctx, { action: "checklist_item.created", entityType: "checklist_item", entityId: item.id, after: { ...item, guidanceFileIds: input.guidanceFileIds } }),
  ];
  // An item added to a published checklist owes its tasks from today on, like the others.
  if (checklist.status === "published") {
    const { taskRows, assigneeRows } = tasksForItem(ctx, calendar, checklist, item, await readOrg(ctx, checklist.branchId), today(ctx));
    statements.push(...insertTasks(ctx, taskRows, assigneeRows));
  }
  await runBatch(ctx.db, statements);
  return { ...item, guidanceFiles: (await refsByEntity(ctx, guidance.refRows)).get(item.id) ?? [] };
}

const scheduleFields = ["recurrence", "preset", "dueDate", "rollPolicy", "assigneeMode", "assignees"] as const;

/**
 * Editing a published item changes the future and leaves the past: finished tasks keep their
 * words, dates and points; open future tasks take the new rules; a new schedule replaces the
 * future tasks nobody has started (those with records stay, with their work).
 */
export async function updateItem(ctx: ServiceContext, checklistId: string, itemId: string, input: ItemPatch) {
  const { guidanceFileIds, ...patch } = input;
  const [{ checklist, items, calendar, itemFiles }, offered] = await Promise.all([managed(ctx, checklistId), guidanceFileIds?.length ? attachableFiles(ctx, guidanceFileIds) : []]);
  const item = items.find((i) => i.id === itemId);
  if (!item) throw notFound("checklist_item.not_found");
  if (patch.assignees) await checkNamedAssignees(ctx, patch.assignees);
  const after: ChecklistItemRow = { ...item, updatedAt: ctx.now.toISOString() };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) (after as Record<string, unknown>)[key] = value;
  // Guidance documents are replaced as a set: an item is edited, not a log (its files stay readable to their uploader).
  const guidance = guidanceFileIds
    ? fileLinkWrites(ctx, offered, guidanceFileIds, { entityType: "checklist_item", entityId: itemId, scopeType: "checklist", scopeId: checklistId }, "guidanceFileIds")
    : { statements: [], refRows: itemFiles.filter((f) => f.entityId === itemId) };
  if (patch.preset) Object.assign(after, { recurrence: presetRule(patch.preset), dueDate: null });
  if (patch.recurrence) Object.assign(after, { preset: null, dueDate: null });
  if (patch.dueDate) Object.assign(after, { recurrence: null, preset: null });
  if (patch.recurrence === null || patch.dueDate === null) after.preset = after.recurrence ? after.preset : null;
  if (!after.recurrence && !after.dueDate) throw invalidField("recurrence", "须给出 recurrence、preset 或 dueDate 之一 / Give one of recurrence, preset or dueDate");
  validateSchedule(after, checklist.year, calendar);

  const { id: _id, createdAt: _c, ...fields } = after;
  const statements: Statement[] = [ctx.db.update(checklistItems).set(fields).where(eq(checklistItems.id, itemId))];
  if (guidanceFileIds) statements.push(ctx.db.delete(fileLinks).where(and(eq(fileLinks.entityType, "checklist_item"), eq(fileLinks.entityId, itemId))), ...guidance.statements);
  if (checklist.status === "published") {
    const from = today(ctx);
    const future = and(eq(tasks.itemId, itemId), gte(tasks.dueDate, from), ne(tasks.state, "done"));
    statements.push(
      ctx.db.update(tasks).set({ module: after.module, title: after.title, minCount: after.minCount, evidenceRequired: after.evidenceRequired, reviewRequired: after.reviewRequired, updatedAt: after.updatedAt }).where(future),
    );
    if (scheduleFields.some((f) => patch[f] !== undefined)) {
      const [current, org] = await Promise.all([
        ctx.db.select({ id: tasks.id, key: tasks.assigneeKey, nominal: tasks.nominalDate, dueDate: tasks.dueDate, state: tasks.state, doneCount: tasks.doneCount }).from(tasks).where(eq(tasks.itemId, itemId)),
        readOrg(ctx, checklist.branchId),
      ]);
      const untouched = (t: (typeof current)[number]) => t.dueDate >= from && t.state === "open" && t.doneCount === 0;
      const existing = new Set(current.filter((t) => !untouched(t)).map((t) => `${t.key}|${t.nominal}`));
      const { taskRows, assigneeRows } = tasksForItem(ctx, calendar, checklist, after, org, from, existing);
      const dropped = current.filter(untouched).map((t) => t.id);
      if (dropped.length) statements.push(...deleteTasks(ctx, dropped));
      statements.push(...insertTasks(ctx, taskRows, assigneeRows));
    }
  }
  statements.push(auditInsert(ctx, { action: "checklist_item.updated", entityType: "checklist_item", entityId: itemId, before: item, after: guidanceFileIds ? { ...after, guidanceFileIds } : after }));
  await runBatch(ctx.db, statements);
  return { ...after, guidanceFiles: (await refsByEntity(ctx, guidance.refRows)).get(itemId) ?? [] };
}

function deleteTasks(ctx: ServiceContext, ids: string[]): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(ctx.db.run(sql`DELETE FROM task_assignees WHERE task_id IN (${sql.join(chunk.map((id) => sql`${id}`), sql`, `)})`), ctx.db.delete(tasks).where(inArray(tasks.id, chunk)));
  }
  return out;
}

/** Removing an item archives it: its done tasks stay in the ledger; future untouched ones go. */
export async function removeItem(ctx: ServiceContext, checklistId: string, itemId: string) {
  const { items } = await managed(ctx, checklistId);
  const item = items.find((i) => i.id === itemId);
  if (!item) throw notFound("checklist_item.not_found");
  const untouched = await ctx.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.itemId, itemId), gte(tasks.dueDate, today(ctx)), eq(tasks.state, "open"), eq(tasks.doneCount, 0)));
  await runBatch(ctx.db, [
    ctx.db.update(checklistItems).set({ archivedAt: ctx.now.toISOString() }).where(eq(checklistItems.id, itemId)),
    ...deleteTasks(ctx, untouched.map((t) => t.id)),
    auditInsert(ctx, { action: "checklist_item.archived", entityType: "checklist_item", entityId: itemId, before: item }),
  ]);
}

/** What publishing would make: each item's dates (with the holidays they roll off) and task counts. Sends nothing, writes nothing. */
export async function previewChecklist(ctx: ServiceContext, id: string, from?: string) {
  const { checklist, items, calendar } = await readChecklist(ctx, id);
  const org = await readOrg(ctx, checklist.branchId);
  const start = from ?? (checklist.status === "published" ? today(ctx) : `${checklist.year}-01-01`);
  try {
    const previews = items.map((item) => {
      const made = tasksForItem(ctx, calendar, checklist, item, org, start);
      return { itemId: item.id, title: item.title, occurrences: occurrences(item, checklist.year, calendar).filter((o) => o.dueDate >= start), assignees: made.doers, tasks: made.taskRows.length, unreached: unreachedTargets(item.assignees, org) };
    });
    const provisionalDates = [...new Set(previews.flatMap((p) => p.occurrences.filter((o) => o.calendarProvisional).map((o) => o.dueDate)))].sort();
    const unreached = previews.flatMap((p) => p.unreached.map((u) => ({ itemId: p.itemId, itemTitle: p.title, ...u })));
    return { checklistId: id, year: checklist.year, items: previews, tasks: previews.reduce((n, p) => n + p.tasks, 0), unreached, calendar: provisionalSummary(calendar, provisionalDates) };
  } catch (error) {
    scheduleProblem(error);
  }
}

/**
 * Publishing makes the year's tasks from `from` (default today): in one batch, or for a big
 * checklist in chunks that each fit a request to Turso, moved into place by one last batch.
 */
export async function publishChecklist(ctx: ServiceContext, id: string, from?: string) {
  const { checklist, items, calendar } = await managed(ctx, id);
  if (checklist.status !== "draft") throw conflict("checklist.already_published");
  const org = await readOrg(ctx, checklist.branchId);
  const start = from ?? today(ctx);
  const taskRows: ReturnType<typeof tasksForItem>["taskRows"] = [];
  const assigneeRows: ReturnType<typeof tasksForItem>["assigneeRows"] = [];
  const provisionalDates = new Set<string>();
  const unreached = items.flatMap((item) => unreachedTargets(item.assignees, org).map((u) => ({ itemId: item.id, itemTitle: item.title, ...u })));
  try {
    for (const item of items) {
      const made = tasksForItem(ctx, calendar, checklist, item, org, start);
      for (const t of made.taskRows) if (t.calendarProvisional) provisionalDates.add(t.dueDate);
      taskRows.push(...made.taskRows);
      assigneeRows.push(...made.assigneeRows);
    }
  } catch (error) {
    scheduleProblem(error);
  }
  const created = taskRows.length;
  const after: ChecklistRow = { ...checklist, status: "published", publishedAt: ctx.now.toISOString(), updatedAt: ctx.now.toISOString() };
  // The status guard makes a double publish create the tasks once: the second batch fails on the unique occurrence index.
  const publish = ctx.db.update(checklists).set({ status: "published", publishedAt: after.publishedAt, updatedAt: after.updatedAt }).where(and(eq(checklists.id, id), eq(checklists.status, "draft")));
  const audit = auditInsert(ctx, { action: "checklist.published", entityType: "checklist", entityId: id, before: checklist, after: { ...after, tasksCreated: created, unreached } });
  if (created > TASKS_PER_CHUNK) await publishInChunks(ctx, id, taskRows, assigneeRows, [publish, audit]);
  else await runBatch(ctx.db, [publish, ...insertTasks(ctx, taskRows, assigneeRows), audit]);
  return { checklist: after, tasksCreated: created, unreached, calendar: provisionalSummary(calendar, [...provisionalDates].sort()) };
}

/** Which of the dates shown rest on a year whose holiday arrangement is not official yet (the route words it). */
function provisionalSummary(calendar: WorkCalendar, provisionalDates: string[]) {
  const years = [...new Set(provisionalDates.map((d) => Number(d.slice(0, 4))))].filter((y) => !calendar.isOfficial(y));
  return { provisionalYears: years, provisionalDates };
}
