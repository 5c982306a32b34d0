import { eq } from "drizzle-orm";
import { runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { branches, members, pledges, pledgeVersions, type PledgeRow, type PledgeVersionRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { conflict, forbidden, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { detail, type Loaded, loadPledge, today } from "./access.js";
import { checkDueInYear, checkSubmittable, checkTargetsOfKind, contentOf, currentOf, normaliseTargets, notClosed, ownerOnly, reviewerOnly, roomForVersion, type Content } from "./rules.js";
import type { PledgeCreate, PledgePatch } from "./schemas.js";
import { progressOf } from "./scoring.js";
import { settingsOf, settingsQuery } from "./settings.js";
import { pledgeDetailView, versionView } from "./views.js";

// The lifecycle: draft → submitted → approved (or returned / withdrawn), revisions, public display.

export async function createPledge(ctx: ServiceContext, input: PledgeCreate) {
  checkDueInYear(input.year, input.dueDate);
  checkTargetsOfKind(input.kind, normaliseTargets(input.targets));
  const [[me], settingsRows] = await ctx.db.batch([
    ctx.db
      .select({ name: members.name, branchId: members.branchId, branchName: branches.name })
      .from(members)
      .leftJoin(branches, eq(branches.id, members.branchId))
      .where(eq(members.id, ctx.actor.memberId)),
    settingsQuery(ctx.db),
  ]);
  if (!me) throw notFound("member.not_found");
  const stamp = ctx.now.toISOString();
  const id = newId("plg", ctx.now.getTime());
  const pledge: PledgeRow = {
    id,
    memberId: ctx.actor.memberId,
    branchId: me.branchId,
    kind: input.kind,
    year: input.year,
    currentVersion: 1,
    currentStatus: "draft",
    approvedVersion: null,
    approvedAt: null,
    dueDate: input.dueDate,
    publicDisplay: input.publicDisplay,
    progressPercent: 0,
    updateCount: 0,
    lastProgressAt: null,
    outcome: null,
    closedAt: null,
    closedBy: null,
    closingNote: null,
    score: null,
    scoreDetail: null,
    createdAt: stamp,
    updatedAt: stamp,
  };
  const version: PledgeVersionRow = {
    id: newId("plv", ctx.now.getTime()),
    pledgeId: id,
    version: 1,
    status: "draft",
    title: input.title,
    content: input.content,
    category: input.category,
    targets: normaliseTargets(input.targets),
    dueDate: input.dueDate,
    projectId: input.projectId ?? null,
    checklistId: input.checklistId ?? null,
    createdAt: stamp,
    updatedAt: stamp,
    submittedAt: null,
    reviewedAt: null,
    reviewerId: null,
    reviewNote: null,
  };
  await runBatch(ctx.db, [
    ctx.db.insert(pledges).values(pledge),
    ctx.db.insert(pledgeVersions).values(version),
    auditInsert(ctx, { action: "pledge.created", entityType: "pledge", entityId: id, after: { ...pledge, version: versionView(version) } }),
  ]);
  return pledgeDetailView(
    { pledge, shown: version, memberName: me.name, memberActive: true, branchName: me.branchName, versions: [version], updates: [], evaluations: [], ratings: { count: 0, average: null } },
    { settings: settingsOf(settingsRows), today: today(ctx), privileged: true },
  );
}

/**
 * Edits the wording. A draft changes in place; anything that has left draft is frozen, so the edit
 * becomes a new draft version: on top of a returned or withdrawn one before any approval, on top of
 * the version in force after it (which stays in force until the new one is approved).
 */
export async function editPledge(ctx: ServiceContext, id: string, patch: PledgePatch) {
  const b = await loadPledge(ctx, id);
  ownerOnly(b);
  notClosed(b);
  const p = b.pledge;
  const current = currentOf(b);
  if (current.status === "submitted") throw conflict("pledge.under_review");
  const inPlace = current.status === "draft";
  if (!inPlace) roomForVersion(b);
  const base = inPlace || current.status === "returned" || p.approvedVersion === null ? current : b.shown;
  const content: Content = {
    ...contentOf(base),
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.content !== undefined ? { content: patch.content } : {}),
    ...(patch.category !== undefined ? { category: patch.category } : {}),
    ...(patch.targets !== undefined ? { targets: normaliseTargets(patch.targets) } : {}),
    ...(patch.dueDate !== undefined ? { dueDate: patch.dueDate } : {}),
    ...(patch.projectId !== undefined ? { projectId: patch.projectId } : {}),
    ...(patch.checklistId !== undefined ? { checklistId: patch.checklistId } : {}),
  };
  checkDueInYear(p.year, content.dueDate);
  checkTargetsOfKind(p.kind, content.targets);
  const stamp = ctx.now.toISOString();
  const version: PledgeVersionRow = inPlace
    ? { ...current, ...content, updatedAt: stamp }
    : { ...content, id: newId("plv", ctx.now.getTime()), pledgeId: id, version: p.currentVersion + 1, status: "draft", createdAt: stamp, updatedAt: stamp, submittedAt: null, reviewedAt: null, reviewerId: null, reviewNote: null };
  const after: PledgeRow = { ...p, currentVersion: version.version, currentStatus: "draft", dueDate: p.approvedVersion === null ? version.dueDate : p.dueDate, updatedAt: stamp };
  await runBatch(ctx.db, [
    inPlace ? ctx.db.update(pledgeVersions).set({ ...content, updatedAt: stamp }).where(eq(pledgeVersions.id, current.id)) : ctx.db.insert(pledgeVersions).values(version),
    ctx.db.update(pledges).set({ currentVersion: after.currentVersion, currentStatus: after.currentStatus, dueDate: after.dueDate, updatedAt: stamp }).where(eq(pledges.id, id)),
    auditInsert(ctx, { action: inPlace ? "pledge.edited" : "pledge.revised", entityType: "pledge", entityId: id, before: versionView(inPlace ? current : base), after: versionView(version) }),
  ]);
  const versions = inPlace ? b.versions.map((x) => (x.id === version.id ? version : x)) : [...b.versions, version];
  const shown = versions.find((x) => x.version === (after.approvedVersion ?? after.currentVersion))!;
  return detail(ctx, { ...b, pledge: after, versions, shown });
}

/** Only a pledge never approved can go: once in force it is part of the record. */
export async function deletePledge(ctx: ServiceContext, id: string) {
  const b = await loadPledge(ctx, id);
  ownerOnly(b);
  if (b.pledge.approvedVersion !== null) throw conflict("pledge.not_deletable");
  await runBatch(ctx.db, [
    ctx.db.delete(pledgeVersions).where(eq(pledgeVersions.pledgeId, id)),
    ctx.db.delete(pledges).where(eq(pledges.id, id)),
    auditInsert(ctx, { action: "pledge.deleted", entityType: "pledge", entityId: id, before: { ...b.pledge, versions: b.versions.map(versionView) } }),
  ]);
}

/** Moves the current version to a new status, with the pledge row and an audit row, in one batch. */
async function transition(ctx: ServiceContext, b: Loaded, action: string, version: PledgeVersionRow, pledgeChanges: Partial<PledgeRow>, extra: Statement[] = []) {
  const stamp = ctx.now.toISOString();
  const after: PledgeRow = { ...b.pledge, ...pledgeChanges, currentStatus: version.status, updatedAt: stamp };
  const { id: _id, ...pledgeSet } = after;
  await runBatch(ctx.db, [
    ctx.db.update(pledgeVersions).set({ status: version.status, submittedAt: version.submittedAt, reviewedAt: version.reviewedAt, reviewerId: version.reviewerId, reviewNote: version.reviewNote, updatedAt: stamp }).where(eq(pledgeVersions.id, version.id)),
    ...extra,
    ctx.db.update(pledges).set(pledgeSet).where(eq(pledges.id, b.pledge.id)),
    auditInsert(ctx, { action, entityType: "pledge", entityId: b.pledge.id, before: { status: b.pledge.currentStatus, version: version.version }, after: { status: version.status, version: version.version, note: version.reviewNote } }),
  ]);
  const versions = b.versions.map((x) => (x.id === version.id ? version : x));
  const shown = versions.find((x) => x.version === (after.approvedVersion ?? after.currentVersion))!;
  return detail(ctx, { ...b, pledge: after, versions, shown });
}

export async function submitPledge(ctx: ServiceContext, id: string) {
  const b = await loadPledge(ctx, id);
  ownerOnly(b);
  notClosed(b);
  const current = currentOf(b);
  if (current.status !== "draft") throw conflict("pledge.invalid_transition", `只有草稿可以提交 / Only a draft can be submitted (this version is ${current.status})`);
  checkSubmittable(b.pledge.kind, current.targets);
  return transition(ctx, b, "pledge.submitted", { ...current, status: "submitted", submittedAt: ctx.now.toISOString() }, {});
}

/** Takes back what is open: a submission under review, or a draft / returned revision of a pledge in force. */
export async function withdrawPledge(ctx: ServiceContext, id: string) {
  const b = await loadPledge(ctx, id);
  ownerOnly(b);
  notClosed(b);
  const current = currentOf(b);
  const openRevision = b.pledge.approvedVersion !== null && current.version > b.pledge.approvedVersion && (current.status === "draft" || current.status === "returned");
  if (current.status !== "submitted" && !openRevision) throw conflict("pledge.invalid_transition", "没有可撤回的版本 / Nothing to withdraw");
  return transition(ctx, b, "pledge.withdrawn", { ...current, status: "withdrawn" }, {});
}

async function reviewable(ctx: ServiceContext, id: string) {
  // Reviewing is a secretary's or an admin's work: a plain member is refused before anything is read.
  if (ctx.actor.role === "member") throw forbidden();
  const b = await loadPledge(ctx, id);
  reviewerOnly(b);
  notClosed(b);
  const current = currentOf(b);
  if (current.status !== "submitted") throw conflict("pledge.invalid_transition", `没有待审核的版本 / No version awaits review (the current one is ${current.status})`);
  return { b, current };
}

export async function approvePledge(ctx: ServiceContext, id: string, note: string | undefined) {
  const { b, current } = await reviewable(ctx, id);
  const stamp = ctx.now.toISOString();
  const approved: PledgeVersionRow = { ...current, status: "approved", reviewedAt: stamp, reviewerId: ctx.actor.memberId, reviewNote: note ?? null };
  const previous = b.pledge.approvedVersion !== null ? b.versions.find((x) => x.version === b.pledge.approvedVersion) : undefined;
  const extra: Statement[] = previous ? [ctx.db.update(pledgeVersions).set({ status: "superseded", updatedAt: stamp }).where(eq(pledgeVersions.id, previous.id))] : [];
  // New targets may count the progress already reported differently.
  const progress = progressOf(approved.targets, b.updates);
  const result = await transition(ctx, previous ? { ...b, versions: b.versions.map((x) => (x.id === previous.id ? { ...x, status: "superseded" as const } : x)) } : b, "pledge.approved", approved, { approvedVersion: approved.version, approvedAt: stamp, dueDate: approved.dueDate, progressPercent: progress.percent }, extra);
  return result;
}

export async function returnPledge(ctx: ServiceContext, id: string, reason: string) {
  const { b, current } = await reviewable(ctx, id);
  return transition(ctx, b, "pledge.returned", { ...current, status: "returned", reviewedAt: ctx.now.toISOString(), reviewerId: ctx.actor.memberId, reviewNote: reason }, {});
}

/** The member's own consent to the public board; no new version, since the wording does not change. */
export async function setPublicDisplay(ctx: ServiceContext, id: string, publicDisplay: boolean) {
  const b = await loadPledge(ctx, id);
  ownerOnly(b);
  const stamp = ctx.now.toISOString();
  await runBatch(ctx.db, [
    ctx.db.update(pledges).set({ publicDisplay, updatedAt: stamp }).where(eq(pledges.id, id)),
    auditInsert(ctx, { action: "pledge.public_display_changed", entityType: "pledge", entityId: id, before: { publicDisplay: b.pledge.publicDisplay }, after: { publicDisplay } }),
  ]);
  return detail(ctx, { ...b, pledge: { ...b.pledge, publicDisplay, updatedAt: stamp } });
}
