import type { Context } from "hono";
import type { PublicEnv } from "./env.js";

/**
 * Which headers may name the client. `cloudflare`: the Worker (and Node behind Cloudflare), where
 * the edge sets `CF-Connecting-IP` and appends to `X-Forwarded-For`; `forwarded`: Node behind a
 * reverse proxy of ours that appends `X-Forwarded-For`; `none`: Node facing clients directly, where
 * any header is the client's own say-so and only the socket counts.
 */
export type TrustProxy = "none" | "cloudflare" | "forwarded";

/** The client's address ("unknown" when there is none; all such clients share rate-limit buckets). */
export function clientAddress<E extends PublicEnv>(c: Context<E>): string {
  const trust = c.get("ports")?.config.trustProxy ?? "none";
  if (trust === "cloudflare") {
    const cf = c.req.header("cf-connecting-ip")?.trim();
    if (cf) return normaliseAddress(cf);
  }
  if (trust !== "none") {
    // The last entry is the one our proxy (or Cloudflare) appended; what a client writes lands to its left.
    const last = c.req.header("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return normaliseAddress(last);
  }
  // @hono/node-server passes the Node request as env.incoming; other runtimes have no such thing.
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  return socket ? normaliseAddress(socket) : "unknown";
}

/** IPv4 as is; IPv6 (and IPv4-mapped IPv6) reduced to what identifies a subscriber: its /64. */
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
