import { inArray, lte, sql } from "drizzle-orm";
import { doorThrottles } from "../../db/control/schema.js";
import { ProblemError } from "../../http/problem.js";
import { sha256Hex } from "../../platform/crypto.js";
import type { ControlDb } from "../../platform/ports.js";

/**
 * Throttles for the public doors, kept in the control database so every Worker isolate and Node
 * process counts together. A bucket counts events (failed logins, reset emails, signups) and is
 * forgotten after a quiet `windowMs`. Past `free` events the next one must wait
 * `min(baseMs · 2^(count − free), capMs)` after the last: a backoff, not a lockout, so a flood
 * against someone's account delays its owner at most `capMs`.
 */
export interface Policy {
  free: number;
  baseMs: number;
  capMs: number;
  windowMs: number;
}

const MIN = 60_000;
export const POLICIES = {
  /** One account, from any client: capped at a minute, so nobody can keep its owner out for long. */
  loginAccount: { free: 10, baseMs: 1_000, capMs: MIN, windowMs: 15 * MIN },
  /** One account from one client: the guesser. */
  loginAccountClient: { free: 5, baseMs: 1_000, capMs: 15 * MIN, windowMs: 15 * MIN },
  /** One client across accounts and bureaus: the sprayer. */
  loginClient: { free: 30, baseMs: 1_000, capMs: 15 * MIN, windowMs: 60 * MIN },
  /** Reset emails to one account: 3 an hour. */
  resetAccount: { free: 3, baseMs: 60 * MIN, capMs: 60 * MIN, windowMs: 60 * MIN },
  /** Signups from one client: 5 an hour, then a wait that doubles up to a day. */
  signupClient: { free: 5, baseMs: 10 * MIN, capMs: 24 * 60 * MIN, windowMs: 24 * 60 * MIN },
} satisfies Record<string, Policy>;

export interface Bucket {
  /** Readable name (hashed before it is stored: the table holds no email or address in clear). */
  name: string;
  policy: Policy;
}

const stored = (name: string) => sha256Hex(`door-throttle\n${name}`);

/** Seconds until every bucket lets the next event through; 0 when none holds it back. */
export async function waitSeconds(control: ControlDb, buckets: Bucket[], now: Date): Promise<number> {
  if (buckets.length === 0) return 0;
  const keys = await Promise.all(buckets.map((b) => stored(b.name)));
  const rows = await control.select().from(doorThrottles).where(inArray(doorThrottles.bucket, keys));
  let until = 0;
  for (const row of rows) {
    const policy = buckets[keys.indexOf(row.bucket)]!.policy;
    if (row.expiresAt <= now.toISOString() || row.count < policy.free) continue;
    const wait = Math.min(policy.baseMs * 2 ** (row.count - policy.free), policy.capMs);
    until = Math.max(until, Date.parse(row.lastAt) + wait);
  }
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/**
 * Counts one event in each bucket (one round trip), sweeps buckets long forgotten, and answers each
 * bucket's new count: deciding on that count (not on an earlier read) holds under concurrent events.
 */
export async function countEvent(control: ControlDb, buckets: Bucket[], now: Date): Promise<number[]> {
  if (buckets.length === 0) return [];
  const stamp = now.toISOString();
  const keys = await Promise.all(buckets.map((b) => stored(b.name)));
  const upserts = buckets.map((b, i) =>
    control
      .insert(doorThrottles)
      .values({ bucket: keys[i]!, count: 1, lastAt: stamp, expiresAt: new Date(now.getTime() + b.policy.windowMs).toISOString() })
      .onConflictDoUpdate({
        target: doorThrottles.bucket,
        set: { count: sql`CASE WHEN ${doorThrottles.expiresAt} <= ${stamp} THEN 1 ELSE ${doorThrottles.count} + 1 END`, lastAt: stamp, expiresAt: sql`excluded.expires_at` },
      })
      .returning({ count: doorThrottles.count }),
  );
  const [, ...counts] = await control.batch([control.delete(doorThrottles).where(lte(doorThrottles.expiresAt, stamp)), ...upserts]);
  return counts.map((rows) => (rows as { count: number }[])[0]?.count ?? 0);
}

/** Forgets buckets (a successful login clears its account's failures). */
export async function clearBuckets(control: ControlDb, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await control.delete(doorThrottles).where(inArray(doorThrottles.bucket, await Promise.all(names.map(stored))));
}

export function throttled(seconds: number) {
  const problem = new ProblemError("auth.throttled", { headers: { "Retry-After": String(seconds) } });
  return problem;
}
