import { describe, expect, it } from "vitest";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import { mailsTo } from "../support/mail.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();
const from = () => ({ "x-forwarded-for": `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
const login = (slug: string, email: string, password: string, headers: Record<string, string> = {}) => api.post("/v1/auth/login", { tenant: slug, email, password }, undefined, headers);

/** Issue #10 §2: the public doors. */
describe("login throttling", () => {
  it("backs a guessing client off after 5 wrong passwords (429, Retry-After), while the owner elsewhere still gets in", async () => {
    const t = await api.signUp();
    const guesser = from();
    for (let i = 0; i < 5; i++) expectProblem(await login(t.tenant.slug, t.member.email, `wrong-${i}`, guesser), 401, "auth.invalid_credentials");
    const refused = await login(t.tenant.slug, t.member.email, STRONG_PASSWORD, guesser);
    expectProblem(refused, 429, "auth.throttled");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await login(t.tenant.slug, t.member.email, STRONG_PASSWORD, from())).status).toBe(200);
  });

  it("throttles an account whatever the client, but for at most a minute; unknown bureaus alike", async () => {
    const t = await api.signUp();
    for (let i = 0; i < 10; i++) expectProblem(await login(t.tenant.slug, t.member.email, `wrong-${i}`, from()), 401);
    const refused = expectProblem(await login(t.tenant.slug, t.member.email, "wrong-again", from()), 429, "auth.throttled");
    expect(refused.title).toBeTruthy();
    const wait = Number((await login(t.tenant.slug, t.member.email, STRONG_PASSWORD, from())).headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);

    const ghost = unique("ghost");
    for (let i = 0; i < 10; i++) expectProblem(await login(ghost, "x@example.cn", `wrong-${i}`), 401);
    expectProblem(await login(ghost, "x@example.cn", "wrong"), 429, "auth.throttled");
  });
});

describe("password reset requests", () => {
  it("send at most 3 emails an hour to one account, and answer 202 every time", async () => {
    const t = await api.signUp({ email: `${unique("flood")}@example.cn` });
    for (let i = 0; i < 6; i++) expect((await api.post("/v1/auth/password-reset", { tenant: t.tenant.slug, email: t.member.email })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await mailsTo(api, t.member.email, "qdp.", 4)).length).toBe(3);
  });
});
