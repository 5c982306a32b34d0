import type { Client, InStatement, TransactionMode } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TASKS_PER_CHUNK } from "../../src/modules/checklists/publish-chunks.js";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/**
 * Issue 11 §7: a big publish goes in chunks; when one fails halfway (the network, Turso), nothing
 * is half-published and publishing again works.
 */
let target: NodeTarget;
let api: Api;
// Fail the n-th chunk write once (0 = off).
let failChunk = 0;
let chunkWrites = 0;

beforeAll(async () => {
  const patched = new WeakSet<object>();
  target = await startNodeTarget({
    portsOverride: (ports) => ({
      ...ports,
      tenantDatabases: {
        ...ports.tenantDatabases,
        // The client under every handle of the tenant (session guards build theirs on it too).
        open(tenantId, locator) {
          const db = ports.tenantDatabases.open(tenantId, locator);
          const client = (db as unknown as { $client: Client }).$client;
          if (!patched.has(client)) {
            patched.add(client);
            const batch = client.batch.bind(client);
            client.batch = (statements: InStatement[], mode?: TransactionMode) => {
              const sqlOf = (s: InStatement) => (typeof s === "string" ? s : s.sql);
              if (statements.some((s) => /^insert into "publish_chunks"/i.test(sqlOf(s))) && ++chunkWrites === failChunk) {
                failChunk = 0;
                return Promise.reject(new Error("fetch failed: connection reset (injected)"));
              }
              return batch(statements, mode);
            };
          }
          return db;
        },
      },
    }),
  });
  api = new Api(target);
});
afterAll(() => target.close());

describe("a big publish that fails halfway", () => {
  it("leaves a draft with no tasks, and publishing again makes them all once", async () => {
    const t = await api.signUp();
    const admin = t.accessToken;
    const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
    for (let i = 0; i < 12; i++) await api.createBranch(admin, { name: `第${i + 1}支部`, kind: "branch", parentId: committee.id });
    const checklist = (await api.post("/v1/checklists", { title: "每日清单", kind: "task", year: 2026 }, admin)).body;
    await api.post(`/v1/checklists/${checklist.id}/items`, { module: "日常", title: "每日打卡", recurrence: "FREQ=DAILY", rollPolicy: "none", assignees: [{ type: "each_branch", branchKind: "branch" }] }, admin);
    const expected = 12 * 365;
    expect(expected).toBeGreaterThan(2 * TASKS_PER_CHUNK); // three chunks

    failChunk = 2;
    chunkWrites = 0;
    const failed = await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, admin);
    expect(failed.status).toBe(500);
    expect(chunkWrites).toBe(2);
    expect((await api.get(`/v1/checklists/${checklist.id}`, admin)).body.status).toBe("draft");
    const db = target.tenantDatabases.client(t.tenant.id, `file:${target.dataDir}/tenants/${t.tenant.id}.db`);
    const count = async (table: string) => Number((await db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    expect(await count("tasks")).toBe(0);
    expect(await count("publish_chunks")).toBe(1); // the first chunk, left for the retry to clear

    const retried = await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, admin);
    expect(retried.status).toBe(200);
    expect(retried.body.tasksCreated).toBe(expected);
    expect(await count("tasks")).toBe(expected);
    expect(await count("task_assignees")).toBe(expected);
    expect(await count("publish_chunks")).toBe(0);
    // Every task carries what the single-batch path writes (booleans, dates, state).
    const row = (await db.execute("SELECT state, done_count, min_count, evidence_required, completed_late, due_date, calendar_provisional FROM tasks ORDER BY due_date LIMIT 1")).rows[0]!;
    expect({ ...row }).toMatchObject({ state: "open", done_count: 0, min_count: 1, evidence_required: 0, completed_late: 0, due_date: "2026-01-01", calendar_provisional: 0 });
  }, 120_000);
});
