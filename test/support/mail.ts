import { inject } from "vitest";
import type { Api } from "./api.js";
import type { Target } from "./target.js";

/**
 * The texts of the mails sent to `to` that contain `marker`, oldest first, waiting up to ~4 s for
 * `atLeast` of them: on Node the test target keeps its mail; in workerd it is read from the SMTP sink.
 */
export async function mailsTo(api: Api, to: string, marker: string, atLeast = 1): Promise<string[]> {
  const node = api.target as Target & { mail?: { to: string; text: string }[] };
  let texts: string[] = [];
  for (let i = 0; i < 40; i++) {
    const all = node.mail ?? ((await (await fetch(inject("mailboxUrl"))).json()) as { to: string; text: string }[]);
    texts = all.filter((m) => m.to === to && m.text.includes(marker)).map((m) => m.text);
    if (texts.length >= atLeast) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return texts;
}

/** The reset token of each reset email to `to`, oldest first. */
export const resetTokensFor = async (api: Api, to: string, atLeast = 1) =>
  (await mailsTo(api, to, "qdp.", atLeast)).map((text) => /#token=(qdp\.[A-Za-z0-9._%-]+)/.exec(text)?.[1] ?? "").map(decodeURIComponent);

/** The token of the newest signup confirmation email to `to`. */
export const confirmationTokenFor = async (api: Api, to: string) =>
  decodeURIComponent(/#token=(qdt\.[A-Za-z0-9._%-]+)/.exec((await mailsTo(api, to, "qdt.")).at(-1) ?? "")?.[1] ?? "");

/** Confirms a signup the way its admin does: the token from the email, posted by the console's /confirm page. */
export async function confirmSignup(api: Api, adminEmail: string) {
  const token = await confirmationTokenFor(api, adminEmail);
  const reply = await api.post("/v1/tenants/confirm", { token });
  if (reply.status !== 200) throw new Error(`confirmation failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}
