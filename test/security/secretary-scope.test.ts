import { describe, expect, it } from "vitest";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { expectProblem, unique } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/** Issue #10 §3: a secretary names only branches and members of the subtree they lead. */
describe("a secretary stays inside their subtree", () => {
  it("cannot second a member to another branch, nor invite one seconded there", async () => {
    const b = await bureauWithChecklist(api);
    expect((await api.patch(`/v1/members/${b.m1.id}`, { secondBranchId: b.branch2.id }, b.sec1.accessToken)).status).toBe(403);
    expect((await api.get(`/v1/members/${b.m1.id}`, b.admin)).body.secondBranchId).toBeNull();
    const invited = await api.post("/v1/members", { email: `${unique("m")}@example.cn`, name: "吴党员", role: "member", branchId: b.branch1.id, secondBranchId: b.branch2.id }, b.sec1.accessToken);
    expect(invited.status).toBe(403);
    // Inside the subtree it still works.
    const inner = await api.createBranch(b.sec1.accessToken, { name: "第一党小组", kind: "party_group", parentId: b.branch1.id });
    expect((await api.patch(`/v1/members/${b.m1.id}`, { secondBranchId: inner.id }, b.sec1.accessToken)).status).toBe(200);
  });

  it("cannot name another branch's member secretary of a new sub-branch (their role stays)", async () => {
    const b = await bureauWithChecklist(api);
    const reply = await api.post("/v1/branches", { name: "第一党小组", kind: "party_group", parentId: b.branch1.id, secretaryId: b.m3.id }, b.sec1.accessToken);
    expect(expectProblem(reply, 400).errors?.[0]?.path).toBe("secretaryId");
    expect((await api.get(`/v1/members/${b.m3.id}`, b.admin)).body.role).toBe("member");
    const group = await api.createBranch(b.sec1.accessToken, { name: "第一党小组", kind: "party_group", parentId: b.branch1.id });
    expect(expectProblem(await api.patch(`/v1/branches/${group.id}`, { secretaryId: b.m3.id }, b.sec1.accessToken), 400).errors?.[0]?.path).toBe("secretaryId");
    expect((await api.patch(`/v1/branches/${group.id}`, { secretaryId: b.m1.id }, b.sec1.accessToken)).status).toBe(200);
  });

  it("cannot assign checklist work to another branch's member or branch", async () => {
    const b = await bureauWithChecklist(api);
    const list = await api.post("/v1/checklists", { title: "第一支部学习清单", kind: "learning", year: 2026, branchId: b.branch1.id }, b.sec1.accessToken);
    expect(list.status).toBe(201);
    const item = (assignees: unknown[]) => api.post(`/v1/checklists/${list.body.id}/items`, { module: "学习", title: "读书", dueDate: "2026-10-09", assignees, points: 1 }, b.sec1.accessToken);
    expect(expectProblem(await item([{ type: "member", memberId: b.m3.id }]), 400).errors?.[0]?.path).toBe("assignees.0");
    expect(expectProblem(await item([{ type: "branch", branchId: b.branch2.id }]), 400).errors?.[0]?.path).toBe("assignees.0");
    expect((await item([{ type: "member", memberId: b.m1.id }])).status).toBe(201);
  });
});
