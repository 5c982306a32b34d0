import { describe, expect, it } from "vitest";
import { makeUnsubscribeToken, makeUnsubscribeTokenSync, readUnsubscribeToken } from "../../src/modules/reminders/unsubscribe-token.js";
import { nodeSyncCrypto } from "../../src/platform/node/sync-crypto.js";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const webHmac = async (secret: string, text: string) => {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
};

// The Worker signs and hashes with WebCrypto, Node with node:crypto: a link mailed by one must be read by the other.
describe("node:crypto behind the platform seam gives WebCrypto's bytes", () => {
  const secrets = ["s", "unit-secret-unit-secret-unit-secret-0123456789", "密钥-ключ-🔑"];
  const texts = ["", "unsubscribe:ten_01ABC:mem_01DEF:tqiw05:0", "digest:mem_01KE5TP1M007B979K87Q7AGDS8:2026-12-24", "中文 · emoji 🔔 ".repeat(40)];

  it("HMAC-SHA256 and SHA-256", async () => {
    for (const secret of secrets) for (const text of texts) expect(hex(nodeSyncCrypto.hmacSha256(secret, text))).toBe(hex(await webHmac(secret, text)));
    for (const text of texts) expect(hex(nodeSyncCrypto.sha256(text))).toBe(hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))));
  });

  it("an unsubscribe link signed at once is the WebCrypto one, and reads back", async () => {
    const secret = secrets[1]!;
    const link = { version: 3, issuedAt: new Date("2026-12-24T00:00:05Z") };
    const sync = makeUnsubscribeTokenSync(nodeSyncCrypto.hmacSha256, secret, "ten_01KE5TP1M007B979K87Q7AGDS8", "mem_01KE5TP1M007B979K87Q7AGDS9", link);
    expect(sync).toBe(await makeUnsubscribeToken(secret, "ten_01KE5TP1M007B979K87Q7AGDS8", "mem_01KE5TP1M007B979K87Q7AGDS9", link));
    expect(await readUnsubscribeToken(secret, sync, new Date("2027-01-01T00:00:00Z"))).toEqual({ state: "valid", tenantId: "ten_01KE5TP1M007B979K87Q7AGDS8", memberId: "mem_01KE5TP1M007B979K87Q7AGDS9", version: 3 });
    expect(await readUnsubscribeToken("another-secret", sync, new Date("2027-01-01T00:00:00Z"))).toBeNull();
  });
});
