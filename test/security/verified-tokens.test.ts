import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { signAccessToken, VerifiedAccessTokens } from "../../src/modules/auth/tokens.js";

const SECRET = "verified-tokens-secret-verified-tokens-secret";
const ISSUED = new Date("2026-12-24T08:00:00Z");
/** The claims, or null for a refusal (an "outdated" token has none). */
const claimsOf = (x: Awaited<ReturnType<VerifiedAccessTokens["verify"]>>) => (x === "outdated" ? null : x);
const claims = { memberId: "mem_01JF0000000000000000000000", tenantId: "tn_01JF0000000000000000000000", role: "admin" as const, sessionVersion: 2 };

/** Issue 19: verified access tokens are remembered until they expire, never past it. */
describe("the cache of verified access tokens", () => {
  it("answers a known token's claims until its expiry, and refuses it from then on", async () => {
    const cache = new VerifiedAccessTokens();
    const token = await signAccessToken(SECRET, claims, ISSUED, 900);
    expect(claimsOf(await cache.verify(SECRET, token, ISSUED))?.sv).toBe(2);
    expect(claimsOf(await cache.verify(SECRET, token, new Date(ISSUED.getTime() + 899_000)))?.sub).toBe(claims.memberId);
    expect(await cache.verify(SECRET, token, new Date(ISSUED.getTime() + 900_000))).toBeNull();
    // Past expiry it stays refused, whatever clock asks next.
    expect(await cache.verify(SECRET, token, new Date(ISSUED.getTime() + 10_000_000))).toBeNull();
  });

  it("keeps nothing it refused: a token signed with another secret, or altered, is checked every time", async () => {
    const cache = new VerifiedAccessTokens();
    const forged = await signAccessToken("another-secret-another-secret-another-secret", claims, ISSUED, 900);
    expect(await cache.verify(SECRET, forged, ISSUED)).toBeNull();
    expect(await cache.verify(SECRET, forged, ISSUED)).toBeNull();
    const token = await signAccessToken(SECRET, claims, ISSUED, 900);
    expect(await cache.verify(SECRET, token, ISSUED)).not.toBeNull();
    const [head, , signature] = token.split(".");
    const promoted = Buffer.from(JSON.stringify({ sub: claims.memberId, tid: claims.tenantId, role: "admin", sv: 3, iat: 0, exp: 4_000_000_000, typ: "access" })).toString("base64url");
    expect(await cache.verify(SECRET, `${head}.${promoted}.${signature}`, ISSUED)).toBeNull();
  });

  it("holds a token issued for later (nbf beyond a minute's grace) refused until then", async () => {
    const cache = new VerifiedAccessTokens();
    const iat = Math.floor(ISSUED.getTime() / 1000);
    const later = await sign({ sub: claims.memberId, tid: claims.tenantId, role: "member", sv: 0, iat, nbf: iat + 600, exp: iat + 1800, typ: "access" }, SECRET, "HS256");
    expect(await cache.verify(SECRET, later, ISSUED)).toBeNull();
    expect(claimsOf(await cache.verify(SECRET, later, new Date(ISSUED.getTime() + 600_000)))?.role).toBe("member");
    // Known now, yet still bounded by its expiry.
    expect(await cache.verify(SECRET, later, new Date(ISSUED.getTime() + 1_800_000))).toBeNull();
  });
});
