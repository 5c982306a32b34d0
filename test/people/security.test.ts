import { beforeAll, describe } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { bureauWithChecklist } from "../checklists/fixture.js";

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

const api = apiForSuite();
beforeAll(async () => {
  const b = await bureauWithChecklist(api);
  const draft = (await api.post("/v1/checklists", { title: "草稿清单", kind: "task", year: 2026, branchId: b.committee.id }, b.admin)).body;
  tokens = { admin: b.admin, secretary: b.sec2.accessToken, member: b.m1.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  routes = [
    { method: "POST", path: "/v1/members/import", body: { rows: [{ name: "吴党员", phone: "13700000001", branch: "机关党委/第一支部" }] }, minRole: "admin" },
    { method: "GET", path: `/v1/members/${b.m2.id}/open-work`, minRole: "admin", ownsId: true },
    { method: "POST", path: `/v1/members/${b.m2.id}/handover`, body: { to: b.m3.id }, minRole: "admin", ownsId: true, fields: ["to"] },
    { method: "POST", path: `/v1/checklists/${draft.id}/copy`, body: { year: 2027 }, minRole: "admin", ownsId: true, deniedWith: { member: 404 } },
  ];
});

describe("import, hand-over and copy routes", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /钱党员|孙党员|周党员|草稿清单/ }));
});
