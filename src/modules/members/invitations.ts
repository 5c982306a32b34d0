import { and, eq, gt, isNull } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { invitations, members, type MemberRow } from "../../db/tenant/schema.js";
import type { TenantFacts } from "../../http/env.js";
import { consoleLinks, consoleUrl } from "../../http/console-links.js";
import { ProblemError } from "../../http/problem.js";
import { letterLang, readableTime, renderLetter } from "../../mail/letter.js";
import { hashPassword, sha256Hex } from "../../platform/crypto.js";
import { channelFor } from "../../platform/channels.js";
import type { AppConfig, Notice, NotificationChannel } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { issueTokens } from "../auth/sessions.js";
import { makeInvitationToken } from "../auth/tokens.js";
import { memberView } from "./views.js";

export const invitationInvalid = () => new ProblemError("invitation.invalid");

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
  return { insert, invitation: { token, expiresAt, url: consoleUrl(config.publicUrl, consoleLinks.invite(token)) } };
}

/**
 * The invitation: what the bureau did, what to do by when, one button to the console's invitation
 * page. The same words on every channel (an SMS channel would send the text).
 */
export function invitationNotice(tenant: TenantFacts, member: Pick<MemberRow, "email" | "phone" | "name" | "locale">, invitation: { url: string; expiresAt: string }): Notice {
  // The login the member will use: their email, or their phone number when they have no email.
  const login = member.email ?? member.phone ?? "";
  const lang = letterLang(member.locale, tenant.locale);
  const until = readableTime(invitation.expiresAt, lang, tenant.timezone);
  const w =
    lang === "en"
      ? {
          subject: `${tenant.name} invites you to the Qingdan workspace`,
          greeting: `Hello ${member.name},`,
          paragraphs: [
            `${tenant.name} has opened a Qingdan workspace account for you (sign-in: ${login}). There you see the tasks on your lists, upload photos and records as evidence, and follow up problems and pledges — on your phone or a computer.`,
            `Set your password by ${until} to start using it.`,
          ],
          button: "Set my password",
          footer: [`This invitation was sent by ${tenant.name}. If you do not know them or did not expect it, ignore this email: nothing happens until a password is set.`],
          signature: `${tenant.name} · Qingdan workspace`,
        }
      : {
          subject: `「${tenant.name}」邀请您使用清单工作台`,
          greeting: `${member.name}，您好：`,
          paragraphs: [
            `「${tenant.name}」为您开通了清单工作台账号（登录账号 ${login}）。在工作台里，您可以用手机或电脑查看自己的清单任务、上传照片留痕、跟进问题和承诺。`,
            `请在 ${until} 前点击下面的按钮设置登录密码，账号即可启用。`,
          ],
          button: "设置密码，启用账号",
          footer: [`本邀请由「${tenant.name}」发出。如果您不了解该单位，或并未期待这封邮件，请忽略它：不设置密码，账号就不会启用。`],
          signature: `「${tenant.name}」清单工作台`,
        };
  const { to: _to, ...letter } = renderLetter({ lang, to: member.email ?? "", subject: w.subject, greeting: w.greeting, paragraphs: w.paragraphs, button: { label: w.button, url: invitation.url }, footer: w.footer, signature: w.signature });
  return letter;
}


/**
 * Sends an invitation through the first channel that reaches the member and answers its name, or
 * null when none does (no email, no SMS provider): the admin then hands over the link or its QR code.
 */
export async function notifyInvitation(channels: NotificationChannel[], tenant: TenantFacts, member: Pick<MemberRow, "email" | "phone" | "name" | "locale">, invitation: { url: string; expiresAt: string }) {
  const channel = channelFor(channels, member);
  if (!channel) return null;
  await channel.send(member, invitationNotice(tenant, member, invitation));
  return channel.name;
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
  return { email: member.email, phone: member.phone, name: member.name, expiresAt: invitation.expiresAt };
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
