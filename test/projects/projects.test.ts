import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { type Bureau, bureau } from "./fixture.js";

let b: Bureau;
const api = apiForSuite();
beforeAll(async () => {
  b = await bureau(api);
});

const ids = (reply: { body: { data: { id: string }[] } }) => reply.body.data.map((x) => x.id);

describe("projects", () => {
  it("an admin creates a project with its road chief, partner branches and tags; it reads back the same", async () => {
    const reply = await api.get(`/v1/projects/${b.project.id}`, b.admin);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      name: "地铁3号线配套道路",
      kind: "metro_road",
      district: "钟山区",
      roadSection: "人民路—凉都大道",
      startDate: "2026-03-01",
      endDate: null,
      status: "under_construction",
      roadChiefId: b.roadChief.id,
      roadChiefName: "周路长",
      tags: ["重点工程"],
      mine: false,
      issueCount: 0,
      openIssueCount: 0,
      overdueIssueCount: 0,
    });
    expect(reply.body.branchIds.sort()).toEqual([b.temporary.id, b.branch.id].sort());
  });

  it("only an admin creates; bad references and dates are 400 with the field's path", async () => {
    expectProblem(await api.post("/v1/projects", { name: "越权项目", kind: "other" }, b.roadChief.accessToken), 403, "auth.forbidden");
    expectProblem(await api.post("/v1/projects", { name: "越权项目", kind: "other" }, b.secretary.accessToken), 403, "auth.forbidden");
    const foreign = await api.signUp();
    const foreignBranch = await api.createBranch(foreign.accessToken, { name: "外单位支部" });
    expect(expectProblem(await api.post("/v1/projects", { name: "x", kind: "other", branchIds: [b.branch.id, foreignBranch.id] }, b.admin), 400).errors![0]!.path).toBe("branchIds.1");
    expect(expectProblem(await api.post("/v1/projects", { name: "x", kind: "other", roadChiefId: foreign.member.id }, b.admin), 400).errors![0]!.path).toBe("roadChiefId");
    expect(expectProblem(await api.post("/v1/projects", { name: "x", kind: "other", startDate: "2026-05-01", endDate: "2026-04-01" }, b.admin), 400).errors![0]!.path).toBe("endDate");
    expect(expectProblem(await api.post("/v1/projects", { name: "x", kind: "other", startDate: "2026-02-30" }, b.admin), 400).errors![0]!.path).toBe("startDate");
    expect(expectProblem(await api.post("/v1/projects", { name: "x", kind: "bridge" }, b.admin), 400).errors![0]!.path).toBe("kind");
  });

  it("who sees a project: admin, road chief, secretary over a partner branch, the people of its problems; others get 404", async () => {
    const fresh = await api.post("/v1/projects", { name: "凉都大道改造", kind: "renovation", roadChiefId: b.roadChief.id, branchIds: [b.temporary.id] }, b.admin);
    const id = fresh.body.id as string;
    for (const token of [b.admin, b.roadChief.accessToken]) expect((await api.get(`/v1/projects/${id}`, token)).status).toBe(200);
    // 赵书记 leads 第一支部, not the temporary branch (a sibling under 机关党委): not overseen until 第一支部 is a partner.
    expectProblem(await api.get(`/v1/projects/${id}`, b.secretary.accessToken), 404, "project.not_found");
    for (const token of [b.handler.accessToken, b.follower.accessToken, b.outsider.accessToken, b.otherSecretary.accessToken]) expectProblem(await api.get(`/v1/projects/${id}`, token), 404, "project.not_found");
    expect((await api.patch(`/v1/projects/${id}`, { branchIds: [b.temporary.id, b.branch.id] }, b.admin)).status).toBe(200);
    expect((await api.get(`/v1/projects/${id}`, b.secretary.accessToken)).status).toBe(200);
    // A problem makes its handler, follower and supervisor part of the project.
    await b.raise({}, b.roadChief.accessToken, id);
    for (const token of [b.handler.accessToken, b.follower.accessToken, b.supervisor.accessToken]) expect((await api.get(`/v1/projects/${id}`, token)).status).toBe(200);
    expectProblem(await api.get(`/v1/projects/${id}`, b.outsider.accessToken), 404);
    expect(ids(await api.get("/v1/projects", b.outsider.accessToken))).not.toContain(id);
    expect(ids(await api.get("/v1/projects", b.handler.accessToken))).toContain(id);
  });

  it("lists the caller's own projects (as road chief) first, then by name, and pages with a cursor", async () => {
    const t = await api.signUp();
    const chief = await api.addMember(t.accessToken, { name: "路长甲" });
    const other = await api.addMember(t.accessToken, { name: "路长乙" });
    for (const [name, roadChiefId] of [["A 快速路", other.id], ["B 快速路", chief.id], ["C 快速路", other.id], ["D 快速路", chief.id]] as const) {
      expect((await api.post("/v1/projects", { name, kind: "expressway", roadChiefId }, t.accessToken)).status).toBe(201);
    }
    const mine = await api.get("/v1/projects", chief.accessToken);
    expect(mine.body.data.map((p: { name: string; mine: boolean }) => [p.name, p.mine])).toEqual([
      ["B 快速路", true],
      ["D 快速路", true],
    ]);
    const all = await api.get("/v1/projects", t.accessToken);
    expect(all.body.data.map((p: { name: string }) => p.name)).toEqual(["A 快速路", "B 快速路", "C 快速路", "D 快速路"]);
    // An admin who is also a road chief sees theirs first.
    await api.patch(`/v1/projects/${all.body.data[2].id}`, { roadChiefId: t.member.id }, t.accessToken);
    const first = await api.get("/v1/projects?limit=2", t.accessToken);
    expect(first.body.data.map((p: { name: string }) => p.name)).toEqual(["C 快速路", "A 快速路"]);
    const second = await api.get(`/v1/projects?limit=2&cursor=${first.body.nextCursor}`, t.accessToken);
    expect(second.body.data.map((p: { name: string }) => p.name)).toEqual(["B 快速路", "D 快速路"]);
    expect(second.body.nextCursor).toBeNull();
    expect((await api.get(`/v1/projects?mine=true`, chief.accessToken)).body.data).toHaveLength(2);
    expect((await api.get(`/v1/projects?q=${encodeURIComponent("C 快")}`, t.accessToken)).body.data).toHaveLength(1);
    expectProblem(await api.get("/v1/projects?cursor=%%%", t.accessToken), 400);
  });

  it("filters by status, kind, partner branch and tag", async () => {
    const tagged = await api.post("/v1/projects", { name: "标签项目", kind: "expressway", status: "planned", tags: ["智慧工地", "重点工程"], branchIds: [b.other.id] }, b.admin);
    expect(ids(await api.get(`/v1/projects?tag=${encodeURIComponent("智慧工地")}`, b.admin))).toEqual([tagged.body.id]);
    expect(ids(await api.get(`/v1/projects?branchId=${b.other.id}`, b.admin))).toEqual([tagged.body.id]);
    expect(ids(await api.get("/v1/projects?status=planned&kind=expressway", b.admin))).toContain(tagged.body.id);
    expect(ids(await api.get("/v1/projects?status=completed", b.admin))).not.toContain(tagged.body.id);
  });

  it("counts open, overdue and awaiting-verification problems in the list and the page, in one answer", async () => {
    const fresh = await api.post("/v1/projects", { name: "计数项目", kind: "other", roadChiefId: b.roadChief.id }, b.admin);
    const id = fresh.body.id as string;
    // Raised long ago: both clocks have run out.
    const late = await b.raise({ raisedAt: "2026-03-02T09:00:00+08:00" }, b.roadChief.accessToken, id);
    await b.raise({}, b.roadChief.accessToken, id);
    const done = await b.raise({}, b.roadChief.accessToken, id);
    await api.post(`/v1/issues/${done.id}/acknowledge`, {}, b.handler.accessToken);
    await api.post(`/v1/issues/${done.id}/resolve`, { note: "已协调电信抬升人孔井" }, b.handler.accessToken);
    const page = await api.get(`/v1/projects/${id}`, b.roadChief.accessToken);
    expect(page.body).toMatchObject({ issueCount: 3, openIssueCount: 2, overdueIssueCount: 1, awaitingVerificationCount: 1 });
    const listed = (await api.get("/v1/projects?mine=true&limit=200", b.roadChief.accessToken)).body.data.find((p: { id: string }) => p.id === id);
    expect(listed).toMatchObject({ issueCount: 3, openIssueCount: 2, overdueIssueCount: 1 });
    expect(late.id).toBeTruthy();
  });

  it("the road chief edits status, tags and description of their own project, nothing else; the admin edits everything", async () => {
    const fresh = await api.post("/v1/projects", { name: "编辑项目", kind: "other", roadChiefId: b.roadChief.id }, b.admin);
    const id = fresh.body.id as string;
    const edited = await api.patch(`/v1/projects/${id}`, { status: "completed", tags: ["已完工"], description: "主体完工" }, b.roadChief.accessToken);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: "completed", tags: ["已完工"], description: "主体完工", roadChiefName: "周路长", mine: true });
    expectProblem(await api.patch(`/v1/projects/${id}`, { name: "改名" }, b.roadChief.accessToken), 403, "auth.forbidden");
    expectProblem(await api.patch(`/v1/projects/${id}`, { roadChiefId: b.handler.id }, b.roadChief.accessToken), 403, "auth.forbidden");
    expectProblem(await api.patch(`/v1/projects/${id}`, { status: "planned" }, b.outsider.accessToken), 404, "project.not_found");
    const byAdmin = await api.patch(`/v1/projects/${id}`, { name: "改名项目", roadChiefId: b.handler2.id, endDate: "2026-12-31" }, b.admin);
    expect(byAdmin.body).toMatchObject({ name: "改名项目", roadChiefId: b.handler2.id, roadChiefName: "郑承办", endDate: "2026-12-31" });
    // The old road chief is no longer part of it.
    expectProblem(await api.get(`/v1/projects/${id}`, b.roadChief.accessToken), 404);
    const audit = await api.get(`/v1/audit?entityId=${id}`, b.admin);
    expect(audit.body.data.map((a: { action: string }) => a.action)).toEqual(["project.updated", "project.updated", "project.created"]);
  });

  it("deletes only a project with nothing on its ledger", async () => {
    const empty = await api.post("/v1/projects", { name: "空项目", kind: "other", branchIds: [b.branch.id] }, b.admin);
    expectProblem(await api.delete(`/v1/projects/${empty.body.id}`, b.roadChief.accessToken), 403);
    expect((await api.delete(`/v1/projects/${empty.body.id}`, b.admin)).status).toBe(204);
    expectProblem(await api.get(`/v1/projects/${empty.body.id}`, b.admin), 404);
    await b.raise();
    expectProblem(await api.delete(`/v1/projects/${b.project.id}`, b.admin), 409, "project.not_empty");
  });
});
