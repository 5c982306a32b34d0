import { and, eq, gt, isNull } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { invitations, members, type MemberRow } from "../../db/tenant/schema.js";
import type { TenantFacts } from "../../http/env.js";
import { ProblemError } from "../../http/problem.js";
import { hashPassword, sha256Hex } from "../../platform/crypto.js";
import type { AppConfig, Mailer } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { issueTokens } from "../auth/sessions.js";
import { makeInvitationToken } from "../auth/tokens.js";
import { memberView } from "./views.js";

export const invitationInvalid = () => new ProblemError(400, "invitation.invalid");

/** A fresh invitation for a member: the row to write and the link to hand over. */
export async function newInvitation(db: TenantDb, config: AppConfig, tenantId: string, memberId: string, invitedBy: string, now: Date) {
  const token = makeInvitationToken(tenantId);
  const expiresAt = new Date(now.getTime() + config.invitationDays * 86_400_000).toISOString();
  const insert = db.insert(invitations).values({
    id: newId("inv", now.getTime()),
    memberId,
    tokenHash: await sha256Hex(token),
    invitedBy,
    expiresAt,
    createdAt: now.toISOString(),
  });
  return { insert, invitation: { token, expiresAt, url: `${config.publicUrl}/v1/invitations/${encodeURIComponent(token)}` } };
}

/** The invitation email. Its sending does not decide the request: the admin also gets the link. */
export async function mailInvitation(mailer: Mailer, tenant: TenantFacts, member: Pick<MemberRow, "email" | "name">, invitation: { url: string; token: string; expiresAt: string }) {
  const expires = invitation.expiresAt.slice(0, 10);
  await mailer.send({
    to: member.email,
    subject: `邀请您加入「${tenant.name}」清单系统`,
    text: [
      `${member.name}，您好：`,
      "",
      `「${tenant.name}」邀请您加入清单系统。请在 ${expires} 前设置密码以启用账号：`,
      invitation.url,
      "",
      `接口调用：POST /v1/invitations/accept，请求体 {"token": "${invitation.token}", "password": "…"}`,
      "",
      "如非本人操作，请忽略本邮件。",
    ].join("\n"),
  });
}

async function findOpenInvitation(db: TenantDb, token: string, now: Date) {
  const [row] = await db
    .select({ invitation: invitations, member: members })
    .from(invitations)
    .innerJoin(members, eq(members.id, invitations.memberId))
    .where(and(eq(invitations.tokenHash, await sha256Hex(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now.toISOString())))
    .limit(1);
  if (!row || row.member.status !== "invited") throw invitationInvalid();
  return row;
}

export async function invitationInfo(db: TenantDb, token: string, now: Date) {
  const { invitation, member } = await findOpenInvitation(db, token, now);
  return { email: member.email, name: member.name, expiresAt: invitation.expiresAt };
}

export async function acceptInvitation(deps: { db: TenantDb; tenant: TenantFacts; config: AppConfig; now: Date; requestId: string }, input: { token: string; password: string; name?: string }) {
  const { db, now } = deps;
  const { invitation, member } = await findOpenInvitation(db, input.token, now);
  const stamp = now.toISOString();
  const active: MemberRow = { ...member, name: input.name ?? member.name, status: "active", passwordHash: await hashPassword(input.password), updatedAt: stamp, lastLoginAt: stamp };
  const session = await issueTokens(db, deps.config, { tenantId: deps.tenant.id, memberId: member.id, role: member.role, sessionVersion: member.sessionVersion }, now);
  // The status guard makes a double submit of one invitation activate (and log in) only once.
  const activated = await db
    .update(members)
    .set({ name: active.name, status: "active", passwordHash: active.passwordHash, updatedAt: stamp, lastLoginAt: stamp })
    .where(and(eq(members.id, member.id), eq(members.status, "invited")))
    .returning({ id: members.id });
  if (activated.length === 0) throw invitationInvalid();
  await runBatch(db, [
    db.update(invitations).set({ acceptedAt: stamp }).where(eq(invitations.id, invitation.id)),
    session.insert,
    auditInsert({ ...deps, actor: { memberId: member.id } }, { action: "member.activated", entityType: "member", entityId: member.id, before: memberView(member), after: memberView(active) }),
  ]);
  const { id, slug, name, timezone, locale } = deps.tenant;
  return { tenant: { id, slug, name, timezone, locale }, member: memberView(active), ...session.tokens };
}
