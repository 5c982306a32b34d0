import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, expectProblem } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";
import type { TenantDb } from "../../src/db/tenant/index.js";

/**
 * Writes that race: each problem step and each log correction lands once, whoever is second gets a 409.
 * In one process requests rarely overlap between their read and their write, so while `slow` is on each
 * tenant-database round trip waits a little first: every racer reads before anyone writes, as it would
 * across Worker isolates.
 */
let slow = false;
const delayed = (db: TenantDb): TenantDb =>
  new Proxy(db, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== "batch" || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (slow) await new Promise((r) => setTimeout(r, 30));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
let target: NodeTarget;
let api: Api;
let admin: string;
let chief: { id: string; accessToken: string };
let handler: { id: string; accessToken: string };
let projectId: string;

beforeAll(async () => {
  target = await startNodeTarget({ portsOverride: (ports) => ({ ...ports, tenantDatabases: { ...ports.tenantDatabases, open: (id, locator) => delayed(ports.tenantDatabases.open(id, locator)) } }) });
  api = new Api(target);
  admin = (await api.signUp()).accessToken;
  chief = await api.addMember(admin, { name: "路长" });
  handler = await api.addMember(admin, { name: "承办人" });
  projectId = (await api.post("/v1/projects", { name: "并发项目", kind: "other", roadChiefId: chief.id }, admin)).body.id;
});
afterAll(() => target.close());

describe("racing writes", () => {
  it("five simultaneous acknowledgements: one lands, the rest are 409, the history has one entry", async () => {
    const issue = await api.post(`/v1/projects/${projectId}/issues`, { title: "并发", handlerId: handler.id }, chief.accessToken);
    slow = true;
    const replies = await Promise.all(Array.from({ length: 5 }, () => api.post(`/v1/issues/${issue.body.id}/acknowledge`, {}, handler.accessToken)));
    slow = false;
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    // A racer that read the problem while it was open is turned away by the history's unique (problem, seq);
    // one that read it after the winner wrote (busy waits serialise writers) sees the new status. Both are 409.
    for (const r of replies.filter((x) => x.status !== 200)) expect(["issue.changed", "issue.invalid_transition"]).toContain(expectProblem(r, 409).code);
    const page = await api.get(`/v1/issues/${issue.body.id}`, chief.accessToken);
    expect(page.body.history.map((e: { action: string }) => e.action)).toEqual(["raised", "acknowledged"]);
  });

  it("a transfer racing a resolution: exactly one of them lands", async () => {
    const other = await api.addMember(admin, { name: "另一承办" });
    const issue = await api.post(`/v1/projects/${projectId}/issues`, { title: "并发二", handlerId: handler.id }, chief.accessToken);
    await api.post(`/v1/issues/${issue.body.id}/acknowledge`, {}, handler.accessToken);
    slow = true;
    const [resolve, transfer] = await Promise.all([
      api.post(`/v1/issues/${issue.body.id}/resolve`, { note: "已解决" }, handler.accessToken),
      api.post(`/v1/issues/${issue.body.id}/transfer`, { handlerId: other.id, reason: "改派" }, chief.accessToken),
    ]);
    slow = false;
    expect([resolve.status, transfer.status].sort()).toEqual([200, 409]);
    const page = await api.get(`/v1/issues/${issue.body.id}`, chief.accessToken);
    expect(page.body.history).toHaveLength(3);
    expect(page.body.status).toBe(resolve.status === 200 ? "resolved" : "transferred");
  });

  it("two simultaneous corrections of one log entry: one lands, the chain does not fork", async () => {
    const entry = await api.post(`/v1/projects/${projectId}/logs`, { kind: "site_visit", visitedAt: "2026-06-01T09:00:00+08:00", summary: "原记录" }, chief.accessToken);
    const fix = (summary: string) => api.post(`/v1/projects/${projectId}/logs`, { kind: "site_visit", visitedAt: "2026-06-01T09:00:00+08:00", summary, correctsId: entry.body.id, correctionReason: "更正" }, chief.accessToken);
    slow = true;
    const replies = await Promise.all([fix("更正甲"), fix("更正乙"), fix("更正丙")]);
    slow = false;
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of replies.filter((x) => x.status !== 201)) expectProblem(r, 409, "log.already_corrected");
    const chain = await api.get(`/v1/projects/${projectId}/logs/${entry.body.id}`, chief.accessToken);
    expect(chain.body.chain).toHaveLength(2);
  });
});
