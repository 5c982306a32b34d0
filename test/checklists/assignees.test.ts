import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";

const api = apiForSuite();

describe("assignees: any one of them, or all of them", () => {
  it("makes one shared task for `any`: whoever finishes it finishes it for all", async () => {
    const t = await api.signUp();
    const branch = await api.createBranch(t.accessToken, { name: "第一支部" });
    const a = await api.addMember(t.accessToken, { branchId: branch.id, name: "甲" });
    const b = await api.addMember(t.accessToken, { branchId: branch.id, name: "乙" });
    const c = await api.addMember(t.accessToken, { branchId: branch.id, name: "丙" });
    const checklist = (await api.post("/v1/checklists", { title: "任务清单", kind: "task", year: 2026 }, t.accessToken)).body;
    const assignees = [
      { type: "member", memberId: a.id },
      { type: "member", memberId: b.id },
    ];
    await api.post(`/v1/checklists/${checklist.id}/items`, { module: "专项任务", title: "撰写调研报告", dueDate: "2026-12-18", assigneeMode: "any", assignees }, t.accessToken);
    await api.post(`/v1/checklists/${checklist.id}/items`, { module: "专项任务", title: "每人提交心得", dueDate: "2026-12-18", assigneeMode: "all", assignees, rollPolicy: "previous" }, t.accessToken);
    expect((await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, t.accessToken)).body.tasksCreated).toBe(3);

    const tasksOf = async (token: string) => (await api.get("/v1/tasks", token)).body.data as any[];
    const shared = (await tasksOf(a.accessToken)).find((x) => x.title === "撰写调研报告");
    expect(shared.assignees.map((x: any) => x.memberId).sort()).toEqual([a.id, b.id].sort());
    expect((await tasksOf(b.accessToken)).find((x) => x.title === "撰写调研报告").id).toBe(shared.id);
    expect(await tasksOf(c.accessToken)).toEqual([]);

    await api.post(`/v1/tasks/${shared.id}/records`, { doneOn: "2026-12-01", summary: "完成初稿" }, b.accessToken);
    expect((await api.post(`/v1/tasks/${shared.id}/submit`, {}, b.accessToken)).body.status).toBe("done");
    expect((await tasksOf(a.accessToken)).find((x) => x.id === shared.id).status).toBe("done");
    expectProblem(await api.post(`/v1/tasks/${shared.id}/records`, { doneOn: "2026-12-02", summary: "补充" }, a.accessToken), 409, "task.closed");

    const own = (await tasksOf(a.accessToken)).filter((x) => x.title === "每人提交心得");
    expect(own).toHaveLength(1);
    expect(own[0].assignees).toEqual([{ memberId: a.id, branchId: null }]);
  });
});

describe("a branch that work refers to", () => {
  it("cannot be deleted: its tasks and ledgers keep it", async () => {
    const t = await api.signUp();
    const branch = await api.createBranch(t.accessToken, { name: "临时支部" });
    const checklist = (await api.post("/v1/checklists", { title: "支部清单", kind: "task", year: 2026, branchId: branch.id }, t.accessToken)).body;
    expectProblem(await api.delete(`/v1/branches/${branch.id}`, t.accessToken), 409, "branch.in_use");
    expect((await api.delete(`/v1/checklists/${checklist.id}`, t.accessToken)).status).toBe(204);
    expect((await api.delete(`/v1/branches/${branch.id}`, t.accessToken)).status).toBe(204);
  });
});

describe("a 党小组 within a 支部", () => {
  it("acts for its 支部: its members see and record on the 支部's own tasks", async () => {
    const t = await api.signUp();
    const branch = await api.createBranch(t.accessToken, { name: "第一支部", kind: "branch" });
    const group = await api.createBranch(t.accessToken, { name: "第一党小组", kind: "party_group", parentId: branch.id });
    const inGroup = await api.addMember(t.accessToken, { branchId: group.id, name: "小组成员" });
    const checklist = (await api.post("/v1/checklists", { title: "党务清单", kind: "party_affairs", year: 2026, branchId: branch.id }, t.accessToken)).body;
    await api.post(`/v1/checklists/${checklist.id}/items`, { module: "组织生活", title: "支部委员会会议", dueDate: "2026-12-15", assignees: [{ type: "branch", branchId: branch.id }] }, t.accessToken);
    await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, t.accessToken);
    const [task] = (await api.get("/v1/tasks", inGroup.accessToken)).body.data;
    expect(task.title).toBe("支部委员会会议");
    expect((await api.post(`/v1/tasks/${task.id}/records`, { doneOn: "2026-12-10", summary: "召开支委会" }, inGroup.accessToken)).status).toBe(201);
  });
});
