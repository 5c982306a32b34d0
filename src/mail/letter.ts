import type { MailMessage } from "../platform/ports.js";

export type LetterLang = "zh-CN" | "en";

/** English for a member (or bureau) that chose it; Chinese otherwise. */
export const letterLang = (...locales: (string | null | undefined)[]): LetterLang => {
  const chosen = locales.find((l) => l);
  return chosen?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
};

export interface LetterItem {
  text: string;
  url?: string;
}

/**
 * An email written to a person: who it is for, what happened, what to do, and one button that opens
 * the console page to do it. Lists (a digest's tasks) come between the words and the button.
 */
export interface Letter {
  lang: LetterLang;
  to: string;
  subject: string;
  greeting: string;
  /** What happened and what to do, one paragraph each. */
  paragraphs: string[];
  /** `tone` colours the heading by urgency, 红黄 as the console does (red overdue, yellow due soon). */
  sections?: { heading: string; tone?: "red" | "yellow"; items: LetterItem[] }[];
  button: { label: string; url: string };
  /** Small print: why this email came, how to stop it, what to do if it was not expected. */
  footer: string[];
  /** Links inside the footer, written after their line. */
  footerLinks?: { label: string; url: string }[];
  signature: string;
  headers?: Record<string, string>;
}

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;
// Most of a letter's strings have nothing to escape: a test first spares a replace with a callback (a morning renders 200,000 letters).
const escapeHtml = (s: string) => (HTML_SPECIAL.test(s) ? s.replace(HTML_SPECIALS, (ch) => `&#${ch.charCodeAt(0)};`) : s);

const fallback = { "zh-CN": "如果按钮打不开，请把下面的链接复制到手机或电脑的浏览器中打开：", en: "If the button does not open, copy this link into your browser:" };

const tones = { red: "#ee0a24", yellow: "#ed6a0c" };

const colon = { "zh-CN": "：", en: ": " };

const font = `-apple-system,BlinkMacSystemFont,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif`;

const small = "color:#969799;font-size:12px;";
const p = (s: string, style = "") => `<p style="margin:0 0 14px;${style}">${escapeHtml(s)}</p>`;
const bodyStart = `<body style="margin:0;padding:0;background:#f7f8fa"><div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:${font};font-size:15px;line-height:1.7;color:#323233;background:#ffffff">`;
const fallbackHtml = { "zh-CN": p(fallback["zh-CN"], small + "margin-bottom:4px;"), en: p(fallback.en, small + "margin-bottom:4px;") };

/** The plain text part: it reads well on its own (many mail apps show only it). Appended to one string, not arrays joined. */
function letterText(letter: Letter): string {
  const sep = colon[letter.lang];
  let text = `${letter.greeting}\n\n`;
  for (const x of letter.paragraphs) text += `${x}\n\n`;
  for (const s of letter.sections ?? []) {
    text += letter.lang === "en" ? `${s.heading}:\n` : `【${s.heading}】\n`;
    for (const i of s.items) text += i.url ? `- ${i.text}\n  ${i.url}\n` : `- ${i.text}\n`;
    text += "\n";
  }
  text += `${letter.button.label}${sep}${letter.button.url}\n\n${letter.signature}\n\n——`;
  for (const x of letter.footer) text += `\n${x}`;
  for (const l of letter.footerLinks ?? []) text += `\n${l.label}${sep}${l.url}`;
  return text;
}

/** The HTML part: the same words, the button styled, the small print grey. */
function letterHtml(letter: Letter): string {
  const buttonUrl = escapeHtml(letter.button.url);
  const footerLinks = letter.footerLinks ?? [];
  let html = `<!doctype html><html lang="${letter.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(letter.subject)}</title></head>${bodyStart}${p(letter.greeting)}`;
  for (const x of letter.paragraphs) html += p(x);
  for (const s of letter.sections ?? []) {
    html += `<h2 style="font-size:15px;margin:18px 0 6px;color:${s.tone ? tones[s.tone] : "#323233"}">${escapeHtml(s.heading)}</h2><ul style="margin:0 0 8px;padding-left:20px">`;
    for (const i of s.items) html += `<li style="margin:0 0 6px">${i.url ? `<a href="${escapeHtml(i.url)}" style="color:#1989fa;text-decoration:none">${escapeHtml(i.text)}</a>` : escapeHtml(i.text)}</li>`;
    html += "</ul>";
  }
  html += `<p style="margin:22px 0"><a href="${buttonUrl}" style="display:inline-block;background:#c8161d;color:#ffffff;font-weight:bold;padding:12px 28px;border-radius:6px;text-decoration:none;font-size:16px">${escapeHtml(letter.button.label)}</a></p>`;
  html += `${fallbackHtml[letter.lang]}<p style="margin:0 0 14px;${small}word-break:break-all"><a href="${buttonUrl}" style="color:#969799">${buttonUrl}</a></p>${p(letter.signature)}<hr style="border:none;border-top:1px solid #ebedf0;margin:20px 0 12px">`;
  for (const x of letter.footer) html += p(x, small + "margin-bottom:6px;");
  if (footerLinks.length) html += `<p style="margin:0;${small}">${footerLinks.map((l) => `<a href="${escapeHtml(l.url)}" style="color:#969799">${escapeHtml(l.label)}</a>`).join(" · ")}</p>`;
  html += "</div></body></html>";
  return html;
}

/** Plain text and HTML from one letter. */
export function renderLetter(letter: Letter): MailMessage {
  return { to: letter.to, subject: letter.subject, text: letterText(letter), html: letterHtml(letter), ...(letter.headers ? { headers: letter.headers } : {}) };
}

/** The letter last made, kept for the next read: a message is sent by reading its text, then its HTML. */
let made: { from: () => Letter; letter: Letter } | undefined;
const lastMade = (from: () => Letter) => (made?.from === from ? made.letter : (made = { from, letter: from() }).letter);

/**
 * A message whose text and HTML are written when read, from a letter made then (each read writes it
 * again: the same bytes). For mail composed long before it is sent: a morning plans a tenant's 200
 * digests, claims them, then sends them one by one. Kept written, their ~9 KB each outlived
 * young-generation collections and every scavenge copied them (issue 19: ≈ a third of planning's
 * CPU a tenant); kept as what makes them, the parts live only from being read to being sent.
 */
export function deferredLetter(head: { to: string; subject: string; headers?: Record<string, string> }, letter: () => Letter): MailMessage {
  const message = {
    to: head.to,
    subject: head.subject,
    get text() {
      return letterText(lastMade(letter));
    },
    get html() {
      return letterHtml(lastMade(letter));
    },
  };
  return head.headers ? Object.assign(message, { headers: head.headers }) : message;
}

/** A date and time as the reader reads it, in the bureau's zone: 2026年12月6日 16:00 / Dec 6, 2026, 4:00 PM. */
export const readableTime = (iso: string, lang: LetterLang, timeZone: string) =>
  new Intl.DateTimeFormat(lang, { timeZone, year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: lang === "en" }).format(new Date(iso));
