import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { runBatch, type Statement } from "../db/batch.js";
import type { TenantDb } from "../db/tenant/index.js";
import { reminderDeliveries } from "../db/tenant/reminders.js";
import type { MailMessage, Mailer, MailSession } from "../platform/ports.js";

/** A claim older than this was left by a sender that died mid-send; the next run takes it over. */
export const STALE_CLAIM_MS = 10 * 60_000;
/** Sent marks are written this many at a time: a crash can leave at most this many to resend. */
const MARK_EVERY = 20;
/** Rows per claiming INSERT: 8 values a row stays far below SQLite's 32,766 bound parameters. */
const CLAIM_ROWS = 500;

export type DeliveryOutcome = "sent" | "already_sent" | "in_progress" | "failed";

export interface Outgoing {
  key: string;
  memberId: string;
  items: number;
  message: MailMessage;
}

async function keyDigest(key: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Sends each email at most once per key. The keys are claimed in the tenant's database before sending
 * (one batch for all) and marked sent after (a batch every MARK_EVERY); a failed send is released for
 * the next attempt and never marked sent. A claim left by a crash between send and mark is retaken
 * after STALE_CLAIM_MS and sent with the same Message-ID, which receiving systems use to drop a
 * duplicate — SMTP has no idempotency key to offer. A tenant's whole morning costs a handful of round
 * trips and one SMTP conversation, whatever its size.
 */
export async function deliverAll(db: TenantDb, mailer: Mailer, outgoing: Outgoing[], day: string, now: Date): Promise<Record<DeliveryOutcome, number>> {
  const tally: Record<DeliveryOutcome, number> = { sent: 0, already_sent: 0, in_progress: 0, failed: 0 };
  if (outgoing.length === 0) return tally;
  const stamp = now.toISOString();
  const claimRow = (o: Outgoing) => ({ key: o.key, memberId: o.memberId, day, status: "claimed" as const, attempts: 1, subject: o.message.subject, items: o.items, claimedAt: stamp });

  // One INSERT of many rows per CLAIM_ROWS recipients (one statement for a tenant of 200), not one per recipient: SQLite plans and runs it once.
  const claims = [];
  for (let i = 0; i < outgoing.length; i += CLAIM_ROWS) claims.push(db.insert(reminderDeliveries).values(outgoing.slice(i, i + CLAIM_ROWS).map(claimRow)).onConflictDoNothing().returning({ key: reminderDeliveries.key }));
  const claimed = new Set((await db.batch(claims as [(typeof claims)[number], ...typeof claims])).flat().map((r) => r.key));
  const others = outgoing.filter((o) => !claimed.has(o.key)).map((o) => o.key);
  if (others.length) {
    const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
    const retaken = await db
      .update(reminderDeliveries)
      .set({ status: "claimed", claimedAt: stamp, attempts: sql`${reminderDeliveries.attempts} + 1` })
      .where(and(inArray(reminderDeliveries.key, others), or(eq(reminderDeliveries.status, "failed"), and(eq(reminderDeliveries.status, "claimed"), lt(reminderDeliveries.claimedAt, stale)))))
      .returning({ key: reminderDeliveries.key });
    for (const r of retaken) claimed.add(r.key);
    const settled = others.filter((k) => !claimed.has(k));
    if (settled.length) {
      const rows = await db.select({ status: reminderDeliveries.status }).from(reminderDeliveries).where(inArray(reminderDeliveries.key, settled));
      for (const row of rows) tally[row.status === "sent" ? "already_sent" : "in_progress"]++;
    }
  }

  const session: MailSession = (await mailer.openSession?.()) ?? { send: (m) => mailer.send(m), close: async () => {} };
  let marks: Statement[] = [];
  const flush = async () => {
    await runBatch(db, marks);
    marks = [];
  };
  try {
    for (const o of outgoing.filter((x) => claimed.has(x.key))) {
      const messageId = `<${await keyDigest(o.key)}@qingdan>`;
      try {
        await session.send({ ...o.message, idempotencyKey: o.key, headers: { ...o.message.headers, "Message-ID": messageId } });
        marks.push(db.update(reminderDeliveries).set({ status: "sent", sentAt: new Date().toISOString(), messageId, error: null }).where(eq(reminderDeliveries.key, o.key)));
        tally.sent++;
      } catch (error) {
        marks.push(db.update(reminderDeliveries).set({ status: "failed", error: String(error instanceof Error ? error.message : error).slice(0, 500) }).where(eq(reminderDeliveries.key, o.key)));
        tally.failed++;
      }
      if (marks.length >= MARK_EVERY) await flush();
    }
  } finally {
    await flush();
    await session.close();
  }
  return tally;
}
