import { eq } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { pledges, pledgeUpdates, type PledgeUpdateRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { invalidField } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { attachableFiles, fileLinkWrites, refsByEntity } from "../files/attach.js";
import { loadPledge } from "./access.js";
import { inForce, notClosed, ownerOnly, roomForUpdate } from "./rules.js";
import type { UpdateInput } from "./schemas.js";
import { progressOf } from "./scoring.js";
import { updateViews } from "./views.js";

// 践诺: the owner reports progress on the version in force.

export async function addUpdate(ctx: ServiceContext, id: string, input: UpdateInput) {
  const [b, offered] = await Promise.all([loadPledge(ctx, id), input.fileIds.length ? attachableFiles(ctx, input.fileIds) : []]);
  ownerOnly(b);
  notClosed(b);
  inForce(b);
  roomForUpdate(b);
  const targets = new Map(b.shown.targets.map((t) => [t.id, t]));
  input.progress.forEach((entry, i) => {
    const target = targets.get(entry.targetId);
    if (!target) throw invalidField(`progress.${i}.targetId`, "承诺中没有该目标 / No such target in the pledge");
    if (target.type !== "quantity" && entry.done === undefined) throw invalidField(`progress.${i}.done`, "完成型目标和条款请用 done / A done/not-done target or a clause takes `done`");
    if (target.type === "quantity" && entry.amount === undefined && entry.total === undefined) throw invalidField(`progress.${i}.amount`, "数量型目标请用 amount（本次增加）或 total（累计总数） / A quantity target takes `amount` (an increment) or `total` (the new running total)");
  });
  const stamp = ctx.now.toISOString();
  const row: PledgeUpdateRow = {
    id: newId("plu", ctx.now.getTime()),
    pledgeId: id,
    version: b.shown.version,
    authorId: ctx.actor.memberId,
    note: input.note,
    progress: input.progress.map((p) => (p.amount !== undefined ? { targetId: p.targetId, amount: p.amount } : p.total !== undefined ? { targetId: p.targetId, total: p.total } : { targetId: p.targetId, done: p.done! })),
    attachments: input.attachments.map((a) => ({ url: a.url, name: a.name ?? null })),
    createdAt: stamp,
  };
  const updates = [...b.updates, row];
  const percent = progressOf(b.shown.targets, updates).percent;
  // Photos are read by whoever may read the pledge (its scope), like the update itself.
  const links = fileLinkWrites(ctx, offered, input.fileIds, { entityType: "pledge_update", entityId: row.id, scopeType: "pledge", scopeId: id });
  await runBatch(ctx.db, [
    ctx.db.insert(pledgeUpdates).values(row),
    ...links.statements,
    ctx.db.update(pledges).set({ progressPercent: percent, updateCount: updates.length, lastProgressAt: stamp, updatedAt: stamp }).where(eq(pledges.id, id)),
    auditInsert(ctx, { action: "pledge.progress_reported", entityType: "pledge", entityId: id, after: { updateId: row.id, percent, progress: row.progress, fileIds: input.fileIds } }),
  ]);
  return updateViews(b.shown.targets, updates, await refsByEntity(ctx, links.refRows)).at(-1)!;
}
