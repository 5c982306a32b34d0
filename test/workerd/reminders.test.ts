import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { startTarget } from "#target";
import worker from "../../src/worker.js";
import { databaseNameFor } from "../../src/platform/http-tenant-databases.js";
import { Api } from "../support/api.js";
import { activeTenant } from "./active-tenant.js";
import { LIBSQL_TEST_TOKEN } from "../support/constants.js";
import type { ReceivedMail } from "../support/smtp.js";


const mailbox = async () => (await (await fetch(inject("mailboxUrl"))).json()) as ReceivedMail[];

describe("reminders on Workers: queue consumer → worker-mailer → SMTP", () => {
  it("sends each person one digest, however often the tenant's message is delivered", async () => {
    const api = new Api(await startTarget());
    const session = await activeTenant(api, "mail");
    const admin = session.accessToken;
    const branch = await api.createBranch(admin, { name: "第一支部" });
    const people = [await api.addMember(admin, { branchId: branch.id }), await api.addMember(admin, { branchId: branch.id })];
    const checklist = (await api.post("/v1/checklists", { title: "服务清单", kind: "service", year: 2026, branchId: branch.id }, admin)).body;
    await api.post(`/v1/checklists/${checklist.id}/items`, { module: "志愿服务", title: "参加志愿服务", dueDate: "2026-12-31", minCount: 2, assignees: [{ type: "each_member" }] }, admin);
    await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, admin);

    const job = { tenantId: session.tenant.id, at: "2026-12-24T01:00:00Z" };
    // At-least-once delivery: the same message three times, in three batches.
    for (let i = 1; i <= 3; i++) {
      const batch = createMessageBatch("qingdan-reminders", [{ id: `m${i}`, timestamp: new Date(), attempts: i, body: job }]);
      const ctx = createExecutionContext();
      await worker.queue(batch as never, env as never, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([`m${i}`]);
    }
    const mine = (await mailbox()).filter((m) => people.some((p) => p.email === m.to) && !m.subject.includes("邀请您"));
    expect(mine.map((m) => m.to).sort()).toEqual(people.map((p) => p.email).sort());
    expect(mine[0]).toMatchObject({ subject: "今日待办 1 项，逾期 0 项" });
    expect(mine[0]!.text).toContain("参加志愿服务");
    expect(mine[0]!.raw["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

    // A tenant's morning costs a handful of tenant-database requests, not a few per member (the daily job
    // also sweeps never-attached uploads, checks for calendar re-rolls, scores exam attempts that ran out
    // unsubmitted (one read when there are none), and the work log asks its one batch: 13 here, budget 13).
    const libsqlAdmin = { authorization: `Bearer ${LIBSQL_TEST_TOKEN}` };
    await fetch(`${inject("libsqlUrl")}/admin/stats/reset`, { method: "POST", headers: libsqlAdmin });
    const next = createMessageBatch("qingdan-reminders", [{ id: "m4", timestamp: new Date(), attempts: 1, body: { ...job, at: "2026-12-25T01:00:00Z" } }]);
    await worker.queue(next as never, env as never, createExecutionContext());
    const stats = (await (await fetch(`${inject("libsqlUrl")}/admin/stats`, { headers: libsqlAdmin })).json()) as Record<string, number>;
    expect(stats[databaseNameFor(session.tenant.id)]).toBeLessThanOrEqual(13);

    // The hourly cron at 00:00 UTC is 08:00 in Shanghai, the default send hour: it enqueues this
    // tenant, and the queue consumer sends the Monday digest ("3 days left") a few seconds later.
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date("2026-12-28T00:00:00Z"), cron: "0 * * * *" }) as never, env as never, ctx);
    await waitOnExecutionContext(ctx);
    let monday: ReceivedMail[] = [];
    for (let i = 0; i < 60 && monday.length < people.length; i++) {
      await new Promise((r) => setTimeout(r, 250));
      monday = (await mailbox()).filter((m) => people.some((p) => p.email === m.to) && m.text.includes("3 天后到期"));
    }
    expect(monday.map((m) => m.to).sort()).toEqual(people.map((p) => p.email).sort());
  }, 60_000);
});
