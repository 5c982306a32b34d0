import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD } from "../support/api.js";

const api = apiForSuite();

describe("login", () => {
  it("logs in by tenant slug, email (any case) and password", async () => {
    const t = await api.signUp();
    const reply = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email.toUpperCase(), password: STRONG_PASSWORD });
    expect(reply.status).toBe(200);
    expect(reply.body.member.id).toBe(t.member.id);
    expect(reply.body.tokenType).toBe("Bearer");
    expect((await api.get("/v1/me", reply.body.accessToken)).status).toBe(200);
  });

  it("gives one answer for a wrong password, an unknown email and an unknown tenant", async () => {
    const t = await api.signUp();
    const wrongPassword = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: "Wrong-password-1" });
    const unknownEmail = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: "nobody@example.cn", password: STRONG_PASSWORD });
    const unknownTenant = await api.post("/v1/auth/login", { tenant: "no-such-bureau", email: t.member.email, password: STRONG_PASSWORD });
    for (const reply of [wrongPassword, unknownEmail, unknownTenant]) expectProblem(reply, 401, "auth.invalid_credentials");
    expect(new Set([wrongPassword, unknownEmail, unknownTenant].map((r) => r.body.detail)).size).toBe(1);
  });
});

describe("refresh tokens", () => {
  it("rotate: each refresh spends the old token and hands out a new one", async () => {
    const t = await api.signUp();
    const first = await api.post("/v1/auth/refresh", { refreshToken: t.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(t.refreshToken);
    const second = await api.post("/v1/auth/refresh", { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    expect((await api.get("/v1/me", second.body.accessToken)).status).toBe(200);
  });

  it("revoke the whole family when a spent token is presented again", async () => {
    const t = await api.signUp();
    const rotated = await api.post("/v1/auth/refresh", { refreshToken: t.refreshToken });
    expect(rotated.status).toBe(200);
    // The stolen original comes back: refused, and the legitimate newer token dies with it.
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: t.refreshToken }), 401, "auth.refresh_reused");
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: rotated.body.refreshToken }), 401, "auth.invalid_token");
    // Another session (another family) of the same member is untouched.
    const other = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: STRONG_PASSWORD });
    expect((await api.post("/v1/auth/refresh", { refreshToken: other.body.refreshToken })).status).toBe(200);
  });

  it("logout revokes the family", async () => {
    const t = await api.signUp();
    expect((await api.post("/v1/auth/logout", { refreshToken: t.refreshToken })).status).toBe(204);
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: t.refreshToken }), 401);
  });

  it("refuse forged and malformed tokens", async () => {
    const t = await api.signUp();
    const forged = t.refreshToken.slice(0, -4) + "AAAA";
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: forged }), 401, "auth.invalid_token");
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: "qdr.nonsense" }), 401, "auth.invalid_token");
  });
});

describe("/v1/me", () => {
  it("reads and edits the caller", async () => {
    const t = await api.signUp();
    const patched = await api.patch("/v1/me", { name: "王建国", phone: "+86 138 0000 0000", locale: "en" }, t.accessToken);
    expect(patched.status).toBe(200);
    expect(patched.body.member).toMatchObject({ name: "王建国", phone: "13800000000", locale: "en" });
    expect((await api.get("/v1/me", t.accessToken)).body.member.name).toBe("王建国");
    const bad = await api.patch("/v1/me", { name: "", role: "admin" }, t.accessToken);
    expect(expectProblem(bad, 400).errors!.map((e) => e.path).sort()).toEqual(["name", "role"]);
  });

  it("changes the password: the old one stops working and other sessions end", async () => {
    const t = await api.signUp();
    const wrong = await api.post("/v1/me/password", { currentPassword: "not-it-at-all", newPassword: "Brand-New-Pass-9" }, t.accessToken);
    expect(expectProblem(wrong, 400, "auth.wrong_password").errors![0]!.path).toBe("currentPassword");
    const weak = await api.post("/v1/me/password", { currentPassword: STRONG_PASSWORD, newPassword: "aaaaaaaaaaaa" }, t.accessToken);
    expect(expectProblem(weak, 400, "validation.failed").errors![0]!.path).toBe("newPassword");
    const changed = await api.post("/v1/me/password", { currentPassword: STRONG_PASSWORD, newPassword: "Brand-New-Pass-9" }, t.accessToken);
    expect(changed.status).toBe(200);
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: t.refreshToken }), 401);
    expect((await api.post("/v1/auth/refresh", { refreshToken: changed.body.refreshToken })).status).toBe(200);
    expectProblem(await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: STRONG_PASSWORD }), 401);
    expect((await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: t.member.email, password: "Brand-New-Pass-9" })).status).toBe(200);
  });
});

describe("personal API tokens", () => {
  it("authenticate as their creator until revoked", async () => {
    const t = await api.signUp();
    const created = await api.post("/v1/api-tokens", { name: "数据大屏" }, t.accessToken);
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^qd_ten_/);
    const me = await api.get("/v1/me", created.body.token);
    expect(me.status).toBe(200);
    expect(me.body.member.id).toBe(t.member.id);
    const listed = await api.get("/v1/api-tokens", t.accessToken);
    expect(listed.body.data.map((x: { id: string }) => x.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

    const revoked = await api.delete(`/v1/api-tokens/${created.body.id}`, t.accessToken);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    expectProblem(await api.get("/v1/me", created.body.token), 401, "auth.invalid_token");
  });

  it("refuse expired and tampered tokens, and past expiry dates", async () => {
    const t = await api.signUp();
    const created = await api.post("/v1/api-tokens", { name: "集成" }, t.accessToken);
    expectProblem(await api.get("/v1/me", `${created.body.token.slice(0, -2)}xx`), 401, "auth.invalid_token");
    const past = await api.post("/v1/api-tokens", { name: "过期", expiresAt: "2020-01-01T00:00:00Z" }, t.accessToken);
    expect(expectProblem(past, 400).errors![0]!.path).toBe("expiresAt");
  });

  it("are only for admins", async () => {
    const t = await api.signUp();
    const m = await api.addMember(t.accessToken);
    expectProblem(await api.post("/v1/api-tokens", { name: "x" }, m.accessToken), 403, "auth.forbidden");
  });
});

describe("access tokens", () => {
  it("refuse a token signed with another secret, an alg=none token and garbage", async () => {
    const t = await api.signUp();
    const [header, payload] = t.accessToken.split(".");
    const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${payload}.`;
    const resigned = `${header}.${payload}.${"A".repeat(43)}`;
    for (const token of [none, resigned, "garbage", `${t.accessToken}x`]) expectProblem(await api.get("/v1/me", token), 401);
  });
});
