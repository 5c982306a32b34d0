import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { members, passwordResets, refreshTokens } from "../../db/tenant/schema.js";
import type { TenantFacts } from "../../http/env.js";
import { ProblemError } from "../../http/problem.js";
import { hashPassword, sha256Hex } from "../../platform/crypto.js";
import type { Logger, Mailer } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { makePasswordResetToken } from "./tokens.js";

const RESET_TTL_MS = 60 * 60_000;

interface Deps {
  db: TenantDb;
  tenant: TenantFacts;
  mailer: Mailer;
  logger: Logger;
  publicUrl: string;
  now: Date;
  requestId: string;
}

/**
 * Emails a one-hour reset link to an active member. The caller always answers the same, whether or
 * not the email belongs to anyone: the form must not tell strangers who is a member.
 */
export async function requestPasswordReset(deps: Deps, email: string) {
  const [member] = await deps.db.select().from(members).where(and(eq(members.email, email), eq(members.status, "active"))).limit(1);
  if (!member) return;
  const token = makePasswordResetToken(deps.tenant.id);
  const expiresAt = new Date(deps.now.getTime() + RESET_TTL_MS).toISOString();
  await runBatch(deps.db, [
    deps.db.insert(passwordResets).values({ id: newId("pwr", deps.now.getTime()), memberId: member.id, tokenHash: await sha256Hex(token), expiresAt, createdAt: deps.now.toISOString() }),
    auditInsert({ ...deps, actor: { memberId: member.id } }, { action: "auth.password_reset_requested", entityType: "member", entityId: member.id }),
  ]);
  const url = `${deps.publicUrl}/v1/auth/password-reset/confirm#token=${encodeURIComponent(token)}`;
  try {
    await deps.mailer.send({
      to: member.email,
      subject: `重置「${deps.tenant.name}」清单系统密码`,
      text: [`${member.name}，您好：`, "", "我们收到了重置您密码的请求。链接一小时内有效，只能使用一次：", url, "", `接口调用：POST /v1/auth/password-reset/confirm，请求体 {"token": "${token}", "password": "…"}`, "", "如非本人操作，请忽略本邮件，您的密码不会改变。"].join("\n"),
    });
  } catch (error) {
    deps.logger.error({ msg: "password reset email failed", requestId: deps.requestId, error: String(error) });
  }
}

/** Sets the new password and ends every session: whoever knew the old one is out. */
export async function confirmPasswordReset(deps: Omit<Deps, "mailer" | "logger" | "publicUrl">, token: string, password: string) {
  const stamp = deps.now.toISOString();
  const [row] = await deps.db
    .select({ reset: passwordResets, member: members })
    .from(passwordResets)
    .innerJoin(members, eq(members.id, passwordResets.memberId))
    .where(and(eq(passwordResets.tokenHash, await sha256Hex(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, stamp), eq(members.status, "active")))
    .limit(1);
  if (!row) throw new ProblemError(400, "auth.reset_invalid");
  const spent = await deps.db.update(passwordResets).set({ usedAt: stamp }).where(and(eq(passwordResets.id, row.reset.id), isNull(passwordResets.usedAt))).returning({ id: passwordResets.id });
  if (spent.length === 0) throw new ProblemError(400, "auth.reset_invalid");
  await runBatch(deps.db, [
    deps.db.update(members).set({ passwordHash: await hashPassword(password), sessionVersion: sql`${members.sessionVersion} + 1`, updatedAt: stamp }).where(eq(members.id, row.member.id)),
    deps.db.update(refreshTokens).set({ revokedAt: stamp }).where(and(eq(refreshTokens.memberId, row.member.id), isNull(refreshTokens.revokedAt))),
    // Other links sent before this one die with the old password.
    deps.db.update(passwordResets).set({ usedAt: stamp }).where(and(eq(passwordResets.memberId, row.member.id), isNull(passwordResets.usedAt))),
    auditInsert({ ...deps, actor: { memberId: row.member.id } }, { action: "member.password_reset", entityType: "member", entityId: row.member.id }),
  ]);
}
