import { constantTimeEqual, fromBase64Url, toBase64Url } from "../../platform/crypto.js";

/**
 * `qdu.<tenantId>.<memberId>.<hmac>`: stateless, so a reminder email can carry it and a mail client's
 * one-click POST (RFC 8058) works without login; it can do nothing but mute that member's reminders.
 */
const PATTERN = /^qdu\.([a-z]{2,4}_[0-9A-Z]{26})\.(mem_[0-9A-Z]{26})\.([A-Za-z0-9_-]{43})$/;

async function mac(secret: string, tenantId: string, memberId: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`unsubscribe:${tenantId}:${memberId}`)));
}

export async function makeUnsubscribeToken(secret: string, tenantId: string, memberId: string) {
  return `qdu.${tenantId}.${memberId}.${toBase64Url(await mac(secret, tenantId, memberId))}`;
}

export async function readUnsubscribeToken(secret: string, token: string) {
  const m = PATTERN.exec(token);
  if (!m) return null;
  const [, tenantId, memberId, signature] = m as unknown as [string, string, string, string];
  return constantTimeEqual(fromBase64Url(signature), await mac(secret, tenantId, memberId)) ? { tenantId, memberId } : null;
}
