import { describe, expect, it } from "vitest";
import { expectProblem, unique } from "../support/api.js";
import { makeUnsubscribeToken } from "../../src/modules/reminders/unsubscribe-token.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();
const DAY = 86_400_000;
// The JWT secrets the two targets run with (test/support/node-target.ts, vitest.config.ts): links are minted here as a digest mints them.
const secret = () => (api.target.runtime === "node" ? "test-secret-test-secret-test-secret-0123" : "workerd-test-secret-workerd-test-secret-0123");
const path = (token: string) => `/v1/unsubscribe?token=${encodeURIComponent(token)}`;
const muted = async (accessToken: string) => (await api.get("/v1/me/notifications", accessToken)).body.mutedCategories as string[];

/** Issue #10 §6: unsubscribe links expire after a year and can be revoked; an expired one is a clear 410, never a 5xx. */
describe("unsubscribe links", () => {
  it("work for a year after they are sent, then answer 410 unsubscribe.link_expired and mute nothing", async () => {
    const t = await api.signUp();
    const young = await makeUnsubscribeToken(secret(), t.tenant.id, t.member.id, { version: 0, issuedAt: new Date(Date.now() - 364 * DAY) });
    const old = await makeUnsubscribeToken(secret(), t.tenant.id, t.member.id, { version: 0, issuedAt: new Date(Date.now() - 366 * DAY) });
    expectProblem(await api.get(path(old)), 410, "unsubscribe.link_expired");
    expectProblem(await api.post(path(old), undefined), 410, "unsubscribe.link_expired");
    expect(await muted(t.accessToken)).toEqual([]);
    expect((await api.get(path(young))).status).toBe(200);
    // A browser still lands on the console page, which shows the expiry (it asks this route as JSON).
    const opened = await api.target.fetch(path(old), { headers: { accept: "text/html" }, redirect: "manual" });
    expect(opened.status).toBe(303);
  });

  it("the old form, without issue time or version, is refused as expired; a forged one is a plain 404", async () => {
    const t = await api.signUp();
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret()), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`unsubscribe:${t.tenant.id}:${t.member.id}`)));
    const legacy = `qdu.${t.tenant.id}.${t.member.id}.${btoa(String.fromCharCode(...sig)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
    expectProblem(await api.post(path(legacy), undefined), 410, "unsubscribe.link_expired");
    const fresh = await makeUnsubscribeToken(secret(), t.tenant.id, t.member.id);
    expectProblem(await api.post(path(fresh.replace(/\.\d+$/, ".7")), undefined), 404);
    expect(await muted(t.accessToken)).toEqual([]);
  });

  it("a member revokes every link already sent; links of the new version work", async () => {
    const t = await api.signUp();
    const sent = await makeUnsubscribeToken(secret(), t.tenant.id, t.member.id);
    expect((await api.get(path(sent))).status).toBe(200);
    expect((await api.delete("/v1/me/notifications/unsubscribe-links", t.accessToken)).status).toBe(204);
    expectProblem(await api.post(path(sent), undefined), 410, "unsubscribe.link_expired");
    expect(await muted(t.accessToken)).toEqual([]);
    const next = await makeUnsubscribeToken(secret(), t.tenant.id, t.member.id, { version: 1, issuedAt: new Date() });
    expect((await api.post(path(next), undefined)).status).toBe(200);
    expect((await muted(t.accessToken)).length).toBeGreaterThan(0);
  });

  it("a change of email revokes the links sent to the old address", async () => {
    const t = await api.signUp();
    const m = await api.addMember(t.accessToken);
    const sent = await makeUnsubscribeToken(secret(), t.tenant.id, m.id);
    expect((await api.patch(`/v1/members/${m.id}`, { name: "改名不换邮箱" }, t.accessToken)).status).toBe(200);
    expect((await api.get(path(sent))).status).toBe(200);
    expect((await api.patch(`/v1/members/${m.id}`, { email: `${unique("new")}@example.cn` }, t.accessToken)).status).toBe(200);
    expectProblem(await api.post(path(sent), undefined), 410, "unsubscribe.link_expired");
    expect(await muted(m.accessToken)).toEqual([]);
  });
});
