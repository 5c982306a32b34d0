import { eq } from "drizzle-orm";
import { isUniqueViolation, runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { pledgeEvaluations, pledges, pledgeVersions, type PledgeEvaluationRow, type PledgeOutcome, type PledgeRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { conflict, forbidden, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { detail, loadPledge } from "./access.js";
import { currentOf, inForce, notClosed, ownerOnly, reviewerOnly } from "./rules.js";
import type { EvaluationInput } from "./schemas.js";
import { weightedScore } from "./scoring.js";
import { evaluationView, scoreParts } from "./views.js";

// 评诺: evaluations (self, leader, peers) and closing with a score.

/**
 * Self by the owner; leader by a reviewer (the secretary of a branch above the pledge, or an admin),
 * never on their own pledge; peer by an active member homed or seconded in the pledge's branch, never
 * the owner. Each at most once (one self, one leader, one per peer).
 */
export async function addEvaluation(ctx: ServiceContext, id: string, input: EvaluationInput) {
  const b = await loadPledge(ctx, id);
  notClosed(b);
  inForce(b);
  if (input.kind === "self") ownerOnly(b);
  if (input.kind === "leader") reviewerOnly(b);
  if (input.kind === "peer") {
    if (b.owner) throw new ProblemError("pledge.own_pledge");
    const me = b.actorMember;
    const branchId = b.pledge.branchId;
    if (!me || me.status !== "active" || !branchId || (me.branchId !== branchId && me.secondBranchId !== branchId)) throw new ProblemError("pledge.not_peer");
  }
  const slot = input.kind === "peer" ? `peer:${ctx.actor.memberId}` : input.kind;
  if (b.evaluations.some((e) => e.slot === slot)) throw conflict("pledge.already_evaluated");
  const row: PledgeEvaluationRow = {
    id: newId("ple", ctx.now.getTime()),
    pledgeId: id,
    kind: input.kind,
    slot,
    evaluatorId: ctx.actor.memberId,
    score: input.score,
    comment: input.comment ?? null,
    createdAt: ctx.now.toISOString(),
  };
  try {
    await runBatch(ctx.db, [
      ctx.db.insert(pledgeEvaluations).values(row),
      auditInsert(ctx, { action: "pledge.evaluated", entityType: "pledge", entityId: id, after: { kind: row.kind, score: row.score, evaluationId: row.id } }),
    ]);
  } catch (error) {
    // Two submissions at once: the unique slot lets only one in.
    if (isUniqueViolation(error)) throw conflict("pledge.already_evaluated");
    throw error;
  }
  return evaluationView(row, true);
}

export async function closePledge(ctx: ServiceContext, id: string, input: { outcome: PledgeOutcome; note?: string }) {
  if (ctx.actor.role === "member") throw forbidden();
  const b = await loadPledge(ctx, id);
  reviewerOnly(b);
  notClosed(b);
  inForce(b);
  const current = currentOf(b);
  if (current.status === "submitted") throw conflict("pledge.under_review");
  const stamp = ctx.now.toISOString();
  const parts = scoreParts(b.evaluations, b.ratings);
  const score = weightedScore(b.settings.weights, parts);
  const scoreDetail = { weights: b.settings.weights, ...parts };
  const after: PledgeRow = { ...b.pledge, outcome: input.outcome, closedAt: stamp, closedBy: ctx.actor.memberId, closingNote: input.note ?? null, score, scoreDetail, updatedAt: stamp };
  const statements: Statement[] = [];
  let versions = b.versions;
  if (current.version !== b.pledge.approvedVersion && (current.status === "draft" || current.status === "returned")) {
    // An unfinished revision ends with the pledge.
    statements.push(ctx.db.update(pledgeVersions).set({ status: "withdrawn", updatedAt: stamp }).where(eq(pledgeVersions.id, current.id)));
    after.currentStatus = "withdrawn";
    versions = versions.map((x) => (x.id === current.id ? { ...x, status: "withdrawn" as const } : x));
  }
  const { id: _id, ...set } = after;
  statements.push(
    ctx.db.update(pledges).set(set).where(eq(pledges.id, id)),
    auditInsert(ctx, { action: "pledge.closed", entityType: "pledge", entityId: id, after: { outcome: after.outcome, score, scoreDetail, note: after.closingNote } }),
  );
  await runBatch(ctx.db, statements);
  return detail(ctx, { ...b, pledge: after, versions });
}
