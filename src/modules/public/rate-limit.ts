import { lte, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant/index.js";
import { pledgeRateLimits } from "../../db/tenant/schema.js";
import { sha256Hex } from "../../platform/crypto.js";

/**
 * Rate limits for the public board's ratings, on both runtimes and without outside services.
 *
 * Counters are fixed windows kept in the tenant's own database (`pledge_rate_limits`): each rating
 * attempt bumps three buckets in one upsert each (`count + 1`, or back to 1 once the window has
 * expired) and reads the new counts back in the same round trip, so two isolates or processes
 * counting at once cannot both slip under a limit. Expired rows are swept in that same batch.
 *
 * The client is its address (src/http/client-address.ts: proxy headers only as far as TRUST_PROXY
 * allows; IPv6 by its /64). The address is stored only as
 * SHA-256(server secret ‖ tenant ‖ address): not reversible by trying all IPv4 addresses, and not
 * comparable across tenants.
 *
 * An attempt over a limit is refused with 429 and Retry-After; refused attempts count too, so
 * hammering does not shorten the wait.
 */
export const PUBLIC_RATING_LIMITS = {
  /** One rating of a pledge per client per day. */
  clientPledge: { windowMs: 24 * 3_600_000, max: 1 },
  /** A client rates at most 30 pledges of a bureau an hour. */
  client: { windowMs: 3_600_000, max: 30 },
  /** Whatever the addresses, a pledge takes at most 500 public ratings a day. */
  pledge: { windowMs: 24 * 3_600_000, max: 500 },
} as const;

export type LimitName = keyof typeof PUBLIC_RATING_LIMITS;

/** The upsert that counts one hit in a bucket and answers the count and the window's end. */
export function hitBucket(db: TenantDb, bucket: string, windowMs: number, now: Date) {
  const stamp = now.toISOString();
  const fresh = new Date(now.getTime() + windowMs).toISOString();
  return db
    .insert(pledgeRateLimits)
    .values({ bucket, count: 1, expiresAt: fresh })
    .onConflictDoUpdate({
      target: pledgeRateLimits.bucket,
      set: {
        // Both right-hand sides read the row as it was before this update.
        count: sql`CASE WHEN ${pledgeRateLimits.expiresAt} <= ${stamp} THEN 1 ELSE ${pledgeRateLimits.count} + 1 END`,
        expiresAt: sql`CASE WHEN ${pledgeRateLimits.expiresAt} <= ${stamp} THEN excluded.expires_at ELSE ${pledgeRateLimits.expiresAt} END`,
      },
    })
    .returning({ count: pledgeRateLimits.count, expiresAt: pledgeRateLimits.expiresAt });
}

export const sweepExpired = (db: TenantDb, now: Date) => db.delete(pledgeRateLimits).where(lte(pledgeRateLimits.expiresAt, now.toISOString()));

export { clientAddress, normaliseAddress } from "../../http/client-address.js";

export const clientHash = (secret: string, tenantId: string, address: string) => sha256Hex(`pledge-public-rating\n${secret}\n${tenantId}\n${address}`);
