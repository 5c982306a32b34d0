import type * as v from "valibot";
import type { FileRef } from "../files/schemas.js";
import type { PledgeEvaluationRow, PledgeRow, PledgeUpdateRow, PledgeVersionRow } from "../../db/tenant/schema.js";
import type { DerivedStatus, signaturesOut, evaluationOut, pledgeDetailOut, pledgeOut, updateOut, versionOut } from "./schemas.js";
import { average, progressOf, trendOf, weightedScore, type ScoreParts } from "./scoring.js";
import type { PledgeSettings } from "./settings.js";

/** Where the pledge stands as a whole: closed, in force (approved), or the state of its only drafts. */
export function derivedStatus(p: Pick<PledgeRow, "closedAt" | "approvedVersion" | "currentStatus">): DerivedStatus {
  if (p.closedAt) return "closed";
  if (p.approvedVersion !== null) return "approved";
  return p.currentStatus as DerivedStatus;
}

/** Past due (in the tenant's calendar) and not fulfilled: in force, not closed, targets not all met. */
export function isOverdue(p: Pick<PledgeRow, "closedAt" | "approvedVersion" | "dueDate" | "progressPercent">, today: string) {
  return !p.closedAt && p.approvedVersion !== null && p.dueDate < today && p.progressPercent < 100;
}

/** A newer version than the one in force, still open. */
export function pendingRevision(p: PledgeRow) {
  const open = p.currentStatus === "draft" || p.currentStatus === "submitted" || p.currentStatus === "returned";
  return p.approvedVersion !== null && p.currentVersion > p.approvedVersion && open ? { version: p.currentVersion, status: p.currentStatus } : null;
}

export const isPublished = (p: PledgeRow, settings: PledgeSettings, ownerActive: boolean) => settings.publicBoard && p.publicDisplay && p.approvedVersion !== null && ownerActive;

export function versionView(row: PledgeVersionRow): v.InferOutput<typeof versionOut> {
  const { id: _id, pledgeId: _pledge, ...rest } = row;
  return rest;
}

/** A 责任书's two signatures (签订), read from the version shown: submitted by the member, approved by the leader. */
export function signaturesOf(p: Pick<PledgeRow, "kind" | "memberId">, shown: PledgeVersionRow): v.InferOutput<typeof signaturesOut> {
  if (p.kind !== "responsibility_statement") return null;
  const approved = shown.status === "approved" || shown.status === "superseded";
  return {
    member: shown.submittedAt ? { memberId: p.memberId, signedAt: shown.submittedAt } : null,
    leader: approved && shown.reviewerId && shown.reviewedAt ? { memberId: shown.reviewerId, signedAt: shown.reviewedAt } : null,
  };
}

export interface ListedPledge {
  pledge: PledgeRow;
  /** The version shown: in force, or the current one before any approval. */
  shown: PledgeVersionRow;
  memberName: string | null;
  memberActive: boolean;
  branchName: string | null;
}

export function pledgeView(row: ListedPledge, opts: { settings: PledgeSettings; today: string; privileged: boolean }): v.InferOutput<typeof pledgeOut> {
  const { pledge: p, shown } = row;
  return {
    id: p.id,
    kind: p.kind,
    year: p.year,
    memberId: p.memberId,
    memberName: row.memberName,
    branchId: p.branchId,
    branchName: row.branchName,
    status: derivedStatus(p),
    version: shown.version,
    title: shown.title,
    content: shown.content,
    category: shown.category,
    targets: shown.targets,
    dueDate: shown.dueDate,
    projectId: shown.projectId,
    checklistId: shown.checklistId,
    reviewNote: shown.reviewNote,
    approvedAt: p.approvedAt,
    pendingRevision: opts.privileged ? pendingRevision(p) : null,
    publicDisplay: p.publicDisplay,
    signatures: signaturesOf(p, shown),
    published: isPublished(p, opts.settings, row.memberActive),
    overdue: isOverdue(p, opts.today),
    progress: { percent: p.progressPercent, updateCount: p.updateCount, lastUpdateAt: p.lastProgressAt },
    outcome: p.outcome,
    closedAt: p.closedAt,
    closingNote: p.closingNote,
    score: p.score,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function scoreParts(evaluations: PledgeEvaluationRow[], ratings: { count: number; average: number | null }): ScoreParts {
  const of = (kind: PledgeEvaluationRow["kind"]) => evaluations.filter((e) => e.kind === kind).map((e) => e.score);
  const peers = of("peer");
  return {
    self: of("self")[0] ?? null,
    leader: of("leader")[0] ?? null,
    peer: { count: peers.length, average: average(peers) },
    public: ratings,
  };
}

export interface PledgeBundle extends ListedPledge {
  versions: PledgeVersionRow[];
  updates: PledgeUpdateRow[];
  evaluations: PledgeEvaluationRow[];
  /** Public ratings on the 0–100 scale. */
  ratings: { count: number; average: number | null };
}

export function pledgeDetailView(b: PledgeBundle, opts: { settings: PledgeSettings; today: string; privileged: boolean }): v.InferOutput<typeof pledgeDetailOut> {
  const base = pledgeView(b, opts);
  const progress = progressOf(b.shown.targets, b.pledge.approvedVersion !== null ? b.updates : []);
  const pending = opts.privileged ? pendingRevision(b.pledge) : null;
  const revision = pending ? b.versions.find((x) => x.version === pending.version) : undefined;
  const parts = scoreParts(b.evaluations, b.ratings);
  return {
    ...base,
    progress: { ...base.progress, targets: progress.targets, trend: trendOf(b.shown.targets, b.updates) },
    revision: revision ? versionView(revision) : null,
    evaluations: { ...parts, provisionalScore: weightedScore(opts.settings.weights, parts) },
    scoreDetail: b.pledge.scoreDetail ?? null,
  };
}

/** Each update with the percent it brought the pledge to, and its photos (`files`, by update id, signed for the reader). */
export function updateViews(targets: PledgeVersionRow["targets"], updates: PledgeUpdateRow[], files: Map<string, FileRef[]> = new Map()): v.InferOutput<typeof updateOut>[] {
  const trend = trendOf(targets, updates);
  return updates.map((u, i) => ({
    id: u.id,
    version: u.version,
    authorId: u.authorId,
    note: u.note,
    progress: u.progress,
    attachments: u.attachments,
    createdAt: u.createdAt,
    percent: trend[i]!.percent,
    files: files.get(u.id) ?? [],
  }));
}

export function evaluationView(row: PledgeEvaluationRow, showEvaluator: boolean): v.InferOutput<typeof evaluationOut> {
  return { id: row.id, kind: row.kind, evaluatorId: showEvaluator ? row.evaluatorId : null, score: row.score, comment: row.comment, createdAt: row.createdAt };
}
