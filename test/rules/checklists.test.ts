import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD } from "../support/api.js";
import { bureauWithChecklist } from "../checklists/fixture.js";

// Issue 16's checklist behaviours: empty targets named (1), urgency per status (2), branch ledger
// rows (8), impossible dates and years refused (9). Fixed 2026 dates: nothing here depends on today.

let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
const api = apiForSuite();
beforeAll(async () => {
  b = await bureauWithChecklist(api);
});

describe("targets that yield nothing (issue 16 §1)", () => {
  it("preview and publish name a 总支 with no secretary under each_secretary, and say why in the reader's language", async () => {
    const general = await api.createBranch(b.admin, { name: "第三总支", kind: "general_branch", parentId: b.committee.id });
    const list = (await api.post("/v1/checklists", { title: "总支书记清单", kind: "task", year: 2026, branchId: b.committee.id }, b.admin)).body;
    const item = (await api.post(`/v1/checklists/${list.id}/items`, { module: "组织", title: "总支述职", dueDate: "2026-12-15", assignees: [{ type: "each_secretary", branchKind: "general_branch" }] }, b.admin)).body;
    await api.post(`/v1/checklists/${list.id}/items`, { module: "组织", title: "党小组活动", dueDate: "2026-12-15", assignees: [{ type: "each_branch", branchKind: "party_group" }] }, b.admin);

    const preview = await api.get(`/v1/checklists/${list.id}/preview?from=2026-01-01`, b.admin);
    expect(preview.status).toBe(200);
    expect(preview.body.tasks).toBe(0);
    const first = preview.body.items.find((i: any) => i.itemId === item.id);
    expect(first).toMatchObject({ assignees: 0, tasks: 0 });
    expect(first.unreached).toEqual([{ assignee: "each_secretary", branchId: general.id, branchName: "第三总支", reason: "no_secretary", message: "第三总支未设书记，不会生成任务" }]);
    expect(preview.body.unreached.map((u: any) => u.reason)).toEqual(["no_secretary", "no_branch_of_kind"]);

    const en = await api.get(`/v1/checklists/${list.id}/preview?from=2026-01-01`, b.admin, { "accept-language": "en" });
    expect(en.body.unreached[0].message).toBe("第三总支 has no secretary: no task is made");
    expect(en.body.unreached[1].message).toBe("No branch of this kind in scope: no task is made");

    const published = await api.post(`/v1/checklists/${list.id}/publish`, { from: "2026-01-01" }, b.admin);
    expect(published.status).toBe(200);
    expect(published.body.tasksCreated).toBe(0);
    expect(published.body.unreached).toMatchObject([
      { itemId: item.id, itemTitle: "总支述职", branchId: general.id, reason: "no_secretary" },
      { itemTitle: "党小组活动", reason: "no_branch_of_kind" },
    ]);
  });

  it("a checklist whose targets all reach someone says nothing", async () => {
    const preview = await api.get(`/v1/checklists/${b.checklist.id}/preview`, b.admin);
    expect(preview.body.unreached).toEqual([]);
  });
});

describe("urgency for every status (issue 16 §2)", () => {
  it("a task submitted for review is `submitted`, however long past due; open past due is overdue", async () => {
    const list = (await api.post("/v1/checklists", { title: "补交清单", kind: "task", year: 2026, branchId: b.committee.id }, b.admin)).body;
    await api.post(`/v1/checklists/${list.id}/items`, { module: "组织", title: "二月汇报", dueDate: "2026-02-27", reviewRequired: true, assignees: [{ type: "member", memberId: b.m1.id }, { type: "member", memberId: b.m2.id }] }, b.admin);
    await api.post(`/v1/checklists/${list.id}/publish`, { from: "2026-01-01" }, b.admin);
    const mine = async (token: string) => (await api.get(`/v1/tasks?checklistId=${list.id}`, token)).body.data[0];
    const task = await mine(b.m1.accessToken);
    expect(task).toMatchObject({ status: "overdue", urgency: "overdue" });
    await api.post(`/v1/tasks/${task.id}/records`, { doneOn: "2026-02-26", summary: "已汇报" }, b.m1.accessToken);
    expect((await api.post(`/v1/tasks/${task.id}/submit`, {}, b.m1.accessToken)).body.status).toBe("submitted");
    expect(await mine(b.m1.accessToken)).toMatchObject({ status: "submitted", urgency: "submitted" });
    const filtered = await api.get(`/v1/tasks?checklistId=${list.id}&scope=oversee&urgency=submitted`, b.admin);
    expect(filtered.body.data.map((t: any) => t.id)).toEqual([task.id]);
    expect(await mine(b.m2.accessToken)).toMatchObject({ status: "overdue", urgency: "overdue" });
  });
});

describe("branch ledger rows (issue 16 §8)", () => {
  it("a branch's row carries its own id and name, not its parent's", async () => {
    const rows = (await api.get("/v1/reports/checklists?period=2026&groupBy=branch", b.admin)).body.data as any[];
    const first = rows.find((r) => r.id === b.branch1.id);
    expect(first).toMatchObject({ id: b.branch1.id, name: "第一支部", branchId: b.branch1.id, branchName: "第一支部" });
    for (const r of rows) expect(r.branchId).toBe(r.id);
  });
});

describe("impossible dates and years (issue 16 §9)", () => {
  it("refuses 2026-02-31 on checklist items and ?year=0000 on the checklist list with 400 and a field path", async () => {
    const url = `/v1/checklists/${b.checklist.id}/items`;
    const bad = expectProblem(await api.post(url, { module: "测试", title: "不存在的日子", dueDate: "2026-02-31", assignees: [{ type: "each_member" }] }, b.admin), 400);
    expect(bad.errors![0]!.path).toBe("dueDate");
    expect(expectProblem(await api.get("/v1/checklists?year=0000", b.admin), 400).errors![0]!.path).toMatch(/year$/);
    expect(expectProblem(await api.get("/v1/checklists?year=2026-01", b.admin), 400).errors![0]!.path).toMatch(/year$/);
    expect(expectProblem(await api.get("/v1/pledges?year=0000", b.admin), 400).errors![0]!.path).toMatch(/year$/);
    expect((await api.get("/v1/checklists?year=2026", b.admin)).status).toBe(200);
  });
});

describe("党小组 leader (issue 16 §11)", () => {
  it("naming a 组长 makes them secretary of the group alone, and the answer and /openapi.json say so", async () => {
    const group = await api.createBranch(b.admin, { name: "第一党小组", kind: "party_group", parentId: b.branch1.id });
    const leader = await api.addMember(b.admin, { branchId: group.id, name: "吴组长" });
    const named = await api.patch(`/v1/branches/${group.id}`, { secretaryId: leader.id }, b.admin);
    expect(named.body.roleChanged).toEqual({ memberId: leader.id, from: "member", to: "secretary" });
    // Naming them again changes nothing, and says so.
    expect((await api.patch(`/v1/branches/${group.id}`, { secretaryId: leader.id }, b.admin)).body.roleChanged).toBeNull();
    const token = (await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email: leader.email, password: STRONG_PASSWORD })).body.accessToken;
    expect((await api.get("/v1/me", token)).body.member.role).toBe("secretary");
    // Powers over the group's subtree only: a branch under the group, yes; the 支部 above, no.
    expect((await api.post("/v1/branches", { name: "小组下设网格", kind: "party_group", parentId: group.id }, token)).status).toBe(201);
    expect([403, 404]).toContain((await api.patch(`/v1/branches/${b.branch1.id}`, { name: "改名" }, token)).status);
    const doc = (await api.get("/openapi.json")).body;
    expect(doc.paths["/v1/branches/{id}"].patch.description).toMatch(/党小组's 组长/);
  });
});
