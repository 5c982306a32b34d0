import { and, asc, count, eq, isNull, or, sql } from "drizzle-orm";
import { isUniqueViolation, runBatch, type Statement } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { apiTokens, branches, invitations, members, refreshTokens, type MemberRow, type MemberStatus, type Role } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { conflict, forbidden, invalidField, notFound, ProblemError } from "../../http/problem.js";
import type { AppConfig } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { inScope, scopeOf, scopeQuery, visibleMembers } from "../branches/scope.js";
import { newInvitation } from "./invitations.js";
import { type InviteInput, type MemberPatch, needsLogin } from "./schemas.js";
import { memberView } from "./views.js";

export const ROLE_RANK: Record<Role, number> = { member: 0, secretary: 1, admin: 2 };

export async function listMembers(ctx: ServiceContext, q: { limit: number; cursor?: string; branchId?: string; role?: Role; status?: MemberStatus; q?: string }) {
  const after = decodeCursor(q.cursor, 2);
  const search = q.q ? memberSearch(q.q) : undefined;
  const rows = await ctx.db
    .select()
    .from(members)
    .where(
      and(
        visibleMembers(ctx.actor),
        q.branchId ? or(eq(members.branchId, q.branchId), eq(members.secondBranchId, q.branchId)) : undefined,
        q.role ? eq(members.role, q.role) : undefined,
        q.status ? eq(members.status, q.status) : undefined,
        search,
        after ? sql`(${members.name}, ${members.id}) > (${after[0]}, ${after[1]})` : undefined,
      ),
    )
    .orderBy(asc(members.name), asc(members.id))
    .limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => [r.name, r.id]);
  return { data: result.data.map(memberView), nextCursor: result.nextCursor };
}

/**
 * Name, email or phone contain the words; or, for letters only, the pinyin initials start a word of
 * them (马西 → "mx", and "m" finds every 马/孟…). Initials are stored per member by the console.
 */
function memberSearch(words: string) {
  const like = `%${words.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const text = sql`${members.name} LIKE ${like} ESCAPE '\\' OR ${members.email} LIKE ${like} ESCAPE '\\' OR ${members.phone} LIKE ${like} ESCAPE '\\'`;
  const letters = words.toLowerCase().replace(/\s+/g, "");
  if (!/^[a-z]{1,20}$/.test(letters)) return sql`(${text})`;
  // GLOB is case-sensitive and has no escape troubles for [a-z]; initials are stored lower case.
  return sql`(${text} OR ' ' || ${members.nameInitials} GLOB ${`* ${letters}*`})`;
}

export async function getMember(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select().from(members).where(and(eq(members.id, id), visibleMembers(ctx.actor))).limit(1);
  if (!row) throw notFound("member.not_found");
  return memberView(row);
}

/** One round trip for what a member write checks: the target, the named branches, the actor's scope, the admin count. */
async function readForWrite(ctx: ServiceContext, ids: { memberId?: string; branchId?: string | null; secondBranchId?: string | null }) {
  const noBranch = ctx.db.select().from(branches).where(sql`0`);
  const [target, home, second, led, admins] = await ctx.db.batch([
    ctx.db.select({ member: members, homePath: branches.path }).from(members).leftJoin(branches, eq(branches.id, members.branchId)).where(eq(members.id, ids.memberId ?? "")),
    ids.branchId ? ctx.db.select().from(branches).where(eq(branches.id, ids.branchId)) : noBranch,
    ids.secondBranchId ? ctx.db.select().from(branches).where(eq(branches.id, ids.secondBranchId)) : noBranch,
    scopeQuery(ctx),
    ctx.db.select({ n: count() }).from(members).where(and(eq(members.role, "admin"), eq(members.status, "active"))),
  ]);
  if (ids.branchId && !home[0]) throw invalidField("branchId", "组织不存在 / No such branch");
  if (ids.secondBranchId && !second[0]) throw invalidField("secondBranchId", "组织不存在 / No such branch");
  return { target: target[0]?.member, targetHome: target[0]?.homePath ?? null, home: home[0], second: second[0], scope: scopeOf(ctx.actor, led), activeAdmins: admins[0]?.n ?? 0 };
}

/** Until the signup email is confirmed a bureau invites nobody (an anonymous signup must not send mail to strangers). */
const requireConfirmed = (ctx: ServiceContext) => {
  if (!ctx.tenant.confirmed) throw new ProblemError("tenant.unconfirmed");
};

export async function inviteMember(ctx: ServiceContext, config: AppConfig, input: InviteInput) {
  if (ctx.actor.role === "member") throw forbidden();
  requireConfirmed(ctx);
  const { home, second, scope } = await readForWrite(ctx, { branchId: input.branchId, secondBranchId: input.secondBranchId });
  // A secretary brings plain members into their own subtree; roles above that are the bureau's call.
  if (scope !== "all" && (input.role !== "member" || !inScope(scope, home?.path))) throw forbidden();
  if (scope !== "all" && input.secondBranchId && !inScope(scope, second?.path)) throw forbidden();
  const row = invitedMemberRow(ctx.now, { ...input, branchId: input.branchId ?? null, secondBranchId: input.secondBranchId ?? null });
  const { insert, invitation } = await newInvitation(ctx.db, config, ctx.tenant.id, row.id, ctx.actor.memberId, ctx.now);
  try {
    await runBatch(ctx.db, [ctx.db.insert(members).values(row), insert, auditInsert(ctx, { action: "member.invited", entityType: "member", entityId: row.id, after: memberView(row) })]);
  } catch (error) {
    throw loginTaken(error);
  }
  return { member: memberView(row), invitation };
}

/** A member invited (one by one or by an import): no password, no session yet, until the invitation is accepted. */
export function invitedMemberRow(now: Date, fields: Pick<MemberRow, "name" | "role" | "branchId" | "secondBranchId"> & { email?: string | null; phone?: string | null; nameInitials?: string | null }): MemberRow {
  const stamp = now.toISOString();
  return {
    id: newId("mem", now.getTime()),
    email: fields.email ?? null,
    name: fields.name,
    nameInitials: fields.nameInitials ?? null,
    role: fields.role,
    status: "invited",
    branchId: fields.branchId,
    secondBranchId: fields.secondBranchId,
    passwordHash: null,
    phone: fields.phone ?? null,
    locale: null,
    createdAt: stamp,
    updatedAt: stamp,
    lastLoginAt: null,
    sessionVersion: 0,
    unsubscribeVersion: 0,
  };
}

/** Email and phone are each unique in a tenant: a clash on write says which one. */
export function loginTaken(error: unknown) {
  if (!isUniqueViolation(error)) return error;
  return conflict(/phone/.test(String((error as Error).message) + String((error as { cause?: Error }).cause?.message)) ? "member.phone_taken" : "member.email_taken");
}

/** A new link for someone who has not accepted yet; earlier links stop working. */
export async function reinviteMember(ctx: ServiceContext, config: AppConfig, id: string) {
  if (ctx.actor.role === "member") throw forbidden();
  requireConfirmed(ctx);
  const { target, targetHome, scope } = await readForWrite(ctx, { memberId: id });
  if (!target) throw notFound("member.not_found");
  if (scope !== "all" && !inScope(scope, targetHome)) throw notFound("member.not_found");
  if (target.status !== "invited") throw new ProblemError("invitation.not_pending");
  const { insert, invitation } = await newInvitation(ctx.db, config, ctx.tenant.id, id, ctx.actor.memberId, ctx.now);
  await runBatch(ctx.db, [
    ctx.db.update(invitations).set({ revokedAt: ctx.now.toISOString() }).where(and(eq(invitations.memberId, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
    insert,
    auditInsert(ctx, { action: "member.reinvited", entityType: "member", entityId: id }),
  ]);
  return { member: memberView(target), invitation };
}

export async function updateMember(ctx: ServiceContext, id: string, patch: MemberPatch) {
  if (ctx.actor.role === "member") throw forbidden();
  const { target, targetHome, home, second, scope, activeAdmins } = await readForWrite(ctx, { memberId: id, branchId: patch.branchId, secondBranchId: patch.secondBranchId });
  if (!target) throw notFound("member.not_found");
  if (scope !== "all") {
    // A secretary looks after plain members homed in their subtree, and keeps them there.
    if (!inScope(scope, targetHome)) throw notFound("member.not_found");
    if (target.role !== "member" || patch.role !== undefined) throw forbidden();
    if (patch.branchId !== undefined && !inScope(scope, home?.path)) throw forbidden();
    // Nor may they second anyone to a branch outside it (a second branch opens that branch's people to the member).
    if (patch.secondBranchId && !inScope(scope, second?.path)) throw forbidden();
  }
  if (patch.status === "active" && target.status === "invited") throw invalidField("status", "受邀成员须先接受邀请 / An invited member activates by accepting the invitation");

  const after: MemberRow = {
    ...target,
    name: patch.name ?? target.name,
    nameInitials: patch.nameInitials === undefined ? (patch.name === undefined ? target.nameInitials : null) : patch.nameInitials,
    email: patch.email === undefined ? target.email : patch.email,
    phone: patch.phone === undefined ? target.phone : patch.phone,
    role: patch.role ?? target.role,
    branchId: patch.branchId === undefined ? target.branchId : patch.branchId,
    secondBranchId: patch.secondBranchId === undefined ? target.secondBranchId : patch.secondBranchId,
    status: patch.status ?? target.status,
    updatedAt: ctx.now.toISOString(),
  };
  if (!after.email && !after.phone) throw invalidField(patch.email === null ? "email" : "phone", needsLogin);
  const losesAdmin = target.role === "admin" && target.status === "active" && (after.role !== "admin" || after.status !== "active");
  if (losesAdmin && activeAdmins <= 1) throw conflict("member.last_admin");

  const disabled = after.status === "disabled" && target.status !== "disabled";
  const demoted = ROLE_RANK[after.role] < ROLE_RANK[target.role];
  // Losing power ends the member's sessions: access tokens carry the old version and stop working.
  if (disabled || demoted) after.sessionVersion = target.sessionVersion + 1;
  // Unsubscribe links went to the old address: whoever reads that mailbox now must not manage the member's reminders.
  if (after.email !== target.email) after.unsubscribeVersion = target.unsubscribeVersion + 1;
  const statements: Statement[] = [
    ctx.db.update(members).set({ name: after.name, nameInitials: after.nameInitials, email: after.email, phone: after.phone, role: after.role, branchId: after.branchId, secondBranchId: after.secondBranchId, status: after.status, sessionVersion: after.sessionVersion, unsubscribeVersion: after.unsubscribeVersion, updatedAt: after.updatedAt }).where(eq(members.id, id)),
  ];
  if (disabled || demoted) {
    statements.push(ctx.db.update(refreshTokens).set({ revokedAt: after.updatedAt }).where(and(eq(refreshTokens.memberId, id), isNull(refreshTokens.revokedAt))));
  }
  if (disabled) {
    // Disabling ends every way back in: sessions (above), API tokens and open invitations.
    const stamp = after.updatedAt;
    statements.push(
      ctx.db.update(apiTokens).set({ revokedAt: stamp }).where(and(eq(apiTokens.memberId, id), isNull(apiTokens.revokedAt))),
      ctx.db.update(invitations).set({ revokedAt: stamp }).where(and(eq(invitations.memberId, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
    );
  }
  if (after.role !== target.role && target.role === "secretary" && after.role === "member") {
    // A plain member leads nothing: clear the branches they were secretary of.
    statements.push(ctx.db.update(branches).set({ secretaryId: null, updatedAt: after.updatedAt }).where(eq(branches.secretaryId, id)));
  }
  statements.push(auditInsert(ctx, { action: "member.updated", entityType: "member", entityId: id, before: memberView(target), after: memberView(after) }));
  try {
    await runBatch(ctx.db, statements);
  } catch (error) {
    throw loginTaken(error);
  }
  return memberView(after);
}

