import { signatureMatches, toBase64Url } from "../../platform/crypto.js";
import type { SyncCrypto } from "../../platform/ports.js";

/**
 * `qdu.<tenantId>.<memberId>.<hmac>.<issued>.<version>`: signed, so a reminder email can carry it and
 * a mail client's one-click POST (RFC 8058) works without login; it can do nothing but mute that
 * member's reminders. `issued` (unix seconds, base 36) bounds it to a year; `version` is the member's
 * `unsubscribeVersion`, raised when they revoke their links or their email changes. The signature
 * sits right after the ids so the request log's redaction (src/http/middleware.ts) hides it.
 */
const PATTERN = /^qdu\.([a-z]{2,4}_[0-9A-Z]{26})\.(mem_[0-9A-Z]{26})\.([A-Za-z0-9_-]{43})\.([0-9a-z]{1,10})\.([0-9]{1,9})$/;
/** The old form, without issue time or version: refused as expired (it could never be revoked). */
const LEGACY = /^qdu\.([a-z]{2,4}_[0-9A-Z]{26})\.(mem_[0-9A-Z]{26})\.([A-Za-z0-9_-]{43})$/;
export const UNSUBSCRIBE_LINK_DAYS = 365;

/** One imported key per secret (a process has one): a morning signs hundreds of thousands of links, and importing is half a signature's cost. */
const keys = new Map<string, Promise<CryptoKey>>();
const keyOf = (secret: string) => {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size > 8) keys.clear();
    keys.set(secret, (key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])));
  }
  return key;
};

async function mac(secret: string, text: string) {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), new TextEncoder().encode(text)));
}
const signed = (tenantId: string, memberId: string, issued: string, version: number) => `unsubscribe:${tenantId}:${memberId}:${issued}:${version}`;

const issuedOf = (at: Date) => Math.floor(at.getTime() / 1000).toString(36);
const token = (tenantId: string, memberId: string, signature: Uint8Array, issued: string, version: number) => `qdu.${tenantId}.${memberId}.${toBase64Url(signature)}.${issued}.${version}`;

export async function makeUnsubscribeToken(secret: string, tenantId: string, memberId: string, link: { version: number; issuedAt: Date } = { version: 0, issuedAt: new Date() }) {
  const issued = issuedOf(link.issuedAt);
  return token(tenantId, memberId, await mac(secret, signed(tenantId, memberId, issued, link.version)), issued, link.version);
}

/** The same token signed without a promise (node:crypto, see SyncCrypto): a morning signs one per digest. */
export function makeUnsubscribeTokenSync(hmac: SyncCrypto["hmacSha256"], secret: string, tenantId: string, memberId: string, link: { version: number; issuedAt: Date }) {
  const issued = issuedOf(link.issuedAt);
  return token(tenantId, memberId, hmac(secret, signed(tenantId, memberId, issued, link.version)), issued, link.version);
}

export type UnsubscribeLink =
  | { state: "valid"; tenantId: string; memberId: string; version: number }
  | { state: "expired"; tenantId: string; memberId: string }
  | null;

/** null for anything not signed by us; "expired" past a year (or the old, unversioned form); otherwise who and which version. */
export async function readUnsubscribeToken(secret: string, token: string, now: Date): Promise<UnsubscribeLink> {
  const legacy = LEGACY.exec(token);
  if (legacy) {
    const [, tenantId, memberId, signature] = legacy as unknown as [string, string, string, string];
    return signatureMatches(await mac(secret, `unsubscribe:${tenantId}:${memberId}`), signature) ? { state: "expired", tenantId, memberId } : null;
  }
  const m = PATTERN.exec(token);
  if (!m) return null;
  const [, tenantId, memberId, signature, issued, version] = m as unknown as [string, string, string, string, string, string];
  if (!signatureMatches(await mac(secret, signed(tenantId, memberId, issued, Number(version))), signature)) return null;
  const age = now.getTime() - parseInt(issued, 36) * 1000;
  if (age > UNSUBSCRIBE_LINK_DAYS * 86_400_000) return { state: "expired", tenantId, memberId };
  return { state: "valid", tenantId, memberId, version: Number(version) };
}
