import { describe, expect, inject, it } from "vitest";
import { startTarget } from "#target";
import { databaseNameFor } from "../../src/platform/http-tenant-databases.js";
import { Api } from "../support/api.js";
import { LIBSQL_TEST_TOKEN } from "../support/constants.js";
import { bureau } from "./fixture.js";

/**
 * The hot-path budget (DESIGN §2) for projects and problems, read off the local libSQL server's
 * counters: a read is one round trip to the tenant database, a write two (read what the rules need,
 * then write everything with its audit row). Only the workerd project talks to that server.
 */
const libsqlUrl = inject("libsqlUrl") as string | undefined;

describe.runIf(!!libsqlUrl)("round trips per request, in workerd over HTTP", () => {
  it("reads cost one round trip, writes two", async () => {
    const api = new Api(await startTarget());
    const b = await bureau(api);
    const issue = await b.raise();
    const log = await api.post(`/v1/projects/${b.project.id}/logs`, { kind: "site_visit", visitedAt: "2026-06-15T09:30:00+08:00", summary: "走访" }, b.roadChief.accessToken);
    const namespace = databaseNameFor(b.t.tenant.id);
    const admin = { authorization: `Bearer ${LIBSQL_TEST_TOKEN}` };
    const roundTrips = async (call: () => Promise<{ status: number }>) => {
      await fetch(`${libsqlUrl}/admin/stats/reset`, { method: "POST", headers: admin });
      const reply = await call();
      expect(reply.status).toBeLessThan(300);
      const stats = (await (await fetch(`${libsqlUrl}/admin/stats`, { headers: admin })).json()) as Record<string, number>;
      return stats[namespace] ?? 0;
    };
    const chief = b.roadChief.accessToken;
    const p = `/v1/projects/${b.project.id}`;
    const i = `/v1/issues/${issue.id}`;
    for (const path of ["/v1/projects", p, `${p}/logs`, `${p}/logs/${log.body.id}`, `${p}/issues`, "/v1/issues?role=road_chief&status=unresolved", i, `${i}/comments`, "/v1/issue-categories", "/v1/reports/projects?period=2026"]) {
      expect(await roundTrips(() => api.get(path, chief)), path).toBe(1);
    }
    expect(await roundTrips(() => b.raise().then((x) => ({ status: x ? 201 : 500 })))).toBe(2);
    expect(await roundTrips(() => api.post(`${p}/logs`, { kind: "inspection", visitedAt: "2026-06-16T09:30:00+08:00", summary: "检查" }, chief))).toBe(2);
    expect(await roundTrips(() => api.post(`${i}/acknowledge`, {}, b.handler.accessToken))).toBe(2);
    expect(await roundTrips(() => api.post(`${i}/comments`, { body: "请尽快" }, b.follower.accessToken))).toBe(2);
    expect(await roundTrips(() => api.patch(`${i}`, { title: "改" }, chief))).toBe(2);
    expect(await roundTrips(() => api.patch(p, { tags: ["重点"] }, chief))).toBe(2);
  });
});
