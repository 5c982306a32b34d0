import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { members, passwordResets, refreshTokens } from "../../db/tenant/schema.js";
import type { TenantFacts } from "../../http/env.js";
import { consoleLinks, consoleUrl } from "../../http/console-links.js";
import { ProblemError } from "../../http/problem.js";
import { letterLang, renderLetter } from "../../mail/letter.js";
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
  // An unconfirmed bureau sends no email but its own confirmation.
  if (!deps.tenant.confirmed) return;
  const [member] = await deps.db.select().from(members).where(and(eq(members.email, email), eq(members.status, "active"))).limit(1);
  if (!member?.email) return;
  const token = makePasswordResetToken(deps.tenant.id);
  const expiresAt = new Date(deps.now.getTime() + RESET_TTL_MS).toISOString();
  await runBatch(deps.db, [
    deps.db.insert(passwordResets).values({ id: newId("pwr", deps.now.getTime()), memberId: member.id, tokenHash: await sha256Hex(token), expiresAt, createdAt: deps.now.toISOString() }),
    auditInsert({ ...deps, actor: { memberId: member.id } }, { action: "auth.password_reset_requested", entityType: "member", entityId: member.id }),
  ]);
  const url = consoleUrl(deps.publicUrl, consoleLinks.reset(token));
  try {
    await deps.mailer.send(resetLetter(deps.tenant, { ...member, email: member.email }, url));
  } catch (error) {
    deps.logger.error({ msg: "password reset email failed", requestId: deps.requestId, error: String(error) });
  }
}

/** The reset email: who asked, what the link does, how long it lasts, and what to do if it was not them. */
function resetLetter(tenant: TenantFacts, member: { email: string; name: string; locale: string | null }, url: string) {
  const lang = letterLang(member.locale, tenant.locale);
  const w =
    lang === "en"
      ? {
          subject: `Reset your ${tenant.name} Qingdan password`,
          greeting: `Hello ${member.name},`,
          paragraphs: [
            `Someone — we hope you — asked to reset the password of your Qingdan workspace account (${member.email}) at ${tenant.name}.`,
            "Press the button within one hour to choose a new password. The link works once; afterwards every phone and computer signed in to your account has to sign in again.",
          ],
          button: "Choose a new password",
          footer: ["If you did not ask for this, ignore this email: your password stays as it is."],
          signature: `${tenant.name} · Qingdan workspace`,
        }
      : {
          subject: `重置您在「${tenant.name}」清单工作台的密码`,
          greeting: `${member.name}，您好：`,
          paragraphs: [
            `有人（希望是您本人）申请重置您在「${tenant.name}」清单工作台的登录密码（账号 ${member.email}）。`,
            "请在一小时内点击下面的按钮设置新密码。链接只能使用一次；设置后，已登录您账号的手机和电脑都需要重新登录。",
          ],
          button: "设置新密码",
          footer: ["如果不是您本人申请，请忽略本邮件，您的密码不会改变。"],
          signature: `「${tenant.name}」清单工作台`,
        };
  return renderLetter({ lang, to: member.email, subject: w.subject, greeting: w.greeting, paragraphs: w.paragraphs, button: { label: w.button, url }, footer: w.footer, signature: w.signature });
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
  if (!row) throw new ProblemError("auth.reset_invalid");
  const spent = await deps.db.update(passwordResets).set({ usedAt: stamp }).where(and(eq(passwordResets.id, row.reset.id), isNull(passwordResets.usedAt))).returning({ id: passwordResets.id });
  if (spent.length === 0) throw new ProblemError("auth.reset_invalid");
  await runBatch(deps.db, [
    deps.db.update(members).set({ passwordHash: await hashPassword(password), sessionVersion: sql`${members.sessionVersion} + 1`, updatedAt: stamp }).where(eq(members.id, row.member.id)),
    deps.db.update(refreshTokens).set({ revokedAt: stamp }).where(and(eq(refreshTokens.memberId, row.member.id), isNull(refreshTokens.revokedAt))),
    // Other links sent before this one die with the old password.
    deps.db.update(passwordResets).set({ usedAt: stamp }).where(and(eq(passwordResets.memberId, row.member.id), isNull(passwordResets.usedAt))),
    auditInsert({ ...deps, actor: { memberId: row.member.id } }, { action: "member.password_reset", entityType: "member", entityId: row.member.id }),
  ]);
}
