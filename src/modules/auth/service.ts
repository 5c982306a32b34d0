import { and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { flatRowMapper, preparedPerHandle } from "../../db/prepared.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { type MemberRow, members, passwordResets, refreshTokens } from "../../db/tenant/schema.js";
import type { ServiceContext, TenantFacts } from "../../http/env.js";
import { invalidField, ProblemError, unauthenticated } from "../../http/problem.js";
import { DUMMY_PASSWORD_HASH, hashPassword, sha256Hex, verifyPassword } from "../../platform/crypto.js";
import type { AppConfig } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { loginTaken } from "../members/service.js";
import { memberView } from "../members/views.js";
import { inactiveMember } from "./middleware.js";
import { issueTokens } from "./sessions.js";

interface Deps {
  db: TenantDb;
  tenant: TenantFacts;
  config: AppConfig;
  now: Date;
  requestId: string;
}

const tenantOutOf = (t: TenantFacts) => ({ id: t.id, slug: t.slug, name: t.name, timezone: t.timezone, locale: t.locale });

export async function logIn(deps: Deps, login: { email: string } | { phone: string }, password: string) {
  const { db, now } = deps;
  const [member] = await db.select().from(members).where("email" in login ? eq(members.email, login.email) : eq(members.phone, login.phone)).limit(1);
  // Hash even when there is no such member, so response time does not reveal who is a member.
  const ok = await verifyPassword(password, member?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!member || !ok || !member.passwordHash) throw unauthenticated("auth.invalid_credentials");
  if (member.status !== "active") throw inactiveMember();
  const session = await issueTokens(db, deps.config, { tenantId: deps.tenant.id, memberId: member.id, role: member.role, sessionVersion: member.sessionVersion }, now);
  const stamp = now.toISOString();
  await runBatch(db, [
    session.insert,
    db.update(members).set({ lastLoginAt: stamp }).where(eq(members.id, member.id)),
    auditInsert({ ...deps, actor: { memberId: member.id } }, { action: "auth.login", entityType: "member", entityId: member.id }),
  ]);
  return { tenant: tenantOutOf(deps.tenant), member: memberView({ ...member, lastLoginAt: stamp }), ...session.tokens };
}

/**
 * Rotates a refresh token. A token presented twice means it leaked (or a client raced itself):
 * the whole family is revoked, so whoever holds the newer token is logged out too.
 */
export async function refreshSession(deps: Deps, token: string, tokenId: string) {
  const { db, now } = deps;
  const [row] = await db
    .select({ token: refreshTokens, member: members })
    .from(refreshTokens)
    .innerJoin(members, eq(members.id, refreshTokens.memberId))
    .where(eq(refreshTokens.id, tokenId))
    .limit(1);
  const stamp = now.toISOString();
  if (!row || row.token.tokenHash !== (await sha256Hex(token))) throw unauthenticated("auth.invalid_token");
  if (row.token.usedAt || row.token.revokedAt) {
    if (!row.token.revokedAt) {
      await runBatch(db, [
        db.update(refreshTokens).set({ revokedAt: stamp }).where(and(eq(refreshTokens.familyId, row.token.familyId), isNull(refreshTokens.revokedAt))),
        auditInsert({ ...deps, actor: { memberId: row.member.id } }, { action: "auth.refresh_reused", entityType: "member", entityId: row.member.id, after: { familyId: row.token.familyId } }),
      ]);
    }
    throw unauthenticated(row.token.usedAt ? "auth.refresh_reused" : "auth.invalid_token");
  }
  if (row.token.expiresAt <= stamp) throw unauthenticated("auth.invalid_token");
  if (row.member.status !== "active") throw inactiveMember();
  const session = await issueTokens(db, deps.config, { tenantId: deps.tenant.id, memberId: row.member.id, role: row.member.role, sessionVersion: row.member.sessionVersion }, now, row.token.familyId);
  // Two racing refreshes of one token: the usedAt guard lets exactly one of them spend it.
  const spent = await db.update(refreshTokens).set({ usedAt: stamp }).where(and(eq(refreshTokens.id, tokenId), isNull(refreshTokens.usedAt))).returning({ id: refreshTokens.id });
  if (spent.length === 0) throw unauthenticated("auth.refresh_reused");
  await runBatch(db, [session.insert, auditInsert({ ...deps, actor: { memberId: row.member.id } }, { action: "auth.refreshed", entityType: "member", entityId: row.member.id, after: { familyId: row.token.familyId } })]);
  return { tenant: tenantOutOf(deps.tenant), member: memberView(row.member), ...session.tokens };
}

export async function logOut(deps: Deps, token: string, tokenId: string) {
  const { db, now } = deps;
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.id, tokenId)).limit(1);
  if (!row || row.tokenHash !== (await sha256Hex(token))) return;
  await runBatch(db, [
    db.update(refreshTokens).set({ revokedAt: now.toISOString() }).where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt))),
    auditInsert({ ...deps, actor: { memberId: row.memberId } }, { action: "auth.logout", entityType: "member", entityId: row.memberId }),
  ]);
}

const memberById = preparedPerHandle((db) => db.select().from(members).where(eq(members.id, sql.placeholder("id"))).limit(1).prepare());
const memberRows = flatRowMapper<MemberRow>(getTableColumns(members));

export async function currentMember(ctx: ServiceContext) {
  const [member] = ctx.actor.member ? [ctx.actor.member] : memberRows(await memberById(ctx.db).values({ id: ctx.actor.memberId }));
  if (!member || member.status !== "active") throw inactiveMember();
  return member;
}

export async function updateMe(ctx: ServiceContext, patch: { name?: string; phone?: string | null; locale?: "zh-CN" | "en" | null }) {
  const before = await currentMember(ctx);
  const after = { ...before, ...patch, updatedAt: ctx.now.toISOString() };
  // The phone is a login: a member without email keeps one, and it is unique in the tenant.
  if (patch.phone === null && !before.email) throw invalidField("phone", "没有邮箱的成员须保留手机号 / A member without email must keep a phone number");
  try {
    await runBatch(ctx.db, [
      ctx.db.update(members).set({ ...patch, updatedAt: after.updatedAt }).where(eq(members.id, before.id)),
      auditInsert(ctx, { action: "member.updated", entityType: "member", entityId: before.id, before: memberView(before), after: memberView(after) }),
    ]);
  } catch (error) {
    throw loginTaken(error);
  }
  return memberView(after);
}

/** A new password ends every other session (a new session version; all refresh families and open reset links revoked) and issues a fresh pair. */
export async function changePassword(ctx: ServiceContext, config: AppConfig, currentPassword: string, newPassword: string) {
  const member = await currentMember(ctx);
  if (!member.passwordHash || !(await verifyPassword(currentPassword, member.passwordHash))) {
    throw new ProblemError("auth.wrong_password", { errors: [{ path: "currentPassword", message: "当前密码不正确 / The current password is incorrect" }] });
  }
  const stamp = ctx.now.toISOString();
  const sessionVersion = member.sessionVersion + 1;
  const session = await issueTokens(ctx.db, config, { tenantId: ctx.tenant.id, memberId: member.id, role: member.role, sessionVersion }, ctx.now);
  await runBatch(ctx.db, [
    ctx.db.update(members).set({ passwordHash: await hashPassword(newPassword), sessionVersion, updatedAt: stamp }).where(eq(members.id, member.id)),
    ctx.db.update(refreshTokens).set({ revokedAt: stamp }).where(and(eq(refreshTokens.memberId, member.id), isNull(refreshTokens.revokedAt))),
    ctx.db.update(passwordResets).set({ usedAt: stamp }).where(and(eq(passwordResets.memberId, member.id), isNull(passwordResets.usedAt))),
    session.insert,
    auditInsert(ctx, { action: "member.password_changed", entityType: "member", entityId: member.id }),
  ]);
  return session.tokens;
}
