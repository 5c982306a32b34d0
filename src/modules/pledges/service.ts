import { and, asc, desc, eq, isNotNull, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { isUniqueViolation, runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import {
  branches,
  members,
  pledgeEvaluations,
  pledgePublicRatings,
  pledges,
  pledgeUpdates,
  pledgeVersions,
  type PledgeEvaluationRow,
  type PledgeOutcome,
  type PledgeRow,
  type PledgeTarget,
  type PledgeUpdateRow,
  type PledgeVersionRow,
} from "../../db/tenant/schema.js";
import { localDate } from "../../calendar/zoned.js";
import type { Actor, ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { conflict, forbidden, invalidField, notFound, ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { inScope, scopeOf, scopeQuery, type Scope } from "../branches/scope.js";
import type { EvaluationInput, PledgeCreate, PledgeListQuery, PledgePatch, TargetInput, UpdateInput } from "./schemas.js";
import { progressOf, starsToScore, weightedScore } from "./scoring.js";
import { type PledgeSettings, settingsOf, settingsQuery } from "./settings.js";
import { evaluationView, type PledgeBundle, pledgeDetailView, pledgeView, scoreParts, updateViews, versionView } from "./views.js";

// ---------------------------------------------------------------- reading

/** The version a pledge shows: the one in force, or before any approval the current one. */
const shownVersion = sql`coalesce(${pledges.approvedVersion}, ${pledges.currentVersion})`;

// Ids contain "_" (a LIKE wildcard), so subtrees match with GLOB on the materialised path.
const ledSubtreeIds = (memberId: string) => sql`(SELECT b.id FROM ${branches} b JOIN ${branches} s ON b.path GLOB s.path || '*' WHERE s.secretary_id = ${memberId})`;
const subtreeIds = (branchId: string) => sql`(SELECT b.id FROM ${branches} b WHERE b.path GLOB (SELECT r.path FROM ${branches} r WHERE r.id = ${branchId}) || '*')`;

/**
 * Which pledges an actor may read, as one SQL condition: an admin all; anyone their own and every
 * approved pledge of the tenant (approval makes a pledge public inside the bureau); a secretary also
 * everything homed in the subtrees they lead, drafts included.
 */
export function visiblePledges(actor: Actor): SQL | undefined {
  if (actor.role === "admin") return undefined;
  const conditions = [eq(pledges.memberId, actor.memberId), isNotNull(pledges.approvedVersion)];
  if (actor.role === "secretary") conditions.push(sql`${pledges.branchId} IN ${ledSubtreeIds(actor.memberId)}`);
  return or(...conditions);
}

/** Submitted versions the actor should act on: an admin's all, a secretary's in their subtrees (not their own), a member's own. */
function awaitingReviewOf(actor: Actor): SQL | undefined {
  const submitted = eq(pledges.currentStatus, "submitted");
  if (actor.role === "admin") return submitted;
  if (actor.role === "secretary") return and(submitted, sql`${pledges.branchId} IN ${ledSubtreeIds(actor.memberId)}`, ne(pledges.memberId, actor.memberId));
  return and(submitted, eq(pledges.memberId, actor.memberId));
}

const overdueCondition = (today: string) =>
  and(isNull(pledges.closedAt), isNotNull(pledges.approvedVersion), lt(pledges.dueDate, today), lt(pledges.progressPercent, 100));

function statusCondition(status: PledgeListQuery["status"]): SQL | undefined {
  if (status === undefined) return undefined;
  if (status === "closed") return isNotNull(pledges.closedAt);
  if (status === "approved") return and(isNull(pledges.closedAt), isNotNull(pledges.approvedVersion));
  return and(isNull(pledges.approvedVersion), eq(pledges.currentStatus, status));
}

const today = (ctx: Pick<ServiceContext, "now" | "tenant">) => localDate(ctx.now, ctx.tenant.timezone);

const listedColumns = {
  pledge: pledges,
  shown: pledgeVersions,
  memberName: members.name,
  memberStatus: members.status,
  branchName: branches.name,
  branchPath: branches.path,
};

export async function listPledges(ctx: ServiceContext, q: PledgeListQuery) {
  const after = decodeCursor(q.cursor, 1);
  const day = today(ctx);
  const [rows, led, settingsRows] = await ctx.db.batch([
    ctx.db
      .select(listedColumns)
      .from(pledges)
      .innerJoin(pledgeVersions, and(eq(pledgeVersions.pledgeId, pledges.id), eq(pledgeVersions.version, shownVersion)))
      .leftJoin(members, eq(members.id, pledges.memberId))
      .leftJoin(branches, eq(branches.id, pledges.branchId))
      .where(
        and(
          visiblePledges(ctx.actor),
          q.year !== undefined ? eq(pledges.year, q.year) : undefined,
          q.kind ? eq(pledges.kind, q.kind) : undefined,
          q.category ? eq(pledgeVersions.category, q.category) : undefined,
          statusCondition(q.status),
          q.memberId ? eq(pledges.memberId, q.memberId) : undefined,
          q.branchId ? sql`${pledges.branchId} IN ${subtreeIds(q.branchId)}` : undefined,
          q.mine ? eq(pledges.memberId, ctx.actor.memberId) : undefined,
          q.mine === false ? ne(pledges.memberId, ctx.actor.memberId) : undefined,
          q.overdue ? overdueCondition(day) : undefined,
          q.overdue === false ? sql`NOT (${overdueCondition(day)})` : undefined,
          q.awaitingReview ? awaitingReviewOf(ctx.actor) : undefined,
          after ? lt(pledges.id, after[0]!) : undefined,
        ),
      )
      .orderBy(desc(pledges.id))
      .limit(q.limit + 1),
    scopeQuery(ctx),
    settingsQuery(ctx.db),
  ]);
  const scope = scopeOf(ctx.actor, led);
  const settings = settingsOf(settingsRows);
  const result = page(rows, q.limit, (r) => [r.pledge.id]);
  return {
    data: result.data.map((r) =>
      pledgeView(
        { ...r, memberActive: r.memberStatus !== "disabled" },
        { settings, today: day, privileged: r.pledge.memberId === ctx.actor.memberId || inScope(scope, r.branchPath) },
      ),
    ),
    nextCursor: result.nextCursor,
  };
}

interface Loaded extends PledgeBundle {
  branchPath: string | null;
  scope: Scope;
  settings: PledgeSettings;
  actorMember: { branchId: string | null; secondBranchId: string | null; status: string } | undefined;
  /** Owner, reviewer (in scope, not the owner), and whether the actor may read it at all. */
  owner: boolean;
  reviewer: boolean;
  privileged: boolean;
}

/** Everything one pledge's reads and rules need, in one round trip. */
async function loadPledge(ctx: ServiceContext, id: string): Promise<Loaded> {
  const [rows, versions, updates, evaluations, ratings, led, settingsRows, actorRows] = await ctx.db.batch([
    ctx.db
      .select({ pledge: pledges, memberName: members.name, memberStatus: members.status, branchName: branches.name, branchPath: branches.path })
      .from(pledges)
      .leftJoin(members, eq(members.id, pledges.memberId))
      .leftJoin(branches, eq(branches.id, pledges.branchId))
      .where(eq(pledges.id, id)),
    ctx.db.select().from(pledgeVersions).where(eq(pledgeVersions.pledgeId, id)).orderBy(asc(pledgeVersions.version)),
    ctx.db.select().from(pledgeUpdates).where(eq(pledgeUpdates.pledgeId, id)).orderBy(asc(pledgeUpdates.id)),
    ctx.db.select().from(pledgeEvaluations).where(eq(pledgeEvaluations.pledgeId, id)).orderBy(asc(pledgeEvaluations.id)),
    ctx.db
      .select({ count: sql<number>`count(*)`.mapWith(Number), stars: sql<number | null>`avg(${pledgePublicRatings.stars})` })
      .from(pledgePublicRatings)
      .where(eq(pledgePublicRatings.pledgeId, id)),
    scopeQuery(ctx),
    settingsQuery(ctx.db),
    ctx.db.select({ branchId: members.branchId, secondBranchId: members.secondBranchId, status: members.status }).from(members).where(eq(members.id, ctx.actor.memberId)),
  ]);
  const row = rows[0];
  if (!row) throw notFound("pledge.not_found");
  const p = row.pledge;
  const scope = scopeOf(ctx.actor, led);
  const owner = p.memberId === ctx.actor.memberId;
  const inScopeOf = inScope(scope, row.branchPath);
  if (!owner && !inScopeOf && p.approvedVersion === null) throw notFound("pledge.not_found");
  const shown = versions.find((x) => x.version === (p.approvedVersion ?? p.currentVersion));
  if (!shown) throw new Error(`pledge ${id} has no version ${p.approvedVersion ?? p.currentVersion}`);
  const stars = ratings[0]?.stars;
  return {
    pledge: p,
    shown,
    memberName: row.memberName,
    memberActive: row.memberStatus !== "disabled",
    branchName: row.branchName,
    branchPath: row.branchPath,
    versions,
    updates,
    evaluations,
    ratings: { count: ratings[0]?.count ?? 0, average: stars === null || stars === undefined ? null : Math.round(starsToScore(Number(stars)) * 10) / 10 },
    scope,
    settings: settingsOf(settingsRows),
    actorMember: actorRows[0],
    owner,
    reviewer: inScopeOf && !owner,
    privileged: owner || inScopeOf,
  };
}

const detail = (ctx: ServiceContext, b: Loaded) => pledgeDetailView(b, { settings: b.settings, today: today(ctx), privileged: b.privileged });

export async function getPledge(ctx: ServiceContext, id: string) {
  return detail(ctx, await loadPledge(ctx, id));
}

/** Every version to the owner and reviewers; to other readers only the versions that were in force. */
export async function listVersions(ctx: ServiceContext, id: string) {
  const b = await loadPledge(ctx, id);
  const versions = b.privileged ? b.versions : b.versions.filter((x) => x.status === "approved" || x.status === "superseded");
  return { data: versions.map(versionView) };
}

export async function listUpdates(ctx: ServiceContext, id: string) {
  const b = await loadPledge(ctx, id);
  return { data: updateViews(b.shown.targets, b.updates) };
}

export async function listEvaluations(ctx: ServiceContext, id: string) {
  const b = await loadPledge(ctx, id);
  // Peers rate in confidence: who gave a peer rating is for the reviewers (and the rater), never the owner.
  const seesPeers = b.reviewer || (ctx.actor.role === "admin" && !b.owner);
  return { data: b.evaluations.map((e) => evaluationView(e, e.kind !== "peer" || seesPeers || e.evaluatorId === ctx.actor.memberId)) };
}

// ---------------------------------------------------------------- rules shared by the writes

const ownerOnly = (b: Loaded) => {
  if (!b.owner) throw forbidden();
};
const reviewerOnly = (b: Loaded) => {
  if (b.owner) throw new ProblemError(403, "pledge.own_pledge");
  if (!b.reviewer) throw forbidden();
};
const notClosed = (b: Loaded) => {
  if (b.pledge.closedAt) throw conflict("pledge.closed");
};
const inForce = (b: Loaded) => {
  if (b.pledge.approvedVersion === null) throw conflict("pledge.not_approved");
};
const currentOf = (b: Loaded) => b.versions.find((x) => x.version === b.pledge.currentVersion)!;

/** Targets without an id are numbered t1, t2, … by position, so resending the same list keeps their progress. */
export function normaliseTargets(input: TargetInput[]): PledgeTarget[] {
  const taken = new Set(input.map((t) => t.id).filter((id): id is string => id !== undefined));
  let n = 0;
  const next = () => {
    let id: string;
    do id = `t${++n}`;
    while (taken.has(id));
    taken.add(id);
    return id;
  };
  return input.map((t) => ({
    id: t.id ?? next(),
    title: t.title,
    type: t.type,
    amount: t.type === "quantity" ? t.amount : null,
    unit: t.type === "quantity" ? t.unit : null,
  }));
}

function checkDueInYear(year: number, dueDate: string) {
  if (Number(dueDate.slice(0, 4)) !== year) throw invalidField("dueDate", `截止日期须在 ${year} 年内 / The due date must fall in ${year}`);
}

type Content = Pick<PledgeVersionRow, "title" | "content" | "category" | "targets" | "dueDate" | "projectId" | "checklistId">;
const contentOf = (v: PledgeVersionRow): Content => ({ title: v.title, content: v.content, category: v.category, targets: v.targets, dueDate: v.dueDate, projectId: v.projectId, checklistId: v.checklistId });

// ---------------------------------------------------------------- the lifecycle

export async function createPledge(ctx: ServiceContext, input: PledgeCreate) {
  checkDueInYear(input.year, input.dueDate);
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
  if (current.targets.length === 0) throw conflict("pledge.incomplete");
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

// ---------------------------------------------------------------- 践诺: progress

export async function addUpdate(ctx: ServiceContext, id: string, input: UpdateInput) {
  const b = await loadPledge(ctx, id);
  ownerOnly(b);
  notClosed(b);
  inForce(b);
  const targets = new Map(b.shown.targets.map((t) => [t.id, t]));
  input.progress.forEach((entry, i) => {
    const target = targets.get(entry.targetId);
    if (!target) throw invalidField(`progress.${i}.targetId`, "承诺中没有该目标 / No such target in the pledge");
    if (target.type === "done" && entry.done === undefined) throw invalidField(`progress.${i}.done`, "完成型目标请用 done / A done/not-done target takes `done`");
    if (target.type === "quantity" && entry.amount === undefined) throw invalidField(`progress.${i}.amount`, "数量型目标请用 amount / A quantity target takes `amount`");
  });
  const stamp = ctx.now.toISOString();
  const row: PledgeUpdateRow = {
    id: newId("plu", ctx.now.getTime()),
    pledgeId: id,
    version: b.shown.version,
    authorId: ctx.actor.memberId,
    note: input.note,
    progress: input.progress.map((p) => (p.amount !== undefined ? { targetId: p.targetId, amount: p.amount } : { targetId: p.targetId, done: p.done! })),
    attachments: input.attachments.map((a) => ({ url: a.url, name: a.name ?? null })),
    createdAt: stamp,
  };
  const updates = [...b.updates, row];
  const percent = progressOf(b.shown.targets, updates).percent;
  await runBatch(ctx.db, [
    ctx.db.insert(pledgeUpdates).values(row),
    ctx.db.update(pledges).set({ progressPercent: percent, updateCount: updates.length, lastProgressAt: stamp, updatedAt: stamp }).where(eq(pledges.id, id)),
    auditInsert(ctx, { action: "pledge.progress_reported", entityType: "pledge", entityId: id, after: { updateId: row.id, percent, progress: row.progress } }),
  ]);
  return updateViews(b.shown.targets, updates).at(-1)!;
}

// ---------------------------------------------------------------- 评诺: evaluations and closing

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
    if (b.owner) throw new ProblemError(403, "pledge.own_pledge");
    const me = b.actorMember;
    const branchId = b.pledge.branchId;
    if (!me || me.status !== "active" || !branchId || (me.branchId !== branchId && me.secondBranchId !== branchId)) throw new ProblemError(403, "pledge.not_peer");
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

// ---------------------------------------------------------------- for the reminders issue

/**
 * Pledges in force, not closed, past due on `today` (YYYY-MM-DD in the tenant's zone) with targets
 * not all met: what the reminder job nags the owner about. Oldest due first.
 */
export async function overduePledges(ctx: { db: TenantDb }, today: string) {
  const rows = await ctx.db
    .select({ pledgeId: pledges.id, memberId: pledges.memberId, branchId: pledges.branchId, kind: pledges.kind, title: pledgeVersions.title, dueDate: pledges.dueDate, progressPercent: pledges.progressPercent })
    .from(pledges)
    .innerJoin(pledgeVersions, and(eq(pledgeVersions.pledgeId, pledges.id), eq(pledgeVersions.version, pledges.approvedVersion)))
    .where(overdueCondition(today))
    .orderBy(asc(pledges.dueDate), asc(pledges.id));
  const dayMs = 86_400_000;
  return rows.map((r) => ({ ...r, daysOverdue: Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${r.dueDate}T00:00:00Z`)) / dayMs) }));
}

/**
 * Versions submitted and not yet reviewed, oldest first, each with who may review it: the
 * secretaries of the pledge's branch and of the branches above it (never the owner). Admins may
 * review everything and are not listed.
 */
export async function pledgesAwaitingReview(ctx: { db: TenantDb }) {
  const [rows, led] = await ctx.db.batch([
    ctx.db
      .select({ pledgeId: pledges.id, memberId: pledges.memberId, branchId: pledges.branchId, branchPath: branches.path, version: pledges.currentVersion, title: pledgeVersions.title, submittedAt: pledgeVersions.submittedAt })
      .from(pledges)
      .innerJoin(pledgeVersions, and(eq(pledgeVersions.pledgeId, pledges.id), eq(pledgeVersions.version, pledges.currentVersion)))
      .leftJoin(branches, eq(branches.id, pledges.branchId))
      .where(eq(pledges.currentStatus, "submitted"))
      .orderBy(asc(pledgeVersions.submittedAt), asc(pledges.id)),
    ctx.db.select({ path: branches.path, secretaryId: branches.secretaryId }).from(branches).where(isNotNull(branches.secretaryId)),
  ]);
  return rows.map(({ branchPath, ...r }) => ({
    ...r,
    submittedAt: r.submittedAt!,
    reviewerIds: [...new Set(led.filter((l) => branchPath && branchPath.startsWith(l.path) && l.secretaryId !== r.memberId).map((l) => l.secretaryId!))],
  }));
}
