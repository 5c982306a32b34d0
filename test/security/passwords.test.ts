import { describe, expect, it } from "vitest";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import { resetTokensFor } from "../support/mail.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/** Issue #10 §6: every door that sets a password refuses guessable ones (one rule: passwordField). */
const WEAK = ["password12", "qwerty1234", "1234567890a", "P@ssw0rd2026", "woaini1314520", "abcabcabcabc1", "Zhang1985!!"];

const fieldOf = (reply: Awaited<ReturnType<typeof api.post>>) => expectProblem(reply, 400, "validation.failed").errors!.map((e) => e.path);

describe("password strength", () => {
  it("signup refuses common, sequential and repeated passwords, and creates no tenant", async () => {
    for (const password of WEAK) {
      const slug = unique("weak");
      expect(fieldOf(await api.post("/v1/tenants", { slug, name: "某局", admin: { email: `a@${slug}.cn`, name: "管理员", password } })), password).toContain("admin.password");
      expect((await api.post("/v1/auth/login", { tenant: slug, email: `a@${slug}.cn`, password })).status).toBe(401);
    }
  });

  it("invitation accept, password change and reset refuse them too, and change nothing", async () => {
    const t = await api.signUp();
    const invited = await api.post("/v1/members", { email: `${unique("m")}@example.cn`, name: "新成员" }, t.accessToken);
    for (const password of WEAK.slice(0, 3)) {
      expect(fieldOf(await api.post("/v1/invitations/accept", { token: invited.body.invitation.token, password })), password).toContain("password");
      expect(fieldOf(await api.post("/v1/me/password", { currentPassword: STRONG_PASSWORD, newPassword: password }, t.accessToken)), password).toContain("newPassword");
    }
    expect((await api.post("/v1/invitations/accept", { token: invited.body.invitation.token, password: "Hard-to-guess-7319" })).status).toBe(200);

    expect((await api.post("/v1/auth/password-reset", { tenant: t.tenant.slug, email: t.member.email })).status).toBe(202);
    const [token] = await resetTokensFor(api, t.member.email);
    expect(fieldOf(await api.post("/v1/auth/password-reset/confirm", { token, password: "qwerty1234" }))).toContain("password");
    expect((await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: STRONG_PASSWORD })).status).toBe(200);
    expect((await api.post("/v1/auth/password-reset/confirm", { token, password: "Lantern-river-4417" })).status).toBe(204);
  });

  it("refuses a NUL or other control character", async () => {
    const t = await api.signUp();
    expect(fieldOf(await api.post("/v1/me/password", { currentPassword: STRONG_PASSWORD, newPassword: "Hard-to-guess\u0000-7319" }, t.accessToken))).toContain("newPassword");
  });
});
