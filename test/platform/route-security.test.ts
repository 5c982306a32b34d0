import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTarget } from "#target";
import { Api, expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import type { Target } from "../support/target.js";

/**
 * The same checks against every authenticated route, generated from one table: no credentials,
 * too small a role, another tenant's token on this tenant's ids, and hostile bodies. Each must
 * answer a problem+json 4xx and change nothing (the audit log, which every change writes, stays put).
 */

type Role = "member" | "secretary" | "admin";
interface RouteCase {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: Record<string, unknown>;
  /** The least role that may call it; lower roles get 403. */
  minRole: Role;
  /** Names an object of tenant A: tenant B's admin must get 404 for it. */
  ownsId?: boolean;
}

let target: Target;
let api: Api;
let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;
let adminA: string;

beforeAll(async () => {
  target = await startTarget();
  api = new Api(target);
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
afterAll(() => target.close());

const rank: Record<Role, number> = { member: 0, secretary: 1, admin: 2 };
const call = (r: RouteCase, token?: string, body: unknown = r.body) => api.call(r.method, r.path, { token, body });

describe("every authenticated route", () => {
  it("answers 401 problem+json without credentials or with a bad token", async () => {
    for (const r of routes) {
      expectProblem(await call(r), 401);
      expectProblem(await call(r, "Bearer-nonsense"), 401);
      expectProblem(await call(r, "qd_ten_00000000000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401);
    }
  });

  it("answers 403 to a role below the route's and changes nothing", async () => {
    const before = await api.auditCount(adminA);
    let checked = 0;
    for (const r of routes) {
      for (const role of ["member", "secretary"] as const) {
        if (rank[role] >= rank[r.minRole]) continue;
        expectProblem(await call(r, tokens[role]), 403, "auth.forbidden");
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(await api.auditCount(adminA)).toBe(before);
  });

  it("answers a plain 404 to another tenant's admin for this tenant's ids, reading and writing nothing", async () => {
    const before = await api.auditCount(adminA);
    for (const r of routes.filter((x) => x.ownsId)) {
      const reply = await call(r, foreignAdmin);
      expectProblem(reply, 404);
      expect(JSON.stringify(reply.body)).not.toMatch(/第一|改名|待激活/);
    }
    expect(await api.auditCount(adminA)).toBe(before);
    // And the objects are still there, unchanged, for their own tenant.
    for (const r of routes.filter((x) => x.ownsId && x.method === "GET")) expect((await call(r, adminA)).status).toBe(200);
  });

  it("answers 4xx problem+json with field paths to hostile bodies, and changes nothing", async () => {
    const before = await api.auditCount(adminA);
    for (const r of routes.filter((x) => x.body)) {
      const body = r.body!;
      const malformed = await api.call(r.method, r.path, { token: adminA, rawBody: "{not json" });
      expectProblem(malformed, 400, "request.malformed_json");
      expectProblem(await call(r, adminA, [body]), 400, "validation.failed");
      expectProblem(await call(r, adminA, "a string"), 400, "validation.failed");

      const unknown = expectProblem(await call(r, adminA, { ...body, isAdmin: true }), 400, "validation.failed");
      expect(unknown.errors).toContainEqual(expect.objectContaining({ path: "isAdmin" }));

      for (const field of Object.keys(body)) {
        const wrongType = expectProblem(await call(r, adminA, { ...body, [field]: 12345 }), 400, "validation.failed");
        expect(wrongType.errors!.map((e) => e.path)).toContain(field);
        const huge = expectProblem(await call(r, adminA, { ...body, [field]: "长".repeat(100_000) }), 400, "validation.failed");
        expect(huge.errors!.map((e) => e.path)).toContain(field);
        const nested = expectProblem(await call(r, adminA, { ...body, [field]: { $gt: "" } }), 400, "validation.failed");
        expect(nested.errors!.map((e) => e.path)).toContain(field);
      }
    }
    const tooBig = await api.call("POST", "/v1/branches", { token: adminA, rawBody: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }) });
    expectProblem(tooBig, 413, "request.too_large");
    expect(await api.auditCount(adminA)).toBe(before);
  });

  it("answers 400 to malformed ids in the path and in queries", async () => {
    expectProblem(await api.get("/v1/members/not-an-id", adminA), 400);
    expectProblem(await api.get("/v1/branches/br_' OR 1=1 --", adminA), 400);
    expectProblem(await api.get("/v1/members?branchId=%00%00", adminA), 400);
    expectProblem(await api.get("/v1/members?unknown=1", adminA), 400);
  });
});
