import { sign, verify } from "hono/jwt";
import type { Role } from "../../db/tenant/schema.js";
import { randomSecret } from "../../platform/crypto.js";
import { Lru } from "../../platform/lru.js";

/**
 * Opaque tokens name their tenant in clear so the request can find the right database without the
 * control database; the secret part is what is checked (stored only as a SHA-256 hash).
 * refresh `qdr.<tenantId>.<tokenId>.<secret>` · API `qd_<tenantId>.<secret>` · invitation `qdi.<tenantId>.<secret>`
 * · calendar feed `qdc.<tenantId>.<secret>` · signup confirmation `qdt.<tenantId>.<secret>`
 */
const ID = "[a-z]{2,4}_[0-9A-Z]{26}";
const SECRET = "[A-Za-z0-9_-]{43}";
const REFRESH = new RegExp(`^qdr\\.(${ID})\\.(${ID})\\.(${SECRET})$`);
const API = new RegExp(`^qd_(${ID})\\.(${SECRET})$`);
const INVITATION = new RegExp(`^qdi\\.(${ID})\\.(${SECRET})$`);
const PASSWORD_RESET = new RegExp(`^qdp\\.(${ID})\\.(${SECRET})$`);
const CALENDAR = new RegExp(`^qdc\\.(${ID})\\.(${SECRET})$`);
const CONFIRMATION = new RegExp(`^qdt\\.(${ID})\\.(${SECRET})$`);

export const makeRefreshToken = (tenantId: string, tokenId: string) => `qdr.${tenantId}.${tokenId}.${randomSecret()}`;
export const makeApiToken = (tenantId: string) => `qd_${tenantId}.${randomSecret()}`;
export const makeInvitationToken = (tenantId: string) => `qdi.${tenantId}.${randomSecret()}`;
export const makePasswordResetToken = (tenantId: string) => `qdp.${tenantId}.${randomSecret()}`;
export const makeCalendarToken = (tenantId: string) => `qdc.${tenantId}.${randomSecret()}`;
export const makeConfirmationToken = (tenantId: string) => `qdt.${tenantId}.${randomSecret()}`;

export function parseConfirmationToken(token: string) {
  const m = CONFIRMATION.exec(token);
  return m ? { tenantId: m[1]! } : null;
}

export function parseRefreshToken(token: string) {
  const m = REFRESH.exec(token);
  return m ? { tenantId: m[1]!, tokenId: m[2]! } : null;
}
export function parseApiToken(token: string) {
  const m = API.exec(token);
  return m ? { tenantId: m[1]! } : null;
}
export function parseInvitationToken(token: string) {
  const m = INVITATION.exec(token);
  return m ? { tenantId: m[1]! } : null;
}
export function parseCalendarToken(token: string) {
  const m = CALENDAR.exec(token);
  return m ? { tenantId: m[1]! } : null;
}

export function parsePasswordResetToken(token: string) {
  const m = PASSWORD_RESET.exec(token);
  return m ? { tenantId: m[1]! } : null;
}

export interface AccessClaims {
  sub: string;
  tid: string;
  role: Role;
  /** The member's session version when the token was issued (see docs/adr: session versions). */
  sv: number;
  exp: number;
  iat: number;
  nbf?: number;
  typ: "access";
}

export async function signAccessToken(secret: string, claims: { memberId: string; tenantId: string; role: Role; sessionVersion: number }, now: Date, ttlSeconds: number) {
  const iat = Math.floor(now.getTime() / 1000);
  const payload: AccessClaims = { sub: claims.memberId, tid: claims.tenantId, role: claims.role, sv: claims.sessionVersion, iat, exp: iat + ttlSeconds, typ: "access" };
  return sign({ ...payload }, secret, "HS256");
}

/** The checks that depend on the time: expiry, and a token not valid yet (a minute's grace for clocks that drift apart). */
const currentAt = (claims: AccessClaims, now: Date) => claims.exp * 1000 > now.getTime() && (claims.nbf === undefined || claims.nbf * 1000 <= now.getTime() + 60_000);

/**
 * Expiry is checked against the app's clock (not the host's), so the whole app shares one notion of now.
 * "outdated": our signature, still current, but issued before tokens carried a session version (ADR
 * 0004) — nothing can tell whether its member still holds those powers, so it is refused with its own
 * code and the client logs in again.
 */
export async function verifyAccessToken(secret: string, token: string, now: Date): Promise<AccessClaims | "outdated" | null> {
  try {
    const payload = (await verify(token, secret, { alg: "HS256", exp: false, iat: false, nbf: false })) as Partial<AccessClaims>;
    if (typeof payload.exp !== "number") return null;
    if (payload.nbf !== undefined && typeof payload.nbf !== "number") return null;
    if (payload.sv === undefined && payload.typ === "access" && currentAt(payload as AccessClaims, now)) return "outdated";
    if (!Number.isSafeInteger(payload.sv) || (payload.sv as number) < 0) return null;
    if (payload.typ !== "access" || typeof payload.sub !== "string" || typeof payload.tid !== "string") return null;
    if (payload.role !== "admin" && payload.role !== "secretary" && payload.role !== "member") return null;
    return currentAt(payload as AccessClaims, now) ? (payload as AccessClaims) : null;
  } catch {
    return null;
  }
}

/**
 * Access tokens whose signature this isolate has checked, with their claims, until they expire
 * (issue 19: HMAC over WebCrypto is ~15 % of a light read). The same string always carries the same
 * claims, so a hit only re-checks the time. Whether the member still holds those powers is not the
 * signature's business: guard.ts proves it (a read within 60 s of the last proof, every write), so
 * this cache changes nothing of ADR 0004's window.
 */
export class VerifiedAccessTokens {
  private readonly seen: Lru<string, AccessClaims>;

  constructor(capacity = 10_000) {
    this.seen = new Lru(capacity);
  }

  async verify(secret: string, token: string, now: Date): Promise<AccessClaims | "outdated" | null> {
    const known = this.seen.get(token);
    if (known) {
      if (currentAt(known, now)) return known;
      this.seen.delete(token);
    }
    const claims = await verifyAccessToken(secret, token, now);
    // Only a token valid now is kept: a refused one (bad signature, expired) is checked again each time.
    if (claims && claims !== "outdated") this.seen.set(token, claims);
    return claims;
  }
}
