import type { FileKind } from "../../db/tenant/files.js";
import { ProblemError } from "../../http/problem.js";
import { sniff } from "./sniff.js";

/** What may be uploaded: the photos phones take and the documents bureaus hand out. Nothing else, and never HTML. */
export const acceptedTypes: Record<string, { kind: FileKind; ext: string }> = {
  "image/jpeg": { kind: "photo", ext: "jpg" },
  "image/png": { kind: "photo", ext: "png" },
  "image/webp": { kind: "photo", ext: "webp" },
  "image/heic": { kind: "photo", ext: "heic" },
  "image/heif": { kind: "photo", ext: "heif" },
  "application/pdf": { kind: "document", ext: "pdf" },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { kind: "document", ext: "docx" },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { kind: "document", ext: "xlsx" },
};

export const MB = 1024 * 1024;
export const sizeLimits: Record<FileKind, number> = { photo: 10 * MB, document: 20 * MB };
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(sizeLimits));
/** How many leading bytes decide a kind (as file-type reads them); a ZIP's kind is "document" until its end is read. */
export const SNIFF_BYTES = 4100;

/** Names clients send for the same thing. */
const aliases: Record<string, string> = { "image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/heif": "image/heic" };
const canonical = (mime: string) => aliases[mime] ?? mime;

const unsupported = (detail?: string) => new ProblemError("file.unsupported_type", detail);

/**
 * The kind of an upload from its first bytes, to pick its size limit before the rest is read. A ZIP
 * might be a DOCX or an XLSX (decided once the whole file is here); anything else not accepted is
 * refused at once.
 */
export async function kindFromPrefix(prefix: Uint8Array): Promise<FileKind> {
  const found = sniff(prefix);
  if (found === "zip") return "document";
  if (found && acceptedTypes[found]) return acceptedTypes[found]!.kind;
  throw unsupported();
}

/** The type proven by the whole file's bytes; the client's claim, when it makes one, must agree. */
export async function typeOf(bytes: Uint8Array, claimed: string | undefined): Promise<{ mime: string; kind: FileKind; ext: string }> {
  const mime = sniff(bytes);
  const accepted = mime && acceptedTypes[mime];
  if (!mime || !accepted) throw unsupported();
  const claim = claimed?.split(";")[0]!.trim().toLowerCase();
  if (claim && claim !== "application/octet-stream" && canonical(claim) !== canonical(mime)) {
    throw unsupported(`声明为 ${claim}，内容是 ${mime} / Declared ${claim} but the bytes are ${mime}`);
  }
  return { mime, ...accepted };
}

/**
 * The name kept and sent back on download: no path, no control characters, and an extension that
 * matches the bytes (a phone's IMG_0001.HEIC compressed to JPEG in the browser becomes IMG_0001.jpg).
 */
export function storedName(given: string | undefined, ext: string): string {
  const base = (given ?? "")
    .replace(/^.*[\\/]/, "")
    .replace(/[\u0000-\u001f\u007f"]/g, "")
    .trim()
    .slice(0, 180);
  const stem = base.replace(/\.(jpe?g|png|webp|hei[cf]|pdf|docx|xlsx)$/i, "");
  return `${stem || "file"}.${ext}`;
}
