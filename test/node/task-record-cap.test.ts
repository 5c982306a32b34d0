import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RECORDS_PER_TASK } from "../../src/modules/tasks/service.js";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { Api, expectProblem } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/** Issue 11 §6: a member cannot add records to a task without bound (a task carried 646). */
let target: NodeTarget;
let api: Api;
beforeAll(async () => {
  target = await startNodeTarget();
  api = new Api(target);
});
afterAll(() => target.close());

describe("records per task", () => {
  it(`stop at ${MAX_RECORDS_PER_TASK} with a 409`, async () => {
    const b = await bureauWithChecklist(api);
    await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
    const task = (await api.get(`/v1/tasks?checklistId=${b.checklist.id}&limit=200`, b.m1.accessToken)).body.data.find((t: { title: string }) => t.title === "领办微心愿");
    // All but one written straight into the file (400 API calls would only be slower).
    const db = target.tenantDatabases.client(b.t.tenant.id, `file:${target.dataDir}/tenants/${b.t.tenant.id}.db`);
    await db.batch(
      Array.from({ length: MAX_RECORDS_PER_TASK - 1 }, (_, i) => ({
        sql: "INSERT INTO task_records (id, task_id, member_id, done_on, summary, attachments, created_at) VALUES (?, ?, ?, '2026-03-01', ?, '[]', '2026-03-01T00:00:00Z')",
        args: [`rec_${String(i).padStart(26, "0")}`, task.id, b.m1.id, `第${i + 1}次`],
      })),
    );
    const last = await api.post(`/v1/tasks/${task.id}/records`, { doneOn: "2026-03-02", summary: "最后一次" }, b.m1.accessToken);
    expect(last.status).toBe(201);
    const before = await api.auditCount(b.admin);
    expectProblem(await api.post(`/v1/tasks/${task.id}/records`, { doneOn: "2026-03-03", summary: "再一次" }, b.m1.accessToken), 409, "task.too_many_records");
    expect(await api.auditCount(b.admin)).toBe(before);
    expect((await api.get(`/v1/tasks/${task.id}`, b.m1.accessToken)).body.recordCount).toBe(MAX_RECORDS_PER_TASK);
  });
});
