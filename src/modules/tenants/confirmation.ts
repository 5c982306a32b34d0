import { and, eq, isNotNull, lt } from "drizzle-orm";
import { tenants, type TenantRow } from "../../db/control/schema.js";
import { consoleLinks, consoleUrl } from "../../http/console-links.js";
import { ProblemError } from "../../http/problem.js";
import { letterLang, readableTime, renderLetter } from "../../mail/letter.js";
import { sha256Hex } from "../../platform/crypto.js";
import type { Ports } from "../../platform/ports.js";
import { makeConfirmationToken, parseConfirmationToken } from "../auth/tokens.js";

/** A confirmation link works for a day; an unconfirmed tenant is removed after a week. */
export const CONFIRMATION_TTL_MS = 24 * 3_600_000;
export const UNCONFIRMED_KEEP_MS = 7 * 24 * 3_600_000;

const invalid = () => new ProblemError("tenant.confirmation_invalid");

/** A fresh token and the columns that remember it (only its hash). */
export async function newConfirmation(tenantId: string, now: Date) {
  const token = makeConfirmationToken(tenantId);
  return { token, columns: { confirmationTokenHash: await sha256Hex(token), confirmationExpiresAt: new Date(now.getTime() + CONFIRMATION_TTL_MS).toISOString() } };
}

/** The one email an unconfirmed tenant sends: short, to the person who signed up, one button. */
export async function mailConfirmation(ports: Ports, tenant: Pick<TenantRow, "name" | "locale" | "timezone">, admin: { email: string; name: string }, token: string, expiresAt: string) {
  const lang = letterLang(tenant.locale);
  const url = consoleUrl(ports.config.publicUrl, consoleLinks.confirm(token));
  const until = readableTime(expiresAt, lang, tenant.timezone);
  const w =
    lang === "en"
      ? {
          subject: `Confirm your email for ${tenant.name}`,
          greeting: `Hello ${admin.name},`,
          paragraphs: [`You signed ${tenant.name} up for the Qingdan workspace with this address. Confirm it by ${until} so the workspace can send invitations and reminders.`],
          button: "Confirm my email",
          footer: ["If you did not sign up, ignore this email: the workspace is removed after 7 days unless confirmed."],
          signature: "Qingdan workspace",
        }
      : {
          subject: `请确认「${tenant.name}」的注册邮箱`,
          greeting: `${admin.name}，您好：`,
          paragraphs: [`您用这个邮箱为「${tenant.name}」开通了清单工作台。请在 ${until} 前点击下面的按钮确认邮箱，确认后工作台才能发送邀请和提醒。`],
          button: "确认邮箱",
          footer: ["如果不是您本人注册，请忽略这封邮件：未确认的工作台会在 7 天后删除。"],
          signature: "清单工作台",
        };
  await ports.mailer.send(renderLetter({ lang, to: admin.email, subject: w.subject, greeting: w.greeting, paragraphs: w.paragraphs, button: { label: w.button, url }, footer: w.footer, signature: w.signature }));
}

/** `POST /v1/tenants/confirm`: the token from the email confirms its tenant once. */
export async function confirmTenant(ports: Ports, token: string, now: Date): Promise<TenantRow> {
  const parsed = parseConfirmationToken(token);
  if (!parsed) throw invalid();
  const hash = await sha256Hex(token);
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.id, parsed.tenantId)).limit(1);
  if (!row || row.status !== "active" || row.confirmationTokenHash !== hash || !row.confirmationExpiresAt || row.confirmationExpiresAt <= now.toISOString()) throw invalid();
  const stamp = now.toISOString();
  await ports.control
    .update(tenants)
    .set({ confirmationPendingSince: null, confirmationTokenHash: null, confirmationExpiresAt: null, updatedAt: stamp })
    .where(and(eq(tenants.id, row.id), eq(tenants.confirmationTokenHash, hash)));
  return { ...row, confirmationPendingSince: null, confirmationTokenHash: null, confirmationExpiresAt: null, updatedAt: stamp };
}

/** A new link for an admin of a tenant not yet confirmed; the earlier link stops working. */
export async function resendConfirmation(ports: Ports, tenantId: string, admin: { email: string; name: string }, now: Date) {
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (!row || row.confirmationPendingSince === null) throw new ProblemError("tenant.already_confirmed");
  const { token, columns } = await newConfirmation(tenantId, now);
  await ports.control.update(tenants).set(columns).where(eq(tenants.id, tenantId));
  await mailConfirmation(ports, row, admin, token, columns.confirmationExpiresAt);
  return { expiresAt: columns.confirmationExpiresAt };
}

/** For the cron: tenants nobody confirmed within a week go, database and all (their slug is free again). */
export async function removeUnconfirmedTenants(ports: Ports, now: Date = ports.now?.() ?? new Date()) {
  const cutoff = new Date(now.getTime() - UNCONFIRMED_KEEP_MS).toISOString();
  const stale = await ports.control.select().from(tenants).where(and(isNotNull(tenants.confirmationPendingSince), lt(tenants.confirmationPendingSince, cutoff)));
  for (const t of stale) {
    await ports.tenantDatabases.destroy(t.id, t.dbLocator ?? "").catch((error) => ports.logger.error({ msg: "unconfirmed tenant database not removed", tenantId: t.id, error: String(error) }));
    await ports.control.delete(tenants).where(eq(tenants.id, t.id));
  }
  return stale.length;
}
