import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { type ChecklistItemRow, type ChecklistRow, checklistItems, checklists } from "../../db/tenant/checklists.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden, invalidField } from "../../http/problem.js";
import { auditInsert, auditInsertMany } from "../audit/service.js";
import { readChecklist } from "./service.js";

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** A single deadline moved to the same day of another year; 29 February becomes the 28th in a common year. */
export function sameDayIn(date: string, year: number): string {
  const monthDay = date.slice(5);
  return `${year}-${monthDay === "02-29" && !isLeap(year) ? "02-28" : monthDay}`;
}

/**
 * 复制上一年度清单: a draft for another year with the same modules and items — recurrences as they are,
 * single deadlines on the same day of the new year. Tasks are not copied: publishing the copy makes them.
 * Anyone who may manage the source may copy it (an archived one too: last year's list often is).
 */
export async function copyChecklist(ctx: ServiceContext, id: string, input: { year: number; title?: string }) {
  const { checklist, items, canManage } = await readChecklist(ctx, id);
  if (!canManage) throw forbidden();
  if (input.year === checklist.year) throw invalidField("year", "须为另一年度 / Must be another year");
  const stamp = ctx.now.toISOString();
  const title = input.title ?? checklist.title.replaceAll(String(checklist.year), String(input.year));
  const copy: ChecklistRow = { ...checklist, id: newId("cl", ctx.now.getTime()), title, year: input.year, status: "draft", publishedAt: null, createdBy: ctx.actor.memberId, createdAt: stamp, updatedAt: stamp };
  const copiedItems: ChecklistItemRow[] = items.map((item, index) => ({
    ...item,
    // Ids sort by time: a millisecond apart, the copies keep the source's order among equal sortOrders.
    id: newId("itm", ctx.now.getTime() + index),
    checklistId: copy.id,
    dueDate: item.dueDate ? sameDayIn(item.dueDate, input.year) : null,
    archivedAt: null,
    createdAt: stamp,
    updatedAt: stamp,
  }));
  await runBatch(ctx.db, [
    ctx.db.insert(checklists).values(copy),
    // 25 items of 23 columns is far below SQLite's parameter limit; a very long list goes in chunks.
    ...chunked(copiedItems, 200).map((chunk) => ctx.db.insert(checklistItems).values(chunk)),
    auditInsert(ctx, { action: "checklist.copied", entityType: "checklist", entityId: copy.id, after: { ...copy, copiedFrom: checklist.id } }),
    ...auditInsertMany(ctx, copiedItems.map((item) => ({ action: "checklist_item.created", entityType: "checklist_item", entityId: item.id, after: item }))),
  ]);
  return { ...copy, copiedFrom: checklist.id, items: copiedItems };
}

function chunked<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
