import { describe, expect, inject, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { LIBSQL_TEST_TOKEN } from "../support/constants.js";
import { databaseNameFor } from "../../src/platform/http-tenant-databases.js";

/**
 * Issue 11 §7: a checklist of 40,000+ tasks publishes in chunks that each fit a request to Turso
 * (in workerd: ~1 MB requests to the libSQL server, which refuses what sqld would), all or nothing.
 */
const api = apiForSuite();
const BRANCHES = 110; // × 365 daily occurrences = 40,150 tasks

describe("publishing a big checklist", () => {
  it("makes 40,000+ tasks in bounded requests", async () => {
    const t = await api.signUp();
    const admin = t.accessToken;
    const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
    for (let i = 0; i < BRANCHES; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, BRANCHES - i) }, (_, j) => api.createBranch(admin, { name: `第${i + j + 1}支部`, kind: "branch", parentId: committee.id })));
    }
    const checklist = (await api.post("/v1/checklists", { title: "2026年度每日清单", kind: "task", year: 2026 }, admin)).body;
    const item = await api.post(`/v1/checklists/${checklist.id}/items`, { module: "日常", title: "每日学习打卡", recurrence: "FREQ=DAILY", rollPolicy: "none", assignees: [{ type: "each_branch", branchKind: "branch" }] }, admin);
    expect(item.status).toBe(201);

    const stats = async (kind: "" | "/bytes") => {
      const res = await fetch(`${inject("libsqlUrl")}/admin/stats${kind}`, { headers: { authorization: `Bearer ${LIBSQL_TEST_TOKEN}` } });
      return ((await res.json()) as Record<string, number>)[databaseNameFor(t.tenant.id)] ?? 0;
    };
    const workerd = api.target.runtime === "workerd";
    if (workerd) await fetch(`${inject("libsqlUrl")}/admin/stats/reset`, { method: "POST", headers: { authorization: `Bearer ${LIBSQL_TEST_TOKEN}` } });

    const started = Date.now();
    const published = await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, admin);
    const ms = Date.now() - started;
    expect(published.status).toBe(200);
    expect(published.body.tasksCreated).toBe(BRANCHES * 365);
    if (workerd) {
      const requests = await stats("");
      const largest = await stats("/bytes");
      console.log(`publish of ${published.body.tasksCreated} tasks in workerd: ${ms} ms, ${requests} tenant-database requests, largest ${(largest / 1e6).toFixed(2)} MB`);
      expect(largest).toBeLessThan(2 * 1024 * 1024);
      expect(requests).toBeLessThanOrEqual(30);
    }

    const again = await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, admin);
    expect(again.status).toBe(409);
    // The tasks are there: a branch's first and last days of the year.
    const tasks = await api.get(`/v1/tasks?scope=oversee&checklistId=${checklist.id}&limit=200`, admin);
    expect(tasks.status).toBe(200);
    expect(tasks.body.data).toHaveLength(200);
    expect(tasks.body.nextCursor).toBeTruthy();
  }, 240_000);
});
