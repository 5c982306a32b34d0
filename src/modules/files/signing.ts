import type { Role } from "../../db/tenant/schema.js";
import { signatureMatches, toBase64Url } from "../../platform/crypto.js";

/**
 * Short-lived signed URLs for `<img src>`: a browser cannot add a bearer header to an image request,
 * and a bearer token in a URL would end up in logs and histories. The URL names the tenant, the
 * member it was made for (and their role then) and an expiry; the download re-checks that the member
 * is still active with that role and may still see the file, so a URL never outlives a lost power.
 */

const TTL_SECONDS = 10 * 60;
/** Expiries are rounded up to this step, so a page reloaded within it gets the same URLs (browser cache hits). */
const STEP_SECONDS = 5 * 60;

const keys = new Map<string, Promise<CryptoKey>>();
// A key of its own, derived from the app secret: a file URL's MAC can never stand in for a token's.
function keyFor(secret: string) {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const raw = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const derived = await crypto.subtle.sign("HMAC", raw, new TextEncoder().encode("qingdan file url v1"));
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    })();
    keys.set(secret, key);
  }
  return key;
}

export interface UrlGrant {
  tenantId: string;
  memberId: string;
  role: Role;
  fileId: string;
  /** Unix seconds. */
  exp: number;
}

async function mac(secret: string, g: UrlGrant) {
  const message = new TextEncoder().encode([g.tenantId, g.memberId, g.role, g.fileId, g.exp].join("\n"));
  return new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), message));
}

export async function signedFileUrl(secret: string, grant: Omit<UrlGrant, "exp">, now: Date): Promise<{ url: string; expiresAt: string }> {
  const exp = Math.ceil((now.getTime() / 1000 + TTL_SECONDS) / STEP_SECONDS) * STEP_SECONDS;
  const sig = toBase64Url(await mac(secret, { ...grant, exp }));
  const query = new URLSearchParams({ t: grant.tenantId, m: grant.memberId, r: grant.role, exp: String(exp), sig });
  return { url: `/v1/files/${grant.fileId}?${query}`, expiresAt: new Date(exp * 1000).toISOString() };
}

/** The grant a signed URL carries, `expired`, or null when it is not one of ours. */
export async function verifyFileUrl(secret: string, fileId: string, query: Record<string, string>, now: Date): Promise<UrlGrant | "expired" | null> {
  const { t, m, r, exp, sig } = query;
  if (!t || !m || !r || !exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return null;
  if (r !== "admin" && r !== "secretary" && r !== "member") return null;
  const grant: UrlGrant = { tenantId: t, memberId: m, role: r, fileId, exp: Number(exp) };
  if (!signatureMatches(await mac(secret, grant), sig)) return null;
  if (grant.exp * 1000 <= now.getTime()) return "expired";
  return grant;
}
