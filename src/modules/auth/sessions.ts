import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { refreshTokens, type Role } from "../../db/tenant/schema.js";
import { sha256Hex } from "../../platform/crypto.js";
import type { AppConfig } from "../../platform/ports.js";
import { makeRefreshToken, signAccessToken } from "./tokens.js";

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  tokenType: "Bearer";
}

/**
 * A new refresh token (in a new family, or the next in an existing one) and an access token.
 * Answers the insert rather than running it, so the caller writes it in the batch of its own change.
 */
export async function issueTokens(
  db: TenantDb,
  config: AppConfig,
  who: { tenantId: string; memberId: string; role: Role; sessionVersion: number },
  now: Date,
  familyId = newId("rtf", now.getTime()),
) {
  const tokenId = newId("rt", now.getTime());
  const refreshToken = makeRefreshToken(who.tenantId, tokenId);
  const refreshExpires = new Date(now.getTime() + config.refreshTokenDays * 86_400_000).toISOString();
  const insert = db.insert(refreshTokens).values({
    id: tokenId,
    familyId,
    memberId: who.memberId,
    tokenHash: await sha256Hex(refreshToken),
    expiresAt: refreshExpires,
    createdAt: now.toISOString(),
  });
  const tokens: TokenPair = {
    accessToken: await signAccessToken(config.jwtSecret, who, now, config.accessTokenSeconds),
    accessTokenExpiresAt: new Date(now.getTime() + config.accessTokenSeconds * 1000).toISOString(),
    refreshToken,
    refreshTokenExpiresAt: refreshExpires,
    tokenType: "Bearer",
  };
  return { insert, tokens };
}
