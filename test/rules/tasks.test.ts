import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { bureau as projectBureau } from "../projects/fixture.js";

// Issue 16 §3 (补录 accepted by a reviewer), §5 (escalation up a ladder, seen through the preview)
// and §7 (a member's true rank). Fixed 2026 dates in the past: nothing here depends on today.

const api = apiForSuite();

describe("back-fill (补录) accepted by a reviewer (issue 16 §3)", () => {
  let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
  let listId: string;
  beforeAll(async () => {
    b = await bureauWithChecklist(api);
    listId = (await api.post("/v1/checklists", { title: "二月清单", kind: "task", year: 2026, branchId: b.committee.id }, b.admin)).body.id;
    await api.post(`/v1/checklists/${listId}/items`, { module: "组织", title: "二月支委会", dueDate: "2026-02-27", points: 10, latePoints: 4, assignees: [{ type: "member", memberId: b.m1.id }, { type: "member", memberId: b.m2.id }] }, b.admin);
    await api.post(`/v1/checklists/${listId}/publish`, { from: "2026-01-01" }, b.admin);
  });
  const taskOf = async (token: string) => (await api.get(`/v1/tasks?checklistId=${listId}`, token)).body.data[0];

  it("recorded late stays late by default; a reviewer accepts a documented back-fill with a reason, audited and in the ledger", async () => {
    const task = await taskOf(b.m1.accessToken);
    await api.post(`/v1/tasks/${task.id}/records`, { doneOn: "2026-02-26", summary: "2月26日召开支委会" }, b.m1.accessToken);
    const done = await api.post(`/v1/tasks/${task.id}/submit`, {}, b.m1.accessToken);
    expect(done.body).toMatchObject({ status: "done", completedLate: true, points: 4, backfill: null });

    expectProblem(await api.post(`/v1/tasks/${task.id}/backfill`, { reason: "自己说按时" }, b.m1.accessToken), 403);
    expect(expectProblem(await api.post(`/v1/tasks/${task.id}/backfill`, {}, b.sec1.accessToken), 400).errors![0]!.path).toBe("reason");
    const audits = await api.auditCount(b.admin);
    const accepted = await api.post(`/v1/tasks/${task.id}/backfill`, { reason: "会议记录显示2月26日已召开，系统录入滞后" }, b.sec1.accessToken);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: "done", completedLate: false, points: 10, backfill: { reason: "会议记录显示2月26日已召开，系统录入滞后", acceptedBy: b.sec1.id } });
    expect(await api.auditCount(b.admin)).toBe(audits + 1);
    expectProblem(await api.post(`/v1/tasks/${task.id}/backfill`, { reason: "再来一次" }, b.sec1.accessToken), 409, "task.not_late");

    const ledger = (await api.get("/v1/reports/checklists?period=2026-02&groupBy=member", b.admin)).body.data as any[];
    expect(ledger.find((r) => r.id === b.m1.id)).toMatchObject({ done: 1, onTime: 1, late: 0, backfilled: 1, points: 10 });
    const scores = await api.get(`/v1/reports/checklists/scores?memberId=${b.m1.id}&period=2026-02`, b.admin);
    expect(scores.body.tasks[0].explanation).toContain("补录");
  });

  it("refuses a back-fill whose records date from after the due date", async () => {
    const task = await taskOf(b.m2.accessToken);
    await api.post(`/v1/tasks/${task.id}/records`, { doneOn: "2026-03-02", summary: "3月2日补开" }, b.m2.accessToken);
    await api.post(`/v1/tasks/${task.id}/submit`, {}, b.m2.accessToken);
    expectProblem(await api.post(`/v1/tasks/${task.id}/backfill`, { reason: "理由" }, b.sec1.accessToken), 409, "task.backfill_not_on_time");
    expect((await taskOf(b.m2.accessToken)).completedLate).toBe(true);
  });
});

describe("a member's true rank (issue 16 §7)", () => {
  it("ranks among everyone ranked; names of the others as the bureau allows", async () => {
    const b = await bureauWithChecklist(api);
    const list = (await api.post("/v1/checklists", { title: "三月清单", kind: "task", year: 2026, branchId: b.committee.id }, b.admin)).body.id;
    await api.post(`/v1/checklists/${list}/items`, { module: "学习", title: "三月学习", dueDate: "2026-03-31", points: 10, latePoints: 10, assignees: [{ type: "each_member" }] }, b.admin);
    await api.post(`/v1/checklists/${list}/items`, { module: "服务", title: "志愿服务", dueDate: "2026-03-31", points: 5, latePoints: 5, assignees: [{ type: "member", memberId: b.m3.id }] }, b.admin);
    await api.post(`/v1/checklists/${list}/publish`, { from: "2026-01-01" }, b.admin);
    const finish = async (token: string) => {
      for (const t of (await api.get(`/v1/tasks?checklistId=${list}`, token)).body.data) {
        await api.post(`/v1/tasks/${t.id}/records`, { doneOn: "2026-03-20", summary: "完成" }, token);
        await api.post(`/v1/tasks/${t.id}/submit`, {}, token);
      }
    };
    await finish(b.m3.accessToken); // 15 points
    await finish(b.m1.accessToken); // 10 points
    const url = "/v1/reports/checklists/rankings?period=2026-03";

    const all = await api.get(url, b.admin);
    expect(all.body.ranked).toBe(5);
    expect(all.body.data.slice(0, 2).map((r: any) => [r.rank, r.id])).toEqual([[1, b.m3.id], [2, b.m1.id]]);

    const own = await api.get(url, b.m1.accessToken);
    expect(own.body).toMatchObject({ ranked: 5, data: [{ rank: 2, id: b.m1.id, name: "钱党员", points: 10 }] });

    const settings = await api.put("/v1/tasks/settings", { dueSoonDays: 3, rankingNames: "surname" }, b.admin);
    expect(settings.body).toEqual({ dueSoonDays: 3, rankingNames: "surname" });
    const masked = await api.get(url, b.m1.accessToken);
    expect(masked.body.data).toHaveLength(5);
    expect(masked.body.data[0]).toMatchObject({ rank: 1, id: null, name: "周**", points: 15 });
    expect(masked.body.data[1]).toMatchObject({ rank: 2, id: b.m1.id, name: "钱党员" });
    expect(JSON.stringify(masked.body)).not.toContain(b.m3.id);

    // A secretary sees the rows of the subtree they lead, with their ranks among everyone.
    const sec2 = await api.get(url, b.sec2.accessToken);
    expect(sec2.body.data.map((r: any) => [r.rank, r.id])).toEqual([[1, b.m3.id], [3, b.sec2.id]]);
  });
});

describe("escalation up a ladder, on the first sending day at or after its day (issue 16 §5)", () => {
  it("the preview shows the supervisor on the escalation day, then every rung reached by the next sending day", async () => {
    const p = await projectBureau(api);
    await p.raise({ raisedAt: "2026-11-02T10:00:00+08:00" }); // acknowledge by 2026-11-03
    const escalatedTo = async (date: string) => {
      const preview = await api.get(`/v1/reminders/preview?date=${date}`, p.admin);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      return (preview.body.emails as any[]).filter((e) => e.text.includes("需要您督办")).map((e) => e.memberId).sort();
    };
    const adminId = (await api.get("/v1/me", p.admin)).body.member.id;
    expect(await escalatedTo("2026-11-04")).toEqual([]);
    expect(await escalatedTo("2026-11-05")).toEqual([p.supervisor.id]);
    // Saturday 11-07 (step 1) sends nothing; Monday 11-09 has reached step 2: every rung.
    expect(await escalatedTo("2026-11-09")).toEqual([p.supervisor.id, p.roadChief.id, adminId].sort());
    // The ladder is the bureau's to order.
    expect((await api.put("/v1/reminders/settings", { escalationLadder: ["road_chief"], escalateAfterDays: 1 }, p.admin)).body.escalationLadder).toEqual(["road_chief"]);
    expect(await escalatedTo("2026-11-05")).toEqual([p.roadChief.id]);
    expect(expectProblem(await api.put("/v1/reminders/settings", { escalationLadder: ["admin", "admin"] }, p.admin), 400).errors![0]!.path).toBe("escalationLadder");
  });
});
