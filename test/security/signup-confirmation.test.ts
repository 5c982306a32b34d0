import { describe, expect, it } from "vitest";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import { confirmationTokenFor, mailsTo } from "../support/mail.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/** Issue #10 §2: a signup must confirm its email before the bureau sends mail or invites anyone. */
describe("signup confirmation", () => {
  it("signup answers 201 with tokens and emails a /confirm#token= link; until confirmed the bureau invites nobody and sends no reset email", async () => {
    const t = await api.signUp({ confirm: false });
    const admin = t.member.email;
    expect((await api.get("/v1/me", t.accessToken)).status).toBe(200);
    const [letter] = await mailsTo(api, admin, "qdt.");
    expect(letter).toMatch(/\/confirm#token=qdt\./);
    expect(letter).not.toContain("/v1/");

    expectProblem(await api.post("/v1/members", { email: `${unique("m")}@example.cn`, name: "李党员", role: "member" }, t.accessToken), 403, "tenant.unconfirmed");
    expect((await api.post("/v1/auth/password-reset", { tenant: t.tenant.slug, email: admin })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 800));
    expect(await mailsTo(api, admin, "qdp.", 0)).toEqual([]);

    const token = await confirmationTokenFor(api, admin);
    const confirmed = await api.post("/v1/tenants/confirm", { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.tenant.slug).toBe(t.tenant.slug);
    expectProblem(await api.post("/v1/tenants/confirm", { token }), 400, "tenant.confirmation_invalid");
    expect((await api.post("/v1/members", { email: `${unique("m")}@example.cn`, name: "李党员", role: "member" }, t.accessToken)).status).toBe(201);
  });

  it("refuses forged tokens and another tenant's; an admin can ask for a new link, which replaces the first", async () => {
    const t = await api.signUp({ confirm: false });
    const other = await api.signUp({ confirm: false });
    const first = await confirmationTokenFor(api, t.member.email);
    expectProblem(await api.post("/v1/tenants/confirm", { token: "qdt.nonsense" }), 400, "tenant.confirmation_invalid");
    expectProblem(await api.post("/v1/tenants/confirm", { token: first.replace(t.tenant.id, other.tenant.id) }), 400, "tenant.confirmation_invalid");
    expect((await api.post("/v1/tenants/confirm/resend", {}, t.accessToken)).status).toBe(202);
    const [, second] = await mailsTo(api, t.member.email, "qdt.", 2);
    const fresh = decodeURIComponent(/#token=(qdt\.[A-Za-z0-9._%-]+)/.exec(second ?? "")?.[1] ?? "");
    expect(fresh).not.toBe(first);
    expectProblem(await api.post("/v1/tenants/confirm", { token: first }), 400, "tenant.confirmation_invalid");
    expect((await api.post("/v1/tenants/confirm", { token: fresh })).status).toBe(200);
    expectProblem(await api.post("/v1/tenants/confirm/resend", {}, t.accessToken), 409, "tenant.already_confirmed");
  });

  it("a client may sign up 5 bureaus; the 6th is refused with 429 and Retry-After", async () => {
    const client = { "x-forwarded-for": `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
    const body = () => {
      const slug = unique("quota");
      return { slug, name: "某单位", admin: { email: `a@${slug}.cn`, name: "某人", password: STRONG_PASSWORD } };
    };
    for (let i = 0; i < 5; i++) expect((await api.post("/v1/tenants", body(), undefined, client)).status).toBe(201);
    const refused = await api.post("/v1/tenants", body(), undefined, client);
    expectProblem(refused, 429, "auth.throttled");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
