import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { startTarget } from "#target";
import { Api, STRONG_PASSWORD, unique } from "../support/api.js";

/**
 * Signup as production does it: the Worker asks Turso's Platform API (a stand-in that checks every
 * request and answer against Turso's published OpenAPI document) for a database, which answers 404
 * for 1.5 s as a new Turso database does; the Worker answers 202 and finishes in waitUntil.
 */
describe("signup on Workers with Turso provisioning", () => {
  it("answers 202, reports provisioning, then the tenant is active and its admin can log in", async () => {
    const api = new Api(await startTarget());
    const slug = unique("turso");
    const reply = await api.post("/v1/tenants", { slug, name: "六盘水市住建局", admin: { email: `a@${slug}.cn`, name: "管理员", password: STRONG_PASSWORD } });
    expect(reply.status).toBe(202);
    expect(reply.body.tenant.status).toBe("provisioning");
    expect((await api.get(`/v1/tenants/${slug}/status`)).body.status).toBe("provisioning");

    let status = "provisioning";
    for (let i = 0; i < 100 && status === "provisioning"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await api.get(`/v1/tenants/${slug}/status`)).body.status;
    }
    expect(status).toBe("active");
    const login = await api.post("/v1/auth/login", { tenant: slug, email: `a@${slug}.cn`, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
    expect((await api.get("/v1/me", login.body.accessToken)).body.tenant.slug).toBe(slug);

    const report = (await (await fetch(`${inject("tursoUrl")}/__standin/report`)).json()) as { violations: string[]; requests: { method: string; path: string; status: number }[] };
    expect(report.violations).toEqual([]);
    expect(report.requests).toContainEqual(expect.objectContaining({ method: "POST", path: `/v1/organizations/qingdan-test/databases`, status: 200 }));
  });
});
