import { confirmSignup } from "../support/mail.js";
import { describe, expect, inject, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { STRONG_PASSWORD, unique } from "../support/api.js";
import type { Target } from "../support/target.js";
import { makeUnsubscribeToken } from "../../src/modules/reminders/unsubscribe-token.js";

const api = apiForSuite();

interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The last email to an address: kept in memory on Node, read from the SMTP sink in workerd. */
async function lastMailTo(email: string, matching: (m: Mail) => boolean = () => true): Promise<Mail> {
  const node = api.target as Target & { mail?: Mail[] };
  for (let i = 0; i < 50; i++) {
    const mails = node.mail ?? ((await (await fetch(inject("mailboxUrl"))).json()) as Mail[]);
    const found = mails.filter((m) => m.to === email && matching(m)).at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${email}`);
}

/** Every link in a message, from the text part and the HTML's hrefs. */
const linksOf = (m: Mail) => [...new Set([...(m.text.match(/https?:\/\/\S+/g) ?? []), ...[...(m.html ?? "").matchAll(/href="([^"]+)"/g)].map((x) => x[1]!.replace(/&#38;/g, "&"))])];

/** Read as a recipient would: every link opens a console page, nothing tells them to call an API. */
function expectWrittenForPeople(m: Mail) {
  for (const part of [m.text, m.html]) {
    expect(part).not.toMatch(/\/v1\/|接口|POST|请求体|token"/);
  }
  for (const link of linksOf(m)) expect(new URL(link).pathname).not.toMatch(/^\/v1\//);
}

describe("the emails speak to a person", () => {
  it("invitation: says who invited them and until when, one button to the console's invitation page", async () => {
    const t = await api.signUp({ name: "某市住建局" });
    const email = `${unique("inv")}@example.cn`;
    const invited = await api.post("/v1/members", { email, name: "周党员" }, t.accessToken);
    expect(invited.status).toBe(201);
    // The link handed to the admin is the console page too, the token after '#'.
    const url = new URL(invited.body.invitation.url);
    expect(url.pathname).toBe("/invite");
    expect(decodeURIComponent(url.hash)).toBe(`#token=${invited.body.invitation.token}`);

    const mail = await lastMailTo(email);
    expect(mail.subject).toBe("「某市住建局」邀请您使用清单工作台");
    expect(mail.text).toContain("周党员，您好：");
    expect(mail.text).toContain(`设置密码，启用账号：${invited.body.invitation.url}`);
    expect(mail.html).toContain(`lang="zh-CN"`);
    expectWrittenForPeople(mail);
    expect(linksOf(mail)).toEqual([invited.body.invitation.url]);
    // The token in the emailed link is the one that activates the account.
    const token = decodeURIComponent(new URL(linksOf(mail)[0]!).hash.replace(/^#token=/, ""));
    expect((await api.post("/v1/invitations/accept", { token, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it("invitation from an English-speaking bureau is in English", async () => {
    const slug = unique("en");
    const signup = await api.post("/v1/tenants", { slug, name: "Harbour Works Bureau", locale: "en", admin: { email: `admin@${slug}.example.cn`, name: "Admin", password: STRONG_PASSWORD } });
    expect(signup.status).toBe(201);
    await confirmSignup(api, `admin@${slug}.example.cn`);
    const email = `${unique("inv")}@example.cn`;
    await api.post("/v1/members", { email, name: "Li Wei" }, signup.body.accessToken);
    const mail = await lastMailTo(email);
    expect(mail.subject).toBe("Harbour Works Bureau invites you to the Qingdan workspace");
    expect(mail.text).toContain("Hello Li Wei,");
    expect(mail.text).toMatch(/Set my password: http\S+\/invite#token=/);
    expect(mail.text).not.toMatch(/[\u4e00-\u9fff]/); // one language per email
    expectWrittenForPeople(mail);
  });

  it("password reset: one button to the console's reset page, in the member's own language", async () => {
    const t = await api.signUp();
    await api.patch("/v1/me", { locale: "en" }, t.accessToken);
    expect((await api.post("/v1/auth/password-reset", { tenant: t.tenant.slug, email: t.member.email })).status).toBe(202);
    const mail = await lastMailTo(t.member.email, (m) => m.text.includes("/reset#token="));
    expect(mail.subject).toMatch(/^Reset your .+ Qingdan password$/);
    expect(mail.text).toMatch(/Choose a new password: http\S+\/reset#token=qdp\./);
    expect(mail.text).toContain("within one hour");
    expectWrittenForPeople(mail);
  });
});

describe("the unsubscribe link", () => {
  // The JWT secrets the two targets run with (test/support/node-target.ts, vitest.config.ts): an
  // unsubscribe token is an HMAC under it, minted here as a reminder email would carry it.
  const secret = () => (api.target.runtime === "node" ? "test-secret-test-secret-test-secret-0123" : "workerd-test-secret-workerd-test-secret-0123");

  it("GET tells the console page whose reminders it mutes; a browser is sent to that page; POST mutes them all", async () => {
    const t = await api.signUp({ name: "某区城管局" });
    const token = await makeUnsubscribeToken(secret(), t.tenant.id, t.member.id);
    const path = `/v1/unsubscribe?token=${encodeURIComponent(token)}`;
    const info = await api.get(path);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ tenant: { name: "某区城管局" }, mutedCategories: [] });
    const opened = await api.target.fetch(path, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }, redirect: "manual" });
    expect(opened.status).toBe(303);
    expect(new URL(opened.headers.get("location")!).pathname).toBe("/unsubscribe");
    expect(decodeURIComponent(new URL(opened.headers.get("location")!).hash)).toBe(`#token=${token}`);
    const muted = await api.post(path, undefined);
    expect(muted.status).toBe(200);
    expect(muted.body.mutedCategories.sort()).toEqual(["pledges", "problems", "summary", "tasks", "worklog"]);
    expect((await api.get("/v1/me/notifications", t.accessToken)).body.mutedCategories.sort()).toEqual(["pledges", "problems", "summary", "tasks", "worklog"]);
    // Another member's id under this signature, or a foreign tenant: a plain 404, nothing muted.
    const other = await api.addMember(t.accessToken);
    const forged = token.replace(t.member.id, other.id);
    expect((await api.post(`/v1/unsubscribe?token=${encodeURIComponent(forged)}`, undefined)).status).toBe(404);
    expect((await api.get("/v1/me/notifications", other.accessToken)).body.mutedCategories).toEqual([]);
  });
});
