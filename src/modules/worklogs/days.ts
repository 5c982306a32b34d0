import { and, eq, sql } from "drizzle-orm";
import { isUniqueViolation, runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import { type WorklogItem, worklogClosedMonths, worklogCorrections, worklogEntries } from "../../db/tenant/worklogs.js";
import type { ServiceContext } from "../../http/env.js";
import { conflict, invalidField, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { today } from "../checklists/service.js";
import { attachableFiles, fileLinkWrites, refsByEntity } from "../files/attach.js";
import { monthOfDate, workingDatesOf } from "./month.js";
import { rollupWrite } from "./rollup.js";
import type { CorrectionBody, DayBody, WorklogItemBody } from "./schemas.js";
import { type WorklogRules, worklogRulesOf, worklogSettingsQuery } from "./settings.js";

/**
 * Writing one's own day. While the month is open the day is edited in place (each edit audited, with
 * its before); once the bureau has closed the month the day only takes corrections, appended with a
 * reason and kept in order (有痕可查, as project logs are). Either way: one read batch that decides,
 * one write batch that writes the day, its files, the month's rollup and the audit row.
 */

const NOT_AFTER_TODAY = "不能填写今天以后的日志 / Cannot write a day after today";

function checkItems(rules: WorklogRules, kind: "work" | "leave", items: WorklogItemBody[]) {
  if (kind === "work" && items.length === 0) throw invalidField("items", "至少写一件事 / Write at least one item");
  const known = new Set(rules.categories.map((c) => c.key));
  items.forEach((item, i) => {
    if (!known.has(item.category)) throw invalidField(`items.${i}.category`, "没有这个分类 / No such category");
  });
  const hours = items.reduce((n, i) => n + (i.hours ?? 0), 0);
  if (hours > 24) throw invalidField("items", "一天的工时合计不超过 24 小时 / The day's hours add up to at most 24");
  return items.some((i) => i.hours !== null) ? hours : null;
}

const toItems = (items: WorklogItemBody[]): WorklogItem[] => items.map((i) => ({ text: i.text, category: i.category, hours: i.hours ?? null, place: i.place ?? null, fileIds: i.fileIds }));

/** The read batch both writes start with: rules, calendar, whether the month is closed, the day as it stands, and the offered files. */
function readForWrite(ctx: ServiceContext, date: string, items: WorklogItemBody[]) {
  return ctx.db.batch([
    worklogSettingsQuery(ctx.db),
    overridesQuery(ctx.db),
    ctx.db.select().from(worklogClosedMonths).where(eq(worklogClosedMonths.month, monthOfDate(date))),
    ctx.db
      .select({ id: worklogEntries.id, kind: worklogEntries.kind, items: worklogEntries.items, hours: worklogEntries.hours, seq: sql<number>`(SELECT coalesce(max(seq), 0) FROM worklog_corrections c WHERE c.entry_id = "worklog_entries"."id")` })
      .from(worklogEntries)
      .where(and(eq(worklogEntries.memberId, ctx.actor.memberId), eq(worklogEntries.date, date))),
    attachableFiles(ctx, items.flatMap((i) => i.fileIds)),
  ]);
}

/** Each item's photos, linked to the day (their reader is whoever may read the member's log); a 400 names the item. */
function linkItemFiles(ctx: ServiceContext, found: Awaited<ReturnType<typeof readForWrite>>[4], entryId: string, items: WorklogItemBody[]) {
  const statements: Statement[] = [];
  const refRows = [];
  for (const [i, item] of items.entries()) {
    const links = fileLinkWrites(ctx, found, item.fileIds, { entityType: "worklog_entry", entityId: entryId, scopeType: "worklog", scopeId: ctx.actor.memberId }, `items.${i}.fileIds`);
    statements.push(...links.statements);
    refRows.push(...links.refRows);
  }
  return { statements, refRows };
}

/** Write (or, while the month is open, rewrite) the actor's own day. */
export async function writeDay(ctx: ServiceContext, date: string, input: DayBody) {
  if (date > today(ctx)) throw invalidField("date", NOT_AFTER_TODAY);
  const [settings, overrides, closed, [existing], offered] = await readForWrite(ctx, date, input.items);
  if (closed[0]) throw conflict("worklog.month_closed");
  const hours = checkItems(worklogRulesOf(settings), input.kind, input.items);
  const items = toItems(input.items);
  const stamp = ctx.now.toISOString();
  const id = existing?.id ?? newId("wle", ctx.now.getTime());
  const links = linkItemFiles(ctx, offered, id, input.items);
  const month = monthOfDate(date);
  const workingDates = workingDatesOf(tenantCalendar(ctx.nationalCalendar, overrides), month);
  const after = { memberId: ctx.actor.memberId, date, kind: input.kind, items, hours };
  try {
    await runBatch(ctx.db, [
      existing
        ? ctx.db.update(worklogEntries).set({ kind: input.kind, items, hours, updatedAt: stamp }).where(eq(worklogEntries.id, existing.id))
        : ctx.db.insert(worklogEntries).values({ id, ...after, createdAt: stamp, updatedAt: stamp }),
      ...links.statements,
      rollupWrite(ctx.db, ctx.actor.memberId, month, workingDates, stamp),
      auditInsert(ctx, { action: existing ? "worklog_entry.updated" : "worklog_entry.created", entityType: "worklog_entry", entityId: id, before: existing ? { kind: existing.kind, items: existing.items, hours: existing.hours } : null, after }),
    ]);
  } catch (error) {
    // The same day written twice at once (two phones): the first one in wins, the second is told to reload.
    if (isUniqueViolation(error)) throw conflict("worklog.correction_conflict");
    throw error;
  }
  return { id, ...after, corrections: existing?.seq ?? 0, files: (await refsByEntity(ctx, links.refRows)).get(id) ?? [], createdAt: stamp, updatedAt: stamp, created: !existing };
}

/** After the month closed: append a correction to the actor's own day, with its reason. */
export async function correctDay(ctx: ServiceContext, date: string, input: CorrectionBody) {
  const [settings, overrides, closed, [existing], offered] = await readForWrite(ctx, date, input.items);
  if (!existing) throw notFound("worklog_entry.not_found");
  if (!closed[0]) throw conflict("worklog.month_open");
  const hours = checkItems(worklogRulesOf(settings), input.kind, input.items);
  const items = toItems(input.items);
  const stamp = ctx.now.toISOString();
  const seq = Number(existing.seq) + 1;
  const correction = { id: newId("wlx", ctx.now.getTime()), entryId: existing.id, seq, kind: input.kind, items, hours, reason: input.reason, authorId: ctx.actor.memberId, createdAt: stamp };
  const links = linkItemFiles(ctx, offered, existing.id, input.items);
  const month = monthOfDate(date);
  try {
    await runBatch(ctx.db, [
      ctx.db.insert(worklogCorrections).values(correction),
      ...links.statements,
      rollupWrite(ctx.db, ctx.actor.memberId, month, workingDatesOf(tenantCalendar(ctx.nationalCalendar, overrides), month), stamp),
      auditInsert(ctx, { action: "worklog_entry.corrected", entityType: "worklog_entry", entityId: existing.id, before: { seq: seq - 1 }, after: correction }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("worklog.correction_conflict");
    throw error;
  }
  return { ...correction, files: (await refsByEntity(ctx, links.refRows)).get(existing.id) ?? [] };
}
