import type { FileRow } from "../../db/tenant/files.js";

/** RFC 5987 `filename*`: UTF-8, percent-encoded, so 会议签到表.pdf arrives as itself in every browser. */
const encodeRfc5987 = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** An ASCII stand-in for old clients that ignore `filename*`. */
const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");

/**
 * Headers for a download: the type proven at upload (never HTML), no sniffing, no script even if a
 * browser were talked into rendering it, photos inline (for `<img>`) and documents as attachments.
 */
export function downloadHeaders(row: FileRow) {
  const disposition = row.kind === "photo" ? "inline" : "attachment";
  return {
    "Content-Type": row.contentType,
    "Content-Disposition": `${disposition}; filename="${asciiFallback(row.name)}"; filename*=UTF-8''${encodeRfc5987(row.name)}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    // Private: a shared cache must never hand one member's file to another. Content never changes under an id.
    "Cache-Control": "private, max-age=600",
    ETag: `"${row.sha256}"`,
  };
}
