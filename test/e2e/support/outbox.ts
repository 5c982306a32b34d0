import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";

export interface SentMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

/** Every message the app wrote to DATA_DIR/outbox (the `npm start` default), oldest first. */
export async function outbox(dataDir: string): Promise<SentMail[]> {
  const dir = join(dataDir, "outbox");
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".eml")).sort();
  } catch {
    return [];
  }
  const mails: SentMail[] = [];
  for (const file of files) {
    const parsed = await simpleParser(readFileSync(join(dir, file)));
    const html = typeof parsed.html === "string" ? parsed.html : "";
    const text = parsed.text ?? "";
    const links = [...new Set([...`${text}\n${html}`.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0].replace(/&amp;/g, "&")))];
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
    mails.push({ to, subject: parsed.subject ?? "", text, html, links });
  }
  return mails;
}

/** Waits for the newest mail to an address (mail is sent after the answer on some routes). */
export async function mailTo(dataDir: string, address: string, timeoutMs = 10_000): Promise<SentMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await outbox(dataDir)).filter((m) => m.to.includes(address)).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} in the outbox`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Confirms a signup as its admin does: the link in the confirmation email, its token posted to the API. */
export async function confirmSignupFromOutbox(app: { url: string; dataDir: string }, adminEmail: string) {
  const deadline = Date.now() + 10_000;
  let link: string | undefined;
  while (!(link = (await outbox(app.dataDir)).filter((m) => m.to.includes(adminEmail)).flatMap((m) => m.links).find((l) => l.includes("/confirm#token=")))) {
    if (Date.now() > deadline) throw new Error(`no confirmation email to ${adminEmail}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = decodeURIComponent(new URL(link).hash.replace(/^#token=/, ""));
  const res = await fetch(`${app.url}/v1/tenants/confirm`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
  if (!res.ok) throw new Error(`confirmation failed: ${res.status} ${await res.text()}`);
}
