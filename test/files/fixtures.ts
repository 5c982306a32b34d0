/**
 * Real file headers built byte by byte (no binary fixtures in the repository): what a phone's JPEG
 * with EXIF, a PNG, a PDF, an Office document (a ZIP with the right entries) and a Windows
 * executable look like to a sniffer.
 */

const bytes = (...parts: (number[] | Uint8Array | string)[]) => {
  const arrays = parts.map((p) => (typeof p === "string" ? new TextEncoder().encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};
const u16be = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u16le = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

/** Filler that stands in for compressed pixels, deterministic per seed so sha256 differs between seeds. */
function filler(length: number, seed: number) {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
    if (out[i] === 0xff) out[i] = 0xfe;
  }
  return out;
}

/** A baseline JPEG with an EXIF block (DateTimeOriginal, optional OffsetTimeOriginal and Orientation). */
export function jpeg(options: { width?: number; height?: number; taken?: string; offset?: string; orientation?: number; size?: number; seed?: number } = {}) {
  const { width = 4032, height = 3024, taken = "2026:05:12 09:30:00", offset, orientation = 1, size = 4096, seed = 1 } = options;
  // TIFF, little-endian: IFD0 { Orientation, ExifIFDPointer } → Exif IFD { DateTimeOriginal, OffsetTimeOriginal? }.
  const ifd0At = 8;
  const ifd0 = 2 + 2 * 12 + 4;
  const exifAt = ifd0At + ifd0;
  const exifEntries = offset ? 2 : 1;
  const exifSize = 2 + exifEntries * 12 + 4;
  const dateAt = exifAt + exifSize;
  const offsetAt = dateAt + 20;
  const tiff = bytes(
    "II", u16le(42), u32le(ifd0At),
    u16le(2), u16le(0x0112), u16le(3), u32le(1), u16le(orientation), u16le(0), u16le(0x8769), u16le(4), u32le(1), u32le(exifAt), u32le(0),
    u16le(exifEntries), u16le(0x9003), u16le(2), u32le(20), u32le(dateAt),
    offset ? bytes(u16le(0x9011), u16le(2), u32le(7), u32le(offsetAt)) : [],
    u32le(0),
    `${taken}\0`,
    offset ? `${offset}\0` : "",
  );
  const app1 = bytes([0xff, 0xe1], u16be(2 + 6 + tiff.length), "Exif\0\0", tiff);
  const sof0 = bytes([0xff, 0xc0], u16be(17), [8], u16be(height), u16be(width), [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = bytes([0xff, 0xda], u16be(12), [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]);
  const head = bytes([0xff, 0xd8], app1, sof0, sos);
  return bytes(head, filler(Math.max(0, size - head.length - 2), seed), [0xff, 0xd9]);
}

export function png(options: { width?: number; height?: number; size?: number; seed?: number } = {}) {
  const { width = 800, height = 600, size = 2048, seed = 2 } = options;
  const head = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), "IHDR", u32be(width), u32be(height), [8, 2, 0, 0, 0], u32be(0));
  return bytes(head, u32be(size - head.length - 12), "IDAT", filler(Math.max(0, size - head.length - 12), seed));
}

export function pdf(size = 2048, seed = 3) {
  return bytes("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", filler(size, seed), "\n%%EOF\n");
}

/** A ZIP of stored entries: enough for a sniffer to tell a DOCX (word/…) from an XLSX (xl/…). */
function zip(entries: { name: string; data: string }[]) {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const data = new TextEncoder().encode(entry.data);
    const local = bytes(u32le(0x04034b50), u16le(20), u16le(0), u16le(0), u16le(0), u16le(0), u32le(0), u32le(data.length), u32le(data.length), u16le(name.length), u16le(0), name, data);
    centrals.push(bytes(u32le(0x02014b50), u16le(20), u16le(20), u16le(0), u16le(0), u16le(0), u16le(0), u32le(0), u32le(data.length), u32le(data.length), u16le(name.length), u16le(0), u16le(0), u16le(0), u16le(0), u32le(0), u32le(offset), name));
    locals.push(local);
    offset += local.length;
  }
  const central = bytes(...centrals);
  return bytes(...locals, central, u32le(0x06054b50), u16le(0), u16le(0), u16le(entries.length), u16le(entries.length), u32le(central.length), u32le(offset), u16le(0));
}

const contentTypes = (part: string, type: string) =>
  `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}.main+xml"/></Types>`;
export const docx = () => zip([{ name: "[Content_Types].xml", data: contentTypes("/word/document.xml", "wordprocessingml.document") }, { name: "word/document.xml", data: "<w:document/>" }]);
export const xlsx = () => zip([{ name: "[Content_Types].xml", data: contentTypes("/xl/workbook.xml", "spreadsheetml.sheet") }, { name: "xl/workbook.xml", data: "<workbook/>" }]);

/** A Windows executable: what a "photo.png" from a phishing mail really is. */
export function exe(size = 8192) {
  const head = bytes("MZ", new Uint8Array(58), u32le(64), "PE\0\0", u16le(0x14c), new Uint8Array(18));
  return bytes(head, filler(size - head.length, 4));
}
