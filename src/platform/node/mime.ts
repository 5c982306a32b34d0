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

/** A morning's subjects are a few dozen strings ("今日待办 3 项，逾期 1 项"): each encoded once (kept until 256 differ). */
const subjects = new Map<string, string>();
function subjectWords(subject: string): string {
  let encoded = subjects.get(subject);
  if (encoded === undefined) {
    if (subjects.size >= 256) subjects.clear();
    subjects.set(subject, (encoded = encodeWords(subject)));
  }
  return encoded;
}

/** RFC 5322's date, written once a second (a relay takes thousands of messages a second). */
let dateSecond = NaN;
let dateText = "";
function dateHeader(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = now.toUTCString().replace("GMT", "+0000");
  }
  return dateText;
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

/**
 * UTF-8 of a part, written into one buffer kept for the process (grown when a part needs more): a
 * `Buffer.from(text)` a part was the largest allocation of an email (issue 19), and the bytes live only
 * until their base64 is read. Synchronous, so no two parts share it at once.
 */
const utf8 = new TextEncoder();
let scratch = Buffer.allocUnsafeSlow(16_384);

/** Base64 in lines of 76, as RFC 2045 asks: 57 bytes a line; appended slices, not an array joined (cheaper, and flattened once when sent). */
function base64Lines(text: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 > scratch.length) scratch = Buffer.allocUnsafeSlow(text.length * 3);
  const b64 = scratch.toString("base64", 0, utf8.encodeInto(text, scratch).written);
  let out = b64.slice(0, 76);
  for (let i = 76; i < b64.length; i += 76) out += "\r\n" + b64.slice(i, i + 76);
  return out;
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
  let head = `From: ${from}\r\nTo: ${message.to}\r\nSubject: ${subjectWords(message.subject)}\r\nDate: ${dateHeader(now)}\r\nMIME-Version: 1.0`;
  const headers = message.headers;
  if (headers) for (const name in headers) head += `\r\n${name}: ${encodeWords(headers[name]!)}`;
  const text = `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(message.text)}`;
  if (message.html === undefined) return `${head}\r\n${text}\r\n`;
  const boundary = `--${BOUNDARY_PREFIX}${(++boundaries).toString(36)}`;
  const html = `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(message.html)}`;
  return `${head}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n--${boundary}\r\n${text}\r\n--${boundary}\r\n${html}\r\n--${boundary}--\r\n`;
}
