import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeUnconfirmedTenants } from "../../src/modules/tenants/confirmation.js";
import { Api, STRONG_PASSWORD } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

let target: NodeTarget;
const api = new Api();
beforeAll(async () => {
  target = await startNodeTarget();
  api.target = target;
});
afterAll(() => target.close());

/** Issue #10 §2: a bureau nobody confirmed is removed after 7 days; a confirmed one stays. */
describe("unconfirmed tenants", () => {
  it("are removed by the sweep after 7 days, database and slug; confirmed ones are kept", async () => {
    const kept = await api.signUp();
    const dropped = await api.signUp({ confirm: false });
    const signedUp = new Date();
    expect(await removeUnconfirmedTenants(target.ports, new Date(signedUp.getTime() + 6 * 86_400_000))).toBe(0);
    expect(await removeUnconfirmedTenants(target.ports, new Date(signedUp.getTime() + 7 * 86_400_000 + 60_000))).toBe(1);
    expect((await api.get(`/v1/tenants/${dropped.tenant.slug}/status`)).status).toBe(404);
    expect((await api.post("/v1/auth/login", { tenant: dropped.tenant.slug, email: dropped.member.email, password: STRONG_PASSWORD })).status).toBe(401);
    expect((await api.post("/v1/auth/login", { tenant: kept.tenant.slug, email: kept.member.email, password: STRONG_PASSWORD })).status).toBe(200);
  });
});
