import { beforeAll, describe, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;
let adminA: string;

const api = apiForSuite();
beforeAll(async () => {
  const a = await api.signUp();
  adminA = a.accessToken;
  const branch = await api.createBranch(adminA, { name: "第一支部" });
  const child = await api.createBranch(adminA, { name: "第一党小组", kind: "party_group", parentId: branch.id });
  const secretary = await api.addMember(adminA, { branchId: branch.id });
  await api.patch(`/v1/branches/${branch.id}`, { secretaryId: secretary.id }, adminA);
  const secLogin = await api.post("/v1/auth/login", { tenant: a.tenant.slug, email: secretary.email, password: STRONG_PASSWORD });
  const member = await api.addMember(adminA, { branchId: child.id });
  const invited = await api.post("/v1/members", { email: `${unique("inv")}@example.cn`, name: "待激活", branchId: child.id }, adminA);
  const apiToken = await api.post("/v1/api-tokens", { name: "集成" }, adminA);
  tokens = { admin: adminA, secretary: secLogin.body.accessToken, member: member.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;

  routes = [
    { method: "GET", path: "/v1/me", minRole: "member" },
    { method: "PATCH", path: "/v1/me", body: { name: "新名字" }, minRole: "member" },
    { method: "POST", path: "/v1/me/password", body: { currentPassword: "wrong-one-here", newPassword: "Another-Pass-77" }, minRole: "member" },
    { method: "GET", path: "/v1/me/notifications", minRole: "member" },
    { method: "PUT", path: "/v1/me/notifications", body: { mutedCategories: ["tasks"] }, minRole: "member" },
    { method: "DELETE", path: "/v1/me/notifications/unsubscribe-links", minRole: "member" },
    { method: "GET", path: "/v1/members", minRole: "member" },
    { method: "POST", path: "/v1/members", body: { email: "someone@example.cn", name: "某人", branchId: child.id }, minRole: "secretary" },
    { method: "GET", path: `/v1/members/${member.id}`, minRole: "member", ownsId: true },
    { method: "PATCH", path: `/v1/members/${member.id}`, body: { name: "改名" }, minRole: "secretary", ownsId: true },
    { method: "POST", path: `/v1/members/${invited.body.member.id}/invitation`, minRole: "secretary", ownsId: true },
    { method: "GET", path: "/v1/branches", minRole: "member" },
    { method: "POST", path: "/v1/branches", body: { name: "新支部", kind: "branch", parentId: branch.id }, minRole: "secretary" },
    { method: "GET", path: `/v1/branches/${child.id}`, minRole: "member", ownsId: true },
    { method: "PATCH", path: `/v1/branches/${child.id}`, body: { name: "改名小组" }, minRole: "secretary", ownsId: true },
    { method: "DELETE", path: `/v1/branches/${child.id}`, minRole: "secretary", ownsId: true },
    { method: "GET", path: "/v1/api-tokens", minRole: "admin" },
    { method: "POST", path: "/v1/api-tokens", body: { name: "另一个" }, minRole: "admin" },
    { method: "DELETE", path: `/v1/api-tokens/${apiToken.body.id}`, minRole: "admin", ownsId: true },
    { method: "GET", path: "/v1/audit", minRole: "admin" },
  ];
});

describe("every platform route", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /第一|改名|待激活/ }));

  it("refuses a body over 1 MiB with 413", async () => {
    const tooBig = await api.call("POST", "/v1/branches", { token: adminA, rawBody: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }) });
    expectProblem(tooBig, 413, "request.too_large");
  });

  it("answers 400 to malformed ids in the path and in queries", async () => {
    expectProblem(await api.get("/v1/members/not-an-id", adminA), 400);
    expectProblem(await api.get("/v1/branches/br_' OR 1=1 --", adminA), 400);
    expectProblem(await api.get("/v1/members?branchId=%00%00", adminA), 400);
    expectProblem(await api.get("/v1/members?unknown=1", adminA), 400);
  });
});
