import fc from "fast-check";
import { fileTypeFromBuffer } from "file-type/core";
import { describe, expect, it } from "vitest";
import { sniff } from "../../src/modules/files/sniff.js";
import { acceptedTypes } from "../../src/modules/files/types.js";
import { docx, exe, jpeg, pdf, png, xlsx } from "../files/fixtures.js";

/**
 * Our sniffer (sniff.ts, kept small for the Worker bundle) must agree with file-type 21.3.4 on
 * every input: same accepted type, or both refuse. file-type is the reference, run here on Node.
 */
async function reference(bytes: Uint8Array) {
  const found = await fileTypeFromBuffer(bytes);
  return found && acceptedTypes[found.mime] ? found.mime : null;
}
const ours = (bytes: Uint8Array) => {
  const mime = sniff(bytes);
  return mime === "zip" ? null : mime;
};

const enc = (s: string) => new TextEncoder().encode(s);
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};
const box = (brand: string) => join(Uint8Array.of(0, 0, 0, 24), enc(`ftyp${brand}`), Uint8Array.of(0, 0, 0, 0), enc(`mif1${brand}`), new Uint8Array(4000));

describe("sniffing agrees with file-type 21.3.4", () => {
  it("on the accepted types and on what must be refused", async () => {
    const samples: Record<string, Uint8Array> = {
      jpeg: jpeg(),
      png: png(),
      pdf: pdf(),
      docx: docx(),
      xlsx: xlsx(),
      webpLossy: join(enc("RIFF"), Uint8Array.of(0xf0, 0, 0, 0), enc("WEBPVP8 "), new Uint8Array(4000)),
      heic: box("heic"),
      heix: box("heix"),
      mif1: box("mif1"),
      hevcSequence: box("hevc"),
      mp4: box("isom"),
      exe: exe(),
      html: enc("<!DOCTYPE html><html><script>alert(1)</script></html>".padEnd(4200)),
      gif: join(enc("GIF89a"), new Uint8Array(4000)),
      svg: enc('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'.padEnd(4200)),
      zipNotOffice: join(Uint8Array.of(0x50, 0x4b, 0x03, 0x04), new Uint8Array(200)),
      truncatedJpeg: Uint8Array.of(0xff, 0xd8),
      empty: new Uint8Array(0),
    };
    for (const [name, bytes] of Object.entries(samples)) expect({ name, mime: ours(bytes) }).toEqual({ name, mime: await reference(bytes) });
    // The fixtures really are what they claim, so the check above is not agreement on nothing.
    expect([ours(samples.jpeg!), ours(samples.heic!), ours(samples.docx!), ours(samples.xlsx!), ours(samples.webpLossy!)]).toEqual([
      "image/jpeg",
      "image/heic",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "image/webp",
    ]);
  });

  // On garbage after a magic number file-type sometimes gives up where we do not (a PNG's later
  // chunks, say); what must hold is that we never accept bytes it identifies as something else.
  it("never accepts arbitrary bytes that file-type calls something else", async () => {
    const magics = [[], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...enc("IHDR")], [0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [...enc("%PDF-")], [...enc("RIFF")], [0x50, 0x4b, 0x03, 0x04], [0, 0, 0, 24, ...enc("ftyp")], [...enc("MZ")]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 600 }), async (magic, rest) => {
        const bytes = join(Uint8Array.from(magic), rest);
        const mime = ours(bytes);
        const found = await fileTypeFromBuffer(bytes);
        if (mime && found) expect([mime, mime === "image/png" ? "image/apng" : mime]).toContain(found.mime);
        if (!mime && found) expect(acceptedTypes[found.mime]).toBeUndefined();
      }),
      { numRuns: Number(process.env.SNIFF_RUNS ?? 800), examples: [[[0xff, 0xd8, 0xff], Uint8Array.from([0xf7])]] },
    );
  });
});
