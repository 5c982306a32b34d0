import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { approvedPledge, bureau, type Bureau, pledgeBody } from "./fixture.js";

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;
let b: Bureau;
let approved: string;

const api = apiForSuite();
beforeAll(async () => {
  b = await bureau(api);
  approved = await approvedPledge(api, b);
  const submitted = (await api.post("/v1/pledges", pledgeBody({ title: "待审核的承诺" }), b.member.accessToken)).body.id;
  await api.post(`/v1/pledges/${submitted}/submit`, {}, b.member.accessToken);
  const draft = (await api.post("/v1/pledges", pledgeBody({ title: "草稿" }), b.member.accessToken)).body.id;
  tokens = { admin: b.admin, secretary: b.secretary.accessToken, member: b.member.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;

  const p = `/v1/pledges/${approved}`;
  routes = [
    { method: "GET", path: "/v1/pledges/settings", minRole: "admin" },
    { method: "PUT", path: "/v1/pledges/settings", body: { weights: { self: 25, leader: 25, peer: 25, public: 25 }, publicBoard: true, publicNames: "full", publicRatings: true }, minRole: "admin" },
    { method: "GET", path: "/v1/pledges", minRole: "member" },
    { method: "POST", path: "/v1/pledges", body: pledgeBody(), minRole: "member" },
    { method: "GET", path: p, minRole: "member", ownsId: true },
    { method: "PATCH", path: `/v1/pledges/${draft}`, body: { title: "改名", dueDate: pledgeBody().dueDate }, minRole: "member", ownsId: true },
    { method: "DELETE", path: `/v1/pledges/${draft}`, minRole: "member", ownsId: true },
    { method: "GET", path: `${p}/versions`, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/pledges/${draft}/submit`, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/pledges/${submitted}/withdraw`, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/pledges/${submitted}/approve`, body: { note: "同意" }, minRole: "secretary", ownsId: true },
    { method: "POST", path: `/v1/pledges/${submitted}/return`, body: { reason: "请修改" }, minRole: "secretary", ownsId: true },
    { method: "PUT", path: `${p}/public-display`, body: { publicDisplay: true }, minRole: "member", ownsId: true },
    { method: "GET", path: `${p}/updates`, minRole: "member", ownsId: true },
    { method: "POST", path: `${p}/updates`, body: { note: "进展", progress: [{ targetId: "t1", amount: 1 }], attachments: [{ url: "https://example.cn/a.jpg" }] }, minRole: "member", ownsId: true },
    { method: "GET", path: `${p}/evaluations`, minRole: "member", ownsId: true },
    { method: "POST", path: `${p}/evaluations`, body: { kind: "leader", score: 90, comment: "好" }, minRole: "member", ownsId: true },
    { method: "POST", path: `${p}/close`, body: { outcome: "fulfilled", note: "完成" }, minRole: "secretary", ownsId: true },
    { method: "GET", path: "/v1/reports/pledges", minRole: "secretary" },
  ];
});

describe("every pledge route", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /钱小明|协调解决|草稿|待审核|第一支部/ }));

  it("answers 400 to malformed ids and unknown query fields", async () => {
    expectProblem(await api.get("/v1/pledges/not-an-id", b.admin), 400, "validation.failed");
    expectProblem(await api.get("/v1/pledges/plg_' OR 1=1 --", b.admin), 400, "validation.failed");
    expectProblem(await api.post(`/v1/pledges/${b.member.id}/submit`, {}, b.member.accessToken), 400, "validation.failed");
    expectProblem(await api.get("/v1/pledges?unknown=1", b.admin), 400, "validation.failed");
    expectProblem(await api.get("/v1/pledges?year=20266", b.admin), 400, "validation.failed");
    expectProblem(await api.get("/v1/pledges?branchId=%00", b.admin), 400, "validation.failed");
    expectProblem(await api.get("/v1/reports/pledges?year=abc", b.admin), 400, "validation.failed");
  });

  it("another tenant's admin sees none of this tenant's pledges in lists or reports", async () => {
    const list = await api.get("/v1/pledges?limit=200", foreignAdmin);
    expect(list.body.data).toEqual([]);
    const report = await api.get("/v1/reports/pledges", foreignAdmin);
    expect(report.body.data).toEqual([]);
    expect(JSON.stringify(report.body)).not.toMatch(/第一支部/);
  });

  it("documents every route in /openapi.json, the public board without security", async () => {
    const doc = await api.get("/openapi.json");
    expect(doc.status).toBe(200);
    const paths = doc.body.paths;
    for (const path of ["/v1/pledges", "/v1/pledges/settings", "/v1/pledges/{id}", "/v1/pledges/{id}/approve", "/v1/pledges/{id}/updates", "/v1/pledges/{id}/evaluations", "/v1/pledges/{id}/close", "/v1/reports/pledges", "/v1/public/{tenantSlug}/pledges", "/v1/public/{tenantSlug}/pledges/{id}/ratings"]) {
      expect(Object.keys(paths)).toContain(path);
    }
    expect(paths["/v1/public/{tenantSlug}/pledges"].get.security).toEqual([]);
    expect(paths["/v1/pledges"].post.requestBody.content["application/json"].schema.properties.targets).toBeDefined();
  });

  it("the public board needs no token and writes nothing for a foreign id", async () => {
    const before = await api.auditCount(b.admin);
    expectProblem(await api.get(`/v1/public/${b.slug}/pledges/${approved}`), 404);
    expectProblem(await api.post(`/v1/public/${b.slug}/pledges/${approved}/ratings`, { stars: 5 }), 404);
    expect(await api.auditCount(b.admin)).toBe(before);
  });
});
