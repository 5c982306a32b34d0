import { zonedInstant } from "../../calendar/zoned.js";

/**
 * Width, height and when a photo was taken, read from its header and EXIF by hand: a few hundred
 * bytes of parsing instead of an image library the Worker bundle has no room for. Anything odd
 * yields nulls, never an error: a photo without EXIF is still evidence.
 */
export interface ImageMeta {
  width: number | null;
  height: number | null;
  takenAt: string | null;
}

const none: ImageMeta = { width: null, height: null, takenAt: null };

export function imageMeta(bytes: Uint8Array, contentType: string, timeZone: string): ImageMeta {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (contentType === "image/jpeg") return jpegMeta(bytes, view, timeZone);
    if (contentType === "image/png" && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20), takenAt: null };
    if (contentType === "image/webp") return { ...webpSize(bytes, view), takenAt: null };
    if (contentType === "image/heic" || contentType === "image/heif") return { ...heifSize(bytes, view), takenAt: null };
  } catch {
    // Truncated or malformed headers: the file type was already proven; its metadata is optional.
  }
  return none;
}

const ascii = (bytes: Uint8Array, start: number, length: number) => String.fromCharCode(...bytes.subarray(start, start + length));

function jpegMeta(bytes: Uint8Array, view: DataView, timeZone: string): ImageMeta {
  let width: number | null = null;
  let height: number | null = null;
  let exif: { orientation: number; taken: string | null; offset: string | null } | null = null;
  let at = 2;
  while (at + 4 <= bytes.length && width === null) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = view.getUint16(at + 2);
    // SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      height = view.getUint16(at + 5);
      width = view.getUint16(at + 7);
    } else if (marker === 0xe1 && exif === null && ascii(bytes, at + 4, 4) === "Exif") {
      exif = readExif(view, at + 10, length - 8);
    } else if (marker === 0xda) break;
    at += 2 + length;
  }
  // Orientations 5–8 turn the picture a quarter: the size a person sees is the other way round.
  if (exif && exif.orientation >= 5 && exif.orientation <= 8) [width, height] = [height, width];
  return { width, height, takenAt: exif?.taken ? takenAt(exif.taken, exif.offset, timeZone) : null };
}

/** TIFF inside APP1: IFD0's orientation, and DateTimeOriginal (+ OffsetTimeOriginal) in the Exif IFD. */
function readExif(view: DataView, tiff: number, length: number) {
  const end = Math.min(view.byteLength, tiff + length);
  const little = view.getUint16(tiff) === 0x4949;
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  const entries = (ifd: number) => {
    const out = new Map<number, number>();
    if (ifd + 2 > end) return out;
    const count = Math.min(u16(ifd), 512);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (entry + 12 > end) break;
      out.set(u16(entry), entry);
    }
    return out;
  };
  const text = (entry: number | undefined) => {
    if (entry === undefined) return null;
    const count = u32(entry + 4);
    const start = count > 4 ? tiff + u32(entry + 8) : entry + 8;
    if (count > 64 || start + count > end) return null;
    let s = "";
    for (let i = 0; i < count; i++) {
      const c = view.getUint8(start + i);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  };
  const ifd0 = entries(tiff + u32(tiff + 4));
  const orientationEntry = ifd0.get(0x0112);
  const orientation = orientationEntry === undefined ? 1 : u16(orientationEntry + 8);
  const exifPointer = ifd0.get(0x8769);
  const exifIfd = exifPointer === undefined ? new Map<number, number>() : entries(tiff + u32(exifPointer + 8));
  return { orientation, taken: text(exifIfd.get(0x9003)) ?? text(ifd0.get(0x0132)), offset: text(exifIfd.get(0x9011)) };
}

/** EXIF says "2026:05:12 09:30:00" in the camera's local time; without a recorded offset, the tenant's zone is the best guess. */
function takenAt(value: string, offset: string | null, timeZone: string): string | null {
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  if (Number(y) < 1990 || Number(y) > 2100 || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const date = `${y}-${mo}-${d}`;
  const time = `${h}:${mi}:${s}`;
  const instant = offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? new Date(`${date}T${time}${offset}`) : zonedInstant(date, time, timeZone);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

function webpSize(bytes: Uint8Array, view: DataView) {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === "VP8 ") return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  if (chunk === "VP8L") {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") {
    const u24 = (o: number) => bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16);
    return { width: u24(24) + 1, height: u24(27) + 1 };
  }
  return { width: null, height: null };
}

/** HEIF keeps each image's size in an `ispe` property; the largest one is the primary picture (the rest are thumbnails and tiles). */
function heifSize(bytes: Uint8Array, view: DataView) {
  let best: { width: number; height: number } | null = null;
  const limit = Math.min(bytes.length - 16, 256 * 1024);
  for (let i = 4; i < limit; i++) {
    if (bytes[i] === 0x69 && bytes[i + 1] === 0x73 && bytes[i + 2] === 0x70 && bytes[i + 3] === 0x65) {
      const width = view.getUint32(i + 8);
      const height = view.getUint32(i + 12);
      if (!best || width * height > best.width * best.height) best = { width, height };
    }
  }
  return best ?? { width: null, height: null };
}
