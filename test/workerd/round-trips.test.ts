import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { startTarget } from "#target";
import { databaseNameFor } from "../../src/platform/http-tenant-databases.js";
import { Api, STRONG_PASSWORD, unique } from "../support/api.js";
import { LIBSQL_TEST_TOKEN } from "../support/constants.js";
import { activeTenant } from "./active-tenant.js";

/** The hot-path budget (DESIGN §2): one tenant-database round trip per read, read off the libSQL server's counters. */
describe("tenant-database round trips per request, in workerd over HTTP", () => {
  it("reads cost one round trip, and an access token none", async () => {
    const api = new Api(await startTarget());
    const slug = unique("rt");
    const email = `a@${slug}.cn`;
    expect([201, 202]).toContain((await api.post("/v1/tenants", { slug, name: "某单位", admin: { email, name: "管理员", password: STRONG_PASSWORD } })).status);
    let login = await api.post("/v1/auth/login", { tenant: slug, email, password: STRONG_PASSWORD });
    for (let i = 0; i < 100 && login.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      login = await api.post("/v1/auth/login", { tenant: slug, email, password: STRONG_PASSWORD });
    }
    const token = login.body.accessToken as string;
    const namespace = databaseNameFor(login.body.tenant.id);
    const admin = { authorization: `Bearer ${LIBSQL_TEST_TOKEN}` };
    const roundTrips = async (call: () => Promise<unknown>) => {
      await fetch(`${inject("libsqlUrl")}/admin/stats/reset`, { method: "POST", headers: admin });
      await call();
      const stats = (await (await fetch(`${inject("libsqlUrl")}/admin/stats`, { headers: admin })).json()) as Record<string, number>;
      return stats[namespace] ?? 0;
    };
    expect(await roundTrips(() => api.get("/v1/me", token))).toBe(1);
    expect(await roundTrips(() => api.get("/v1/members", token))).toBe(1);
    expect(await roundTrips(() => api.get("/v1/branches", token))).toBe(1);
    expect(await roundTrips(() => api.get("/v1/nothing", token))).toBe(0);
  });

  it("an API token costs its one lookup, and keeping lastUsedAt adds none", async () => {
    const api = new Api(await startTarget());
    const t = await activeTenant(api, "rt");
    const namespace = databaseNameFor(t.tenant.id);
    const admin = { authorization: `Bearer ${LIBSQL_TEST_TOKEN}` };
    const roundTrips = async (call: () => Promise<unknown>) => {
      await fetch(`${inject("libsqlUrl")}/admin/stats/reset`, { method: "POST", headers: admin });
      await call();
      const stats = (await (await fetch(`${inject("libsqlUrl")}/admin/stats`, { headers: admin })).json()) as Record<string, number>;
      return stats[namespace] ?? 0;
    };
    const apiToken = (await api.post("/v1/api-tokens", { name: "看板" }, t.accessToken)).body.token as string;
    // The first use writes lastUsedAt in the lookup's own batch; later uses within the minute send the plain lookup.
    expect(await roundTrips(() => api.get("/v1/members", apiToken))).toBe(2);
    expect(await roundTrips(() => api.get("/v1/members", apiToken))).toBe(2);
    expect(await roundTrips(() => api.get("/v1/me", apiToken))).toBe(1);
  });
});
