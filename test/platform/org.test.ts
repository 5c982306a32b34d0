import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";

const api = apiForSuite();

/** 机关党委 → 第一党总支 → 第一支部 → 第一党小组, plus a 临时党支部 on a metro project. */
async function bureau() {
  const t = await api.signUp();
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const general = await api.createBranch(admin, { name: "第一党总支", kind: "general_branch", parentId: committee.id });
  const branch = await api.createBranch(admin, { name: "第一支部", kind: "branch", parentId: general.id });
  const group = await api.createBranch(admin, { name: "第一党小组", kind: "party_group", parentId: branch.id });
  const other = await api.createBranch(admin, { name: "第二支部", kind: "branch", parentId: general.id });
  const project = await api.createBranch(admin, { name: "地铁3号线临时党支部", kind: "temporary_branch", parentId: committee.id });
  const secretary = await api.addMember(admin, { role: "member", branchId: branch.id, name: "赵书记" });
  expect((await api.patch(`/v1/branches/${branch.id}`, { secretaryId: secretary.id }, admin)).status).toBe(200);
  // The role change is in the database now; a fresh login carries it.
  const secLogin = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: secretary.email, password: STRONG_PASSWORD });
  const member = await api.addMember(admin, { branchId: group.id, secondBranchId: project.id, name: "钱党员" });
  const outsider = await api.addMember(admin, { branchId: other.id, name: "孙党员" });
  return { t, admin, committee, general, branch, group, other, project, secretary: { ...secretary, accessToken: secLogin.body.accessToken as string }, member, outsider };
}

describe("branches (the org tree)", () => {
  it("nests to any depth and lists parents before children", async () => {
    const b = await bureau();
    const list = await api.get("/v1/branches?limit=200", b.admin);
    expect(list.status).toBe(200);
    const ids = list.body.data.map((x: { id: string }) => x.id);
    expect(ids.indexOf(b.committee.id)).toBeLessThan(ids.indexOf(b.general.id));
    expect(ids.indexOf(b.general.id)).toBeLessThan(ids.indexOf(b.branch.id));
    expect(ids.indexOf(b.branch.id)).toBeLessThan(ids.indexOf(b.group.id));
    const group = list.body.data.find((x: { id: string }) => x.id === b.group.id);
    expect(group.depth).toBe(3);
    expect(group.path).toBe(`/${b.committee.id}/${b.general.id}/${b.branch.id}/${b.group.id}/`);
    const subtree = await api.get(`/v1/branches?within=${b.general.id}`, b.admin);
    expect(subtree.body.data.map((x: { id: string }) => x.id).sort()).toEqual([b.general.id, b.branch.id, b.group.id, b.other.id].sort());
    const byParent = await api.get(`/v1/branches?parentId=${b.general.id}`, b.admin);
    expect(byParent.body.data).toHaveLength(2);
  });

  it("pages with a cursor", async () => {
    const b = await bureau();
    const first = await api.get("/v1/branches?limit=2", b.admin);
    expect(first.body.data).toHaveLength(2);
    const second = await api.get(`/v1/branches?limit=2&cursor=${first.body.nextCursor}`, b.admin);
    expect(second.body.data[0].id).not.toBe(first.body.data[1].id);
    expectProblem(await api.get("/v1/branches?cursor=%%%", b.admin), 400);
    expectProblem(await api.get("/v1/branches?limit=5000", b.admin), 400);
  });

  it("moves a subtree and refuses to move a branch under itself", async () => {
    const b = await bureau();
    const moved = await api.patch(`/v1/branches/${b.branch.id}`, { parentId: b.committee.id }, b.admin);
    expect(moved.status).toBe(200);
    expect(moved.body.depth).toBe(1);
    const group = await api.get(`/v1/branches/${b.group.id}`, b.admin);
    expect(group.body.path).toBe(`/${b.committee.id}/${b.branch.id}/${b.group.id}/`);
    expect(group.body.depth).toBe(2);
    expectProblem(await api.patch(`/v1/branches/${b.committee.id}`, { parentId: b.group.id }, b.admin), 400, "branch.cycle");
  });

  it("deletes only empty branches", async () => {
    const b = await bureau();
    expectProblem(await api.delete(`/v1/branches/${b.general.id}`, b.admin), 409, "branch.not_empty");
    const empty = await api.createBranch(b.admin, { name: "待撤销支部", parentId: b.general.id });
    expect((await api.delete(`/v1/branches/${empty.id}`, b.admin)).status).toBe(204);
    expectProblem(await api.get(`/v1/branches/${empty.id}`, b.admin), 404, "branch.not_found");
  });

  it("counts members homed or seconded in a branch", async () => {
    const b = await bureau();
    expect((await api.get(`/v1/branches/${b.project.id}`, b.admin)).body.memberCount).toBe(1);
    expect((await api.get(`/v1/branches/${b.group.id}`, b.admin)).body.memberCount).toBe(1);
  });
});

describe("roles", () => {
  it("a secretary manages within their subtree and nowhere else", async () => {
    const b = await bureau();
    const sec = b.secretary.accessToken;
    expect((await api.get("/v1/me", sec)).body.member.role).toBe("secretary");
    // Inside: a new 党小组 under their 支部, and a member invited into it.
    const team = await api.post("/v1/branches", { name: "第二党小组", kind: "party_group", parentId: b.branch.id }, sec);
    expect(team.status).toBe(201);
    const invited = await api.post("/v1/members", { email: `${unique("n")}@example.cn`, name: "新党员", branchId: team.body.id }, sec);
    expect(invited.status).toBe(201);
    expect((await api.patch(`/v1/members/${b.member.id}`, { name: "钱某某" }, sec)).status).toBe(200);
    // Outside: the sibling branch, the root, other roles.
    expectProblem(await api.post("/v1/branches", { name: "越权", kind: "branch", parentId: b.other.id }, sec), 403);
    expectProblem(await api.post("/v1/branches", { name: "越权", kind: "branch" }, sec), 403);
    expectProblem(await api.post("/v1/members", { email: `${unique("n")}@example.cn`, name: "越权", branchId: b.other.id }, sec), 403);
    expectProblem(await api.post("/v1/members", { email: `${unique("n")}@example.cn`, name: "越权", role: "admin", branchId: b.branch.id }, sec), 403);
    expectProblem(await api.patch(`/v1/members/${b.outsider.id}`, { name: "越权" }, sec), 404);
    expectProblem(await api.patch(`/v1/members/${b.member.id}`, { role: "admin" }, sec), 403);
    expectProblem(await api.patch(`/v1/branches/${b.other.id}`, { name: "越权" }, sec), 403);
    expectProblem(await api.get("/v1/audit", sec), 403);
  });

  it("a member sees their own branches' people and changes nothing", async () => {
    const b = await bureau();
    const m = b.member.accessToken;
    const seen = await api.get("/v1/members?limit=200", m);
    expect(seen.status).toBe(200);
    const ids = seen.body.data.map((x: { id: string }) => x.id);
    expect(ids).toContain(b.member.id);
    expect(ids).not.toContain(b.outsider.id);
    expectProblem(await api.get(`/v1/members/${b.outsider.id}`, m), 404, "member.not_found");
    expect((await api.get("/v1/branches", m)).status).toBe(200);
    expectProblem(await api.post("/v1/branches", { name: "x", kind: "branch" }, m), 403, "auth.forbidden");
    expectProblem(await api.post("/v1/members", { email: "x@example.cn", name: "x" }, m), 403, "auth.forbidden");
    expectProblem(await api.patch(`/v1/members/${b.member.id}`, { role: "admin" }, m), 403, "auth.forbidden");
  });

  it("a secretary sees the members of their subtree, including those seconded to it", async () => {
    const b = await bureau();
    const seen = await api.get("/v1/members?limit=200", b.secretary.accessToken);
    const ids = seen.body.data.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([b.member.id, b.secretary.id]));
    expect(ids).not.toContain(b.outsider.id);
  });
});

describe("members", () => {
  it("invites by email: the link is in the response, in the mail, and accepting it activates the member", async () => {
    const b = await bureau();
    const email = `${unique("new")}@example.cn`;
    const invited = await api.post("/v1/members", { email, name: "周党员", branchId: b.branch.id, secondBranchId: b.project.id }, b.admin);
    expect(invited.status).toBe(201);
    expect(invited.body.member).toMatchObject({ email, status: "invited", role: "member", branchId: b.branch.id, secondBranchId: b.project.id });
    expect(invited.body.invitation.url).toContain(encodeURIComponent(invited.body.invitation.token));
    const info = await api.get(`/v1/invitations/${encodeURIComponent(invited.body.invitation.token)}`);
    expect(info.body).toMatchObject({ email, name: "周党员" });
    expectProblem(await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email, password: STRONG_PASSWORD }), 401);
    const accepted = await api.post("/v1/invitations/accept", { token: invited.body.invitation.token, password: STRONG_PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body.member.status).toBe("active");
    expectProblem(await api.post("/v1/invitations/accept", { token: invited.body.invitation.token, password: STRONG_PASSWORD }), 400, "invitation.invalid");
    expect((await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it("refuses a duplicate email with 409 and a foreign branch with 400", async () => {
    const b = await bureau();
    expectProblem(await api.post("/v1/members", { email: b.member.email.toUpperCase(), name: "重复" }, b.admin), 409, "member.email_taken");
    const elsewhere = await api.signUp();
    const foreignBranch = await api.createBranch(elsewhere.accessToken, { name: "外单位支部" });
    const reply = await api.post("/v1/members", { email: `${unique("x")}@example.cn`, name: "某人", branchId: foreignBranch.id }, b.admin);
    expect(expectProblem(reply, 400).errors![0]!.path).toBe("branchId");
  });

  it("re-issues an invitation and the old link stops working", async () => {
    const b = await bureau();
    const invited = await api.post("/v1/members", { email: `${unique("r")}@example.cn`, name: "吴党员" }, b.admin);
    const again = await api.post(`/v1/members/${invited.body.member.id}/invitation`, {}, b.admin);
    expect(again.status).toBe(201);
    expectProblem(await api.post("/v1/invitations/accept", { token: invited.body.invitation.token, password: STRONG_PASSWORD }), 400, "invitation.invalid");
    expect((await api.post("/v1/invitations/accept", { token: again.body.invitation.token, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it("disabling ends sessions and API tokens; re-enabling lets the member log in again", async () => {
    const b = await bureau();
    const admin2 = await api.addMember(b.admin, { role: "admin" });
    const token = await api.post("/v1/api-tokens", { name: "集成" }, admin2.accessToken);
    const disabled = await api.patch(`/v1/members/${admin2.id}`, { status: "disabled" }, b.admin);
    expect(disabled.body.status).toBe("disabled");
    expectProblem(await api.post("/v1/auth/refresh", { refreshToken: admin2.refreshToken }), 401);
    expectProblem(await api.get("/v1/me", token.body.token), 401);
    expectProblem(await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email: admin2.email, password: STRONG_PASSWORD }), 401, "auth.member_inactive");
    expect((await api.patch(`/v1/members/${admin2.id}`, { status: "active" }, b.admin)).status).toBe(200);
    expect((await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email: admin2.email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it("never leaves the tenant without an active admin", async () => {
    const b = await bureau();
    expectProblem(await api.patch(`/v1/members/${b.t.member.id}`, { role: "member" }, b.admin), 409, "member.last_admin");
    expectProblem(await api.patch(`/v1/members/${b.t.member.id}`, { status: "disabled" }, b.admin), 409, "member.last_admin");
  });

  it("changes roles, searches and filters", async () => {
    const b = await bureau();
    expect((await api.patch(`/v1/members/${b.outsider.id}`, { role: "secretary" }, b.admin)).body.role).toBe("secretary");
    const found = await api.get(`/v1/members?q=${encodeURIComponent("孙")}`, b.admin);
    expect(found.body.data.map((x: { id: string }) => x.id)).toEqual([b.outsider.id]);
    const inProject = await api.get(`/v1/members?branchId=${b.project.id}`, b.admin);
    expect(inProject.body.data.map((x: { id: string }) => x.id)).toEqual([b.member.id]);
    const invitedOnly = await api.get("/v1/members?status=invited", b.admin);
    expect(invitedOnly.body.data).toEqual([]);
  });

  it("writes an audit row for each change with actor, before and after", async () => {
    const b = await bureau();
    await api.patch(`/v1/members/${b.member.id}`, { name: "钱改名" }, b.admin);
    const audit = await api.get(`/v1/audit?entityId=${b.member.id}`, b.admin);
    const entry = audit.body.data.find((x: { action: string }) => x.action === "member.updated");
    expect(entry).toMatchObject({ actorId: b.t.member.id, entityType: "member", before: { name: "钱党员" }, after: { name: "钱改名" } });
    expect(entry.requestId).toBeTruthy();
  });
});
