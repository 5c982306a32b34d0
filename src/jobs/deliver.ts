import type { InStatement } from "@libsql/client";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { clientOf } from "../db/batch.js";
import type { TenantDb } from "../db/tenant/index.js";
import { reminderDeliveries } from "../db/tenant/reminders.js";
import type { MailMessage, Mailer, MailSession, SyncCrypto } from "../platform/ports.js";

/** A claim older than this was left by a sender that died mid-send; the next run takes it over. */
export const STALE_CLAIM_MS = 10 * 60_000;
/**
 * Sent marks are written as one statement when the sending is done, or earlier once MARK_EVERY are
 * waiting and MARK_AFTER_MS have passed since the last write: a crash can leave at most that many (or
 * that long) to resend. A fast relay takes a tenant's 200 in a fraction of a second (one mark);
 * a slow one (the Worker's, ~130 ms a message) marks every 20, as before.
 */
const MARK_EVERY = 20;
const MARK_AFTER_MS = 2_000;
/** Rows per marking UPDATE and per claiming INSERT: keeps one statement's JSON (and a Worker's request body) to a few hundred KB. */
const MARK_ROWS = 2_000;
const CLAIM_ROWS = 1_000;

export type DeliveryOutcome = "sent" | "already_sent" | "in_progress" | "failed";

export interface Outgoing {
  key: string;
  memberId: string;
  items: number;
  message: MailMessage;
}

interface Mark {
  key: string;
  status: "sent" | "failed";
  messageId: string | null;
  sentAt: string | null;
  error: string | null;
}

/**
 * The claim and the marks carry their rows as ONE JSON parameter, unpacked by SQLite's json_each: the
 * SQL text is the same for any count (compiled once per connection, not a 1,200-placeholder statement
 * per tenant), and the driver binds one value instead of six a row — each bound value costs the
 * libsql binding ~1 µs (issue 19: ~1.3 ms less CPU a tenant of 200). Run on the database's client in
 * one batch (one round trip, as drizzle's batch would be), without drizzle walking every value.
 * SQLite wants a WHERE on an INSERT … SELECT with an upsert clause (parsing ambiguity), hence `WHERE true`.
 */
const CLAIM_SQL =
  "INSERT INTO reminder_deliveries (key, member_id, day, status, attempts, subject, items, claimed_at) SELECT value ->> 0, value ->> 1, ?, 'claimed', 1, value ->> 2, value ->> 3, ? FROM json_each(?) WHERE true ON CONFLICT DO NOTHING RETURNING key";
/** A failure keeps its earlier Message-ID and sent time (coalesce). */
const MARK_SQL =
  "UPDATE reminder_deliveries SET status = v.s, message_id = coalesce(v.m, reminder_deliveries.message_id), sent_at = coalesce(v.t, reminder_deliveries.sent_at), error = v.e FROM (SELECT value ->> 0 AS k, value ->> 1 AS s, value ->> 2 AS m, value ->> 3 AS t, value ->> 4 AS e FROM json_each(?)) AS v WHERE reminder_deliveries.key = v.k";

/** Claims keys not claimed yet: one INSERT per CLAIM_ROWS recipients (one statement for a tenant of 200), answering the keys it took. */
function claimStatements(outgoing: Outgoing[], day: string, stamp: string): InStatement[] {
  const out: InStatement[] = [];
  for (let i = 0; i < outgoing.length; i += CLAIM_ROWS) {
    const rows = outgoing.slice(i, i + CLAIM_ROWS).map((o) => [o.key, o.memberId, o.message.subject, o.items]);
    out.push({ sql: CLAIM_SQL, args: [day, stamp, JSON.stringify(rows)] });
  }
  return out;
}

/**
 * Marks many deliveries in one UPDATE … FROM per MARK_ROWS, not one UPDATE per email: SQLite plans it
 * once (json_each scanned, each key found by the primary key), and the Worker pays one subrequest.
 */
function markStatements(marks: Mark[]): InStatement[] {
  const out: InStatement[] = [];
  for (let i = 0; i < marks.length; i += MARK_ROWS) {
    const rows = marks.slice(i, i + MARK_ROWS).map((m) => [m.key, m.status, m.messageId, m.sentAt, m.error]);
    out.push({ sql: MARK_SQL, args: [JSON.stringify(rows)] });
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const hex16 = (digest: Uint8Array) => {
  let hex = "";
  for (let i = 0; i < 16; i++) hex += HEX[digest[i]!];
  return hex;
};
/**
 * The message as handed to the mailer, with its key and Message-ID. Its fields are read one by one, not
 * spread: a composed digest's text and HTML are getters (compose.ts), and spreading an object with
 * accessors takes V8's generic copy, ≈3 µs a digest more (issue 19). `satisfies` keeps every field of
 * MailMessage named here.
 */
const sendable = (o: Outgoing, messageId: string): MailMessage => {
  const m = o.message;
  return { to: m.to, subject: m.subject, text: m.text, html: m.html, headers: { ...m.headers, "Message-ID": messageId }, idempotencyKey: o.key } satisfies Record<keyof MailMessage, unknown>;
};

/** The Message-ID of a key: the same on every attempt, so a receiver drops a resent duplicate (ADR 0016). */
const messageIdOf = (digest: Uint8Array) => `<${hex16(digest)}@qingdan>`;

/**
 * Sends each email at most once per key. The keys are claimed in the tenant's database before sending
 * (one statement for all) and marked sent after (one statement, see MARK_EVERY); a failed send is released for
 * the next attempt and never marked sent. A claim left by a crash between send and mark is retaken
 * after STALE_CLAIM_MS and sent with the same Message-ID, which receiving systems use to drop a
 * duplicate — SMTP has no idempotency key to offer. A tenant's whole morning costs one claiming
 * statement, one marking statement (more only on a slow relay, see MARK_EVERY) and one SMTP
 * conversation, whatever its size.
 */
export async function deliverAll(db: TenantDb, mailer: Mailer, outgoing: Outgoing[], day: string, now: Date, syncCrypto?: SyncCrypto): Promise<Record<DeliveryOutcome, number>> {
  const tally: Record<DeliveryOutcome, number> = { sent: 0, already_sent: 0, in_progress: 0, failed: 0 };
  if (outgoing.length === 0) return tally;
  const stamp = now.toISOString();
  // One INSERT of many rows per CLAIM_ROWS recipients, not one per recipient: SQLite plans and runs it once.
  const claimed = new Set<string>();
  for (const result of await clientOf(db).batch(claimStatements(outgoing, day, stamp))) for (const row of result.rows) claimed.add(row[0] as string);
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

  const sending = outgoing.filter((x) => claimed.has(x.key));
  if (sending.length === 0) return tally;
  // The Message-IDs before the connection opens: at once with node:crypto, else all together (each is a promise in WebCrypto).
  const messageIds = syncCrypto
    ? sending.map((o) => messageIdOf(syncCrypto.sha256(o.key)))
    : await Promise.all(sending.map(async (o) => messageIdOf(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(o.key))))));
  const session: MailSession = (await mailer.openSession?.()) ?? { send: (m) => mailer.send(m), close: async () => {} };
  let marks: Mark[] = [];
  let lastFlush = Date.now();
  const flush = async () => {
    if (marks.length === 0) return;
    await clientOf(db).batch(markStatements(marks));
    marks = [];
    lastFlush = Date.now();
  };
  // Up to the session's window of sends are handed over before their outcomes are awaited, so a pipelining
  // connection always has the next message (one at a time where the session says nothing). Outcomes are taken
  // in order of the sends; each settles into an error or null, so none is left rejected while an earlier one is awaited.
  const window = Math.max(1, session.window ?? 1);
  const inFlight: Promise<unknown>[] = [];
  let handed = 0;
  const handOver = () => {
    for (; handed < sending.length && inFlight.length < window; handed++) {
      const o = sending[handed]!;
      const message = sendable(o, messageIds[handed]!);
      let sent: Promise<unknown>;
      try {
        sent = session.send(message);
      } catch (error) {
        sent = Promise.reject(error);
      }
      inFlight.push(
        sent.then(
          () => null,
          (error: unknown) => error ?? new Error("send failed"),
        ),
      );
    }
  };
  try {
    for (const [i, o] of sending.entries()) {
      handOver();
      const error = await inFlight.shift();
      if (error === null) {
        marks.push({ key: o.key, status: "sent", messageId: messageIds[i]!, sentAt: new Date().toISOString(), error: null });
        tally.sent++;
      } else {
        marks.push({ key: o.key, status: "failed", messageId: null, sentAt: null, error: String(error instanceof Error ? error.message : error).slice(0, 500) });
        tally.failed++;
      }
      if (marks.length >= MARK_EVERY && Date.now() - lastFlush >= MARK_AFTER_MS) await flush();
    }
  } finally {
    await flush();
    await session.close();
  }
  return tally;
}
