/**
 * Magic numbers for exactly the types we accept. file-type 21.3.4 does this for 200 types and
 * costs the Worker ~20 KiB gzipped (its ZIP reader and debug logger come along), which would leave
 * the 250 KiB budget no room; these ~80 lines decide the same for our eight, and a Node test
 * (test/node/files-sniff.test.ts) holds them to file-type's answers. See docs/adr/0007-file-storage.md.
 */

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
const startsWith = (bytes: Uint8Array, magic: number[], at = 0) => magic.every((b, i) => bytes[at + i] === b);

const WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The accepted MIME type the bytes prove, `zip` for a ZIP not (yet) known to be DOCX or XLSX, or null. */
export function sniff(bytes: Uint8Array): string | null {
  // FF D8 FF F7 opens a JPEG-LS (SOF55) file, which no browser shows.
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return bytes[3] === 0xf7 ? null : "image/jpeg";
  // Every PNG opens with its IHDR chunk.
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && ascii(bytes, 12, 4) === "IHDR") return "image/png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "image/webp";
  if (ascii(bytes, 4, 4) === "ftyp") {
    const brand = ascii(bytes, 8, 4);
    // As file-type reads the major brand: heic/heix are HEIC stills, mif1 a HEIF still; sequences are not photos.
    if (brand === "heic" || brand === "heix") return "image/heic";
    if (brand === "mif1") return "image/heif";
    return null;
  }
  if (ascii(bytes, 0, 5) === "%PDF-") return "application/pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeType(bytes) ?? "zip";
  return null;
}

/**
 * A DOCX or XLSX by the names in the ZIP's central directory (at the end, so the whole file must be
 * here): `[Content_Types].xml` plus the main part. A macro project (vbaProject.bin) is not accepted.
 */
function officeType(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const nameLength = view.getUint16(at + 28, true);
    names.add(new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  if (!names.has("[Content_Types].xml") || [...names].some((n) => n.endsWith("vbaProject.bin"))) return null;
  if (names.has("word/document.xml")) return WORD;
  if (names.has("xl/workbook.xml")) return EXCEL;
  return null;
}
