import { lte, sql } from "drizzle-orm";
import type { Context } from "hono";
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
 * The client is its address: `CF-Connecting-IP` on Cloudflare (set by the edge, not by the client),
 * else the last `X-Forwarded-For` entry (the one our own reverse proxy appended; what a client writes
 * into the header lands to its left), else the socket's address on Node. IPv6 addresses count by
 * their /64, which one subscriber usually holds whole. The address is stored only as
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

/** The client's address as described above; "unknown" when there is none (all such clients share buckets). */
export function clientAddress(c: Context): string {
  const cf = c.req.header("cf-connecting-ip")?.trim();
  if (cf) return normaliseAddress(cf);
  const forwarded = c.req.header("x-forwarded-for");
  if (forwarded) {
    const last = forwarded.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return normaliseAddress(last);
  }
  // @hono/node-server passes the Node request as env.incoming; other runtimes have no such thing.
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  return socket ? normaliseAddress(socket) : "unknown";
}

/** IPv4 as is; IPv6 (and IPv4-mapped IPv6) reduced to what identifies a subscriber. */
export function normaliseAddress(raw: string): string {
  const address = raw.slice(0, 100).toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = address.includes("::") && tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...headParts, ...Array(Math.max(0, 8 - headParts.length - tailParts.length)).fill("0"), ...tailParts] : headParts;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

export const clientHash = (secret: string, tenantId: string, address: string) => sha256Hex(`pledge-public-rating\n${secret}\n${tenantId}\n${address}`);
