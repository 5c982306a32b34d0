import { describe, expect, inject, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import type { Target } from "../support/target.js";

const api = apiForSuite();

/** The reset token arrives by email: on Node the test target keeps the mail; in workerd it is read from the SMTP sink. */
async function resetTokenFor(email: string): Promise<string> {
  const node = api.target as Target & { mail?: { to: string; text: string }[] };
  let text: string | undefined;
  for (let i = 0; i < 40 && !text; i++) {
    if (node.mail) text = node.mail.filter((m) => m.to === email && m.text.includes("qdp.")).at(-1)?.text;
    else {
      const mails = (await (await fetch(inject("mailboxUrl"))).json()) as { to: string; text: string }[];
      text = mails.filter((m) => m.to === email && m.text.includes("qdp.")).at(-1)?.text;
    }
    if (!text) await new Promise((r) => setTimeout(r, 100));
  }
  // The email links the console's reset page, the token after `#` (never sent to the server in a URL).
  const link = /https?:\/\/\S+\/reset#token=(\S+)/.exec(text ?? "");
  expect(text ?? "").not.toContain("/v1/");
  return decodeURIComponent(link?.[1] ?? "");
}

describe("password reset", () => {
  it("emails a one-time link; the new password works, the old one and every session end", async () => {
    const t = await api.signUp({ email: `${unique("reset")}@example.cn` });
    const asked = await api.post("/v1/auth/password-reset", { tenant: t.tenant.slug, email: t.member.email });
    expect(asked.status).toBe(202);
    const token = await resetTokenFor(t.member.email);
    expect(token).toMatch(/^qdp\.ten_/);
    expect(expectProblem(await api.post("/v1/auth/password-reset/confirm", { token, password: "short" }), 400).errors![0]!.path).toBe("password");
    expect((await api.post("/v1/auth/password-reset/confirm", { token, password: "Reset-New-Pass-1" })).status).toBe(204);
    expectProblem(await api.post("/v1/auth/password-reset/confirm", { token, password: "Reset-New-Pass-2" }), 400, "auth.reset_invalid");
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: t.refreshToken }), 401);
    expectProblem(await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: STRONG_PASSWORD }), 401);
    expect((await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: "Reset-New-Pass-1" })).status).toBe(200);
  });

  it("answers the same for unknown emails and tenants, and refuses forged tokens", async () => {
    const t = await api.signUp();
    expect((await api.post("/v1/auth/password-reset", { tenant: t.tenant.slug, email: "nobody@example.cn" })).status).toBe(202);
    expect((await api.post("/v1/auth/password-reset", { tenant: "no-such-bureau", email: "nobody@example.cn" })).status).toBe(202);
    expectProblem(await api.post("/v1/auth/password-reset/confirm", { token: `qdp.${t.tenant.id}.${"A".repeat(43)}`, password: "Reset-New-Pass-1" }), 400, "auth.reset_invalid");
    expectProblem(await api.post("/v1/auth/password-reset/confirm", { token: "garbage", password: "Reset-New-Pass-1" }), 400, "auth.reset_invalid");
  });
});
