import { describe, expect, it } from "vitest";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import { resetTokensFor } from "../support/mail.js";
import { pledgeBody } from "../pledges/fixture.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/** Issue #10 §1: a token never outlives the power it was issued with. */
describe("sessions end when the member loses power", () => {
  it("a disabled admin's earlier access token can write nothing: no re-enabling, no API token, no disabling the other admin", async () => {
    const { accessToken: boss } = await api.signUp();
    const second = await api.addMember(boss, { role: "admin" });
    const bossMe = (await api.get("/v1/me", boss)).body.member.id as string;
    expect((await api.patch(`/v1/members/${second.id}`, { status: "disabled" }, boss)).status).toBe(200);
    const before = await api.auditCount(boss);

    expectProblem(await api.patch(`/v1/members/${second.id}`, { status: "active" }, second.accessToken), 401, "auth.session_ended");
    expectProblem(await api.post("/v1/api-tokens", { name: "后门" }, second.accessToken), 401, "auth.session_ended");
    expectProblem(await api.patch(`/v1/members/${bossMe}`, { status: "disabled" }, second.accessToken), 401, "auth.session_ended");
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: second.refreshToken }), 401);
    // A read is checked too once the trust window has no fresh proof for this isolate.
    expect(await api.auditCount(boss)).toBe(before);
    expect((await api.get(`/v1/members/${bossMe}`, boss)).body.status).toBe("active");
  });

  it("a disabled member creates no pledge", async () => {
    const { accessToken: boss } = await api.signUp();
    const m = await api.addMember(boss);
    const pledge = pledgeBody();
    expect((await api.post("/v1/pledges", pledge, m.accessToken)).status).toBe(201);
    expect((await api.patch(`/v1/members/${m.id}`, { status: "disabled" }, boss)).status).toBe(200);
    expectProblem(await api.post("/v1/pledges", pledge, m.accessToken), 401, "auth.session_ended");
    expect((await api.get("/v1/pledges", boss)).body.data.length).toBe(1);
  });

  it("a demoted admin's token stops writing at once; a promotion needs no new login", async () => {
    const { accessToken: boss } = await api.signUp();
    const second = await api.addMember(boss, { role: "admin" });
    const plain = await api.addMember(boss);
    expect((await api.patch(`/v1/members/${second.id}`, { role: "member" }, boss)).status).toBe(200);
    expectProblem(await api.patch(`/v1/members/${plain.id}`, { role: "admin" }, second.accessToken), 401, "auth.session_ended");
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: second.refreshToken }), 401);
    const relogin = await api.post("/v1/auth/login", { tenant: (await api.get("/v1/me", boss)).body.tenant.slug, email: second.email, password: STRONG_PASSWORD });
    expect(relogin.body.member.role).toBe("member");

    expect((await api.patch(`/v1/members/${plain.id}`, { role: "secretary" }, boss)).status).toBe(200);
    expect((await api.patch("/v1/me", { name: "李书记" }, plain.accessToken)).status).toBe(200);
  });

  it("a password change ends the other access tokens, not the new one", async () => {
    const { accessToken: boss } = await api.signUp();
    const m = await api.addMember(boss);
    const changed = await api.post("/v1/me/password", { currentPassword: STRONG_PASSWORD, newPassword: "Another-2026-secret!" }, m.accessToken);
    expect(changed.status).toBe(200);
    expectProblem(await api.patch("/v1/me", { name: "改名" }, m.accessToken), 401, "auth.session_ended");
    expect((await api.patch("/v1/me", { name: "改名" }, changed.body.accessToken)).status).toBe(200);
  });
});

describe("a password reset ends what came before it", () => {
  it("the other reset links sent earlier stop working, and so do earlier access tokens", async () => {
    const t = await api.signUp({ email: `${unique("reset")}@example.cn` });
    for (let i = 0; i < 2; i++) expect((await api.post("/v1/auth/password-reset", { tenant: t.tenant.slug, email: t.member.email })).status).toBe(202);
    const [first, second] = await resetTokensFor(api, t.member.email, 2);
    expect(first).toMatch(/^qdp\./);
    expect((await api.post("/v1/auth/password-reset/confirm", { token: second, password: "Reset-New-Pass-1" })).status).toBe(204);
    expectProblem(await api.post("/v1/auth/password-reset/confirm", { token: first, password: "Reset-New-Pass-2" }), 400, "auth.reset_invalid");
    expectProblem(await api.patch("/v1/me", { name: "改名" }, t.accessToken), 401, "auth.session_ended");
  });
});
