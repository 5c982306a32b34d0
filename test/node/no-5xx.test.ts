import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/**
 * No route answers 5xx to anything a client can send: every route of the app, with real ids of this
 * tenant in its path, gets arbitrary JSON bodies and query strings from fast-check.
 */
let target: NodeTarget;
let api: Api;
let ids: Record<string, string>;
let token: string;

beforeAll(async () => {
  target = await startNodeTarget();
  api = new Api(target);
  const b = await bureauWithChecklist(api);
  await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
  const task = (await api.get("/v1/tasks?limit=1", b.m1.accessToken)).body.data[0];
  const project = (await api.post("/v1/projects", { name: "快速路项目", kind: "expressway", roadChiefId: b.sec1.id, branchIds: [b.branch1.id] }, b.admin)).body;
  const issue = (await api.post(`/v1/projects/${project.id}/issues`, { title: "管线迁改", category: "safety", handlerId: b.m1.id, supervisorId: b.sec1.id }, b.admin)).body;
  const log = (await api.post(`/v1/projects/${project.id}/logs`, { kind: "site_visit", visitedAt: "2026-11-02T09:00:00+08:00", summary: "现场查看" }, b.admin)).body;
  const pledge = (await api.post("/v1/pledges", { year: 2026, title: "承诺", content: "内容", category: "work", targets: [{ title: "目标", type: "done" }], dueDate: "2026-12-20" }, b.admin)).body;
  const apiToken = (await api.post("/v1/api-tokens", { name: "x" }, b.admin)).body;
  // The ids must be real, or the routes would stop at validation and the deeper code go untried.
  for (const [id, prefix] of [[project.id, "prj_"], [issue.id, "iss_"], [log.id, "log_"], [pledge.id, "plg_"], [apiToken.id, "tok_"], [task.id, "tsk_"]]) expect(String(id)).toMatch(new RegExp(`^${prefix}`));
  ids = { members: b.m1.id, branches: b.branch1.id, checklists: b.checklist.id, items: b.items.themeDay.id, tasks: task.id, projects: project.id, issues: issue.id, logs: log.id, pledges: pledge.id, "api-tokens": apiToken.id, tenants: b.t.tenant.slug, public: b.t.tenant.slug, "issue-categories": "utility" };
  token = b.admin;
}, 120_000);
afterAll(() => target.close());

/** `/v1/projects/:id/logs/:logId` → each parameter takes the id of the collection named just before it. */
function concretePath(path: string): string {
  const parts = path.split("/");
  return parts.map((part, i) => (part.startsWith(":") ? (ids[parts[i - 1] ?? ""] ?? "x-unknown") : part)).join("/");
}

describe("hostile input on every route", () => {
  it("never gets a 5xx", async () => {
    const app = createApp(target.ports);
    const routes = app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"));
    const seen = new Set<string>();
    const failures: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const path = concretePath(route.path);
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }), async (body, query) => {
          const qs = new URLSearchParams(query).toString();
          const res = await target.fetch(`${path}${qs ? `?${qs}` : ""}`, {
            method: route.method,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: route.method === "GET" ? undefined : JSON.stringify(body),
          });
          if (res.status >= 500) failures.push(`${key} ${JSON.stringify(body).slice(0, 200)} ?${qs} → ${res.status} ${(await res.text()).slice(0, 200)}`);
          return true;
        }),
        { numRuns: 15, seed: 20261122 },
      );
    }
    expect(seen.size).toBeGreaterThan(60);
    expect(failures).toEqual([]);
  }, 300_000);
});
