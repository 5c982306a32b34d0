import { and, eq, lt, or, sql } from "drizzle-orm";
import type { TenantDb } from "../db/tenant/index.js";
import { reminderDeliveries } from "../db/tenant/reminders.js";
import type { MailMessage, Mailer } from "../platform/ports.js";

/** A claim older than this was left by a sender that died mid-send; the next run takes it over. */
export const STALE_CLAIM_MS = 10 * 60_000;

export type DeliveryOutcome = "sent" | "already_sent" | "in_progress" | "failed";

/**
 * Sends one email at most once per key. The key is claimed in the tenant's database before sending and
 * marked sent after; a failed send is released for the next attempt and never marked sent. A claim
 * left by a crash between send and mark is retried with the same Message-ID, which receiving systems
 * use to drop a duplicate — SMTP itself has no idempotency key to offer.
 */
export async function deliverOnce(db: TenantDb, mailer: Mailer, key: string, message: MailMessage, meta: { memberId: string; day: string; items: number }, now: Date): Promise<DeliveryOutcome> {
  const stamp = now.toISOString();
  const claimed = await db
    .insert(reminderDeliveries)
    .values({ key, memberId: meta.memberId, day: meta.day, status: "claimed", attempts: 1, subject: message.subject, items: meta.items, claimedAt: stamp })
    .onConflictDoNothing()
    .returning({ key: reminderDeliveries.key });
  if (claimed.length === 0) {
    const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
    const retaken = await db
      .update(reminderDeliveries)
      .set({ status: "claimed", claimedAt: stamp, attempts: sql`${reminderDeliveries.attempts} + 1`, subject: message.subject, items: meta.items })
      .where(and(eq(reminderDeliveries.key, key), or(eq(reminderDeliveries.status, "failed"), and(eq(reminderDeliveries.status, "claimed"), lt(reminderDeliveries.claimedAt, stale)))))
      .returning({ status: reminderDeliveries.status, attempts: reminderDeliveries.attempts });
    if (retaken.length === 0) {
      const [row] = await db.select({ status: reminderDeliveries.status }).from(reminderDeliveries).where(eq(reminderDeliveries.key, key));
      return row?.status === "sent" ? "already_sent" : "in_progress";
    }
  }
  const messageId = `<${await keyDigest(key)}@qingdan>`;
  try {
    await mailer.send({ ...message, idempotencyKey: key, headers: { ...message.headers, "Message-ID": messageId } });
  } catch (error) {
    await db
      .update(reminderDeliveries)
      .set({ status: "failed", error: String(error instanceof Error ? error.message : error).slice(0, 500) })
      .where(eq(reminderDeliveries.key, key));
    return "failed";
  }
  await db.update(reminderDeliveries).set({ status: "sent", sentAt: new Date().toISOString(), messageId, error: null }).where(eq(reminderDeliveries.key, key));
  return "sent";
}

async function keyDigest(key: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}
