import { randomBytes } from "node:crypto";
import type { MailMessage } from "../ports.js";

const ASCII = /^[\x20-\x7e]*$/;

/** RFC 2047 encoded words for a header value with non-ASCII text: UTF-8, base64, ≤ 75 characters each, folded. */
function encodeWords(value: string): string {
  if (ASCII.test(value)) return value;
  const words: string[] = [];
  let chunk = "";
  for (const ch of value) {
    // 45 bytes of UTF-8 make 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays within 75.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString("base64")}?=`).join("\r\n ");
}

/** `名字 <a@b>` → the address, and the header with the name encoded. */
export function parseFrom(from: string): { address: string; header: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  if (!m) return { address: from.trim(), header: from.trim() };
  const [, name, address] = m as unknown as [string, string, string];
  if (!name) return { address, header: `<${address}>` };
  const quoted = ASCII.test(name) ? (/^[\w !#$%&'*+\-/=?^`{|}~.]*$/.test(name) ? name : `"${name.replace(/["\\]/g, "\\$&")}"`) : encodeWords(name);
  return { address, header: `${quoted} <${address}>` };
}

/** Base64 in lines of 76, as RFC 2045 asks (sliced: a regex over the 8 kB of a digest cost more than the encoding). */
function base64Lines(text: string): string {
  const b64 = Buffer.from(text).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\r\n");
}

/**
 * Boundaries: unique per message without a random draw each (randomBytes is a synchronous syscall per
 * email). Both parts are base64, whose alphabet has no "_", so "_qd_…" can never occur inside them.
 */
const BOUNDARY_PREFIX = `_qd_${randomBytes(6).toString("hex")}_`;
let boundaries = 0;

/**
 * The whole message as one string (RFC 5322 + MIME): text and HTML as multipart/alternative, each
 * base64 in UTF-8. Built here rather than by nodemailer's composer, which streams each part through
 * a chain of transforms and writes the socket in small pieces: that was most of a digest's CPU (issue 19).
 * `headers` go out as given (Message-ID, List-Unsubscribe…), encoded only when not ASCII.
 */
export function buildMime(from: string, message: MailMessage, now = new Date()): string {
  const head = [`From: ${from}`, `To: ${message.to}`, `Subject: ${encodeWords(message.subject)}`, `Date: ${now.toUTCString().replace("GMT", "+0000")}`, "MIME-Version: 1.0"];
  for (const [name, value] of Object.entries(message.headers ?? {})) head.push(`${name}: ${encodeWords(value)}`);
  const text = `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(message.text)}`;
  if (message.html === undefined) return `${head.join("\r\n")}\r\n${text}\r\n`;
  const boundary = `--${BOUNDARY_PREFIX}${(++boundaries).toString(36)}`;
  const html = `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(message.html)}`;
  return `${head.join("\r\n")}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n--${boundary}\r\n${text}\r\n--${boundary}\r\n${html}\r\n--${boundary}--\r\n`;
}
