import { describe, expect, it } from "vitest";
import { signedFileUrl, verifyFileUrl } from "../../src/modules/files/signing.js";
import { makeUnsubscribeToken, readUnsubscribeToken } from "../../src/modules/reminders/unsubscribe-token.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Every other character in a signature's last place: 32 bytes leave that place 2 unused bits, so three of these decode to the same bytes. */
const otherLastChars = (sig: string) => [...ALPHABET].filter((c) => c !== sig.at(-1)).map((c) => sig.slice(0, -1) + c);
const SECRET = "unit-secret-unit-secret-unit-secret-0123456789";
const NOW = new Date("2026-12-24T00:00:05Z");

// A link is ours only in the spelling we wrote: a reminder test forging the last character
// passed 60 times in 64 and failed when the forgery decoded to the same bytes.
describe("signed links accept only the signature as written", () => {
  it("an unsubscribe link with its signature respelled in the last place is refused, for many signatures", async () => {
    for (let version = 0; version < 8; version++) {
      const token = await makeUnsubscribeToken(SECRET, "ten_01KE5TP1M007B979K87Q7AGDS8", "mem_01KE5TP1M007B979K87Q7AGDS9", { version, issuedAt: NOW });
      expect((await readUnsubscribeToken(SECRET, token, NOW))?.state).toBe("valid");
      const parts = token.split(".");
      for (const sig of otherLastChars(parts[3]!)) expect(await readUnsubscribeToken(SECRET, [...parts.slice(0, 3), sig, ...parts.slice(4)].join("."), NOW)).toBeNull();
    }
  });

  it("a signed file URL with its signature respelled in the last place is refused", async () => {
    for (const fileId of ["fil_01KE5TP1M007B979K87Q7AGDS1", "fil_01KE5TP1M007B979K87Q7AGDS2", "fil_01KE5TP1M007B979K87Q7AGDS3", "fil_01KE5TP1M007B979K87Q7AGDS4"]) {
      const { url } = await signedFileUrl(SECRET, { tenantId: "ten_01KE5TP1M007B979K87Q7AGDS8", memberId: "mem_01KE5TP1M007B979K87Q7AGDS9", role: "member", fileId }, NOW);
      const query = Object.fromEntries(new URL(url, "http://x").searchParams);
      expect(await verifyFileUrl(SECRET, fileId, query, NOW)).toMatchObject({ fileId });
      for (const sig of otherLastChars(query.sig!)) expect(await verifyFileUrl(SECRET, fileId, { ...query, sig }, NOW)).toBeNull();
    }
  });
});
