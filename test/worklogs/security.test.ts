import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { apiForSuite } from "../support/suite.js";
import { day, fullScore, logBureau } from "./fixture.js";

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

/**
 * Every 电子日志 route. "member" is 李一 (led by 赵书记); "secretary" is 钱书记, who leads another
 * branch. Routes whose least role is written "member" are open to every member for their own log;
 * who may act on someone else's (the leader alone scores, comments, hands tasks) is tested by person
 * in worklogs.test.ts.
 */
const api = apiForSuite();
beforeAll(async () => {
  const b = await logBureau(api);
  tokens = { admin: b.admin, secretary: b.qian.accessToken, member: b.li.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  await api.put("/v1/worklogs/days/2026-06-15", day(), b.li.accessToken);
  await api.put("/v1/worklogs/months/2026-06/summary", { summary: "小结" }, b.li.accessToken);
  const entry = (await api.get(`/v1/worklogs/members/${b.li.id}/months/2026-06`, b.li.accessToken)).body.days[0].id as string;
  const task = (await api.post("/v1/worklogs/assignments", { memberId: b.li.id, title: "交办" }, b.zhao.accessToken)).body.id as string;
  const m = `/v1/worklogs/members/${b.li.id}/months/2026-06`;
  routes = [
    { method: "GET", path: "/v1/worklogs/settings", minRole: "member" },
    { method: "PUT", path: "/v1/worklogs/settings", body: { categories: [{ key: "party", name: "党建" }], weight: 40, remindMissing: true }, minRole: "admin" },
    { method: "PUT", path: "/v1/worklogs/days/2026-06-16", body: day(), minRole: "member" },
    { method: "POST", path: "/v1/worklogs/days/2026-06-15/corrections", body: { ...day(), reason: "更正" }, minRole: "member" },
    { method: "PUT", path: "/v1/worklogs/months/2026-06/summary", body: { summary: "小结" }, minRole: "member" },
    { method: "POST", path: "/v1/worklogs/months/2026-04/close", minRole: "admin" },
    { method: "GET", path: m, minRole: "member", ownsId: true },
    { method: "PUT", path: `${m}/score`, body: fullScore, minRole: "member", ownsId: true },
    { method: "POST", path: `${m}/disputes`, body: { body: "申诉" }, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/worklogs/entries/${entry}/comments`, body: { body: "点评" }, minRole: "member", ownsId: true },
    { method: "GET", path: "/v1/worklogs/team?date=2026-06-15", minRole: "member" },
    { method: "GET", path: "/v1/worklogs/scoring?month=2026-06", minRole: "member" },
    { method: "PUT", path: `/v1/worklogs/leaders/member/${b.li.id}`, body: { leaderId: b.zhao.id }, minRole: "admin", ownsId: true },
    { method: "PUT", path: `/v1/worklogs/leaders/branch/${b.branch.id}`, body: { leaderId: b.zhao.id }, minRole: "admin", ownsId: true },
    { method: "POST", path: "/v1/worklogs/assignments", body: { memberId: b.li.id, title: "交办", detail: "说明", dueDate: "2026-12-31" }, minRole: "member" },
    { method: "GET", path: "/v1/worklogs/assignments", minRole: "member" },
    { method: "GET", path: "/v1/reports/worklogs?period=2026-06", minRole: "member" },
    { method: "POST", path: `/v1/worklogs/assignments/${task}/done`, body: { note: "办结" }, minRole: "member", ownsId: true },
  ];
});

describe("every 电子日志 route", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /李一|赵书记|施工图|主题党日/ }));

  it("another tenant's admin sees nothing of this tenant's log in its own lists", async () => {
    expect((await api.get("/v1/worklogs/team?date=2026-06-15", foreignAdmin)).body.data).toEqual([]);
    expect((await api.get("/v1/worklogs/scoring?month=2026-06", foreignAdmin)).body.data).toEqual([]);
    expect((await api.get("/v1/worklogs/assignments?role=assigner", foreignAdmin)).body.data).toEqual([]);
  });

  it("answers 400 to malformed ids, dates and months in paths and queries", async () => {
    const admin = tokens.admin;
    expectProblem(await api.get("/v1/worklogs/members/mem_x/months/2026-06", admin), 400);
    expectProblem(await api.get("/v1/worklogs/members/mem_00000000000000000000000000/months/2026-13", admin), 400);
    expectProblem(await api.put("/v1/worklogs/days/2026-6-1", day(), admin), 400);
    expectProblem(await api.get("/v1/worklogs/team?date=yesterday", admin), 400);
    expectProblem(await api.get("/v1/worklogs/scoring?month=2026-06&branchId=br_'--", admin), 400);
    expectProblem(await api.put("/v1/worklogs/leaders/project/prj_00000000000000000000000000", { leaderId: null }, admin), 400);
    expectProblem(await api.get("/v1/worklogs/assignments?role=everyone", admin), 400);
  });
});
