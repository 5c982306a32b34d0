import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { bureau } from "./fixture.js";

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

/**
 * Every route of projects, logs, problems, categories and the timeliness report. The roles are the
 * fixture's people: "member" is a follower of the problem (so they see the project and the problem,
 * and a 403 is about what they may do, not what they may see), "secretary" oversees a partner branch.
 * A problem step's least role is written "admin" because no role as such may take it: only the
 * problem's handler, supervisor or road chief (issues.test.ts covers those by person).
 */
const api = apiForSuite();
beforeAll(async () => {
  const b = await bureau(api);
  const issue = await b.raise();
  const log = await api.post(`/v1/projects/${b.project.id}/logs`, { kind: "site_visit", visitedAt: "2026-06-15T09:30:00+08:00", summary: "现场查看人孔井" }, b.roadChief.accessToken);
  tokens = { admin: b.admin, secretary: b.secretary.accessToken, member: b.follower.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  const p = `/v1/projects/${b.project.id}`;
  const i = `/v1/issues/${issue.id}`;
  routes = [
    { method: "GET", path: "/v1/projects", minRole: "member" },
    { method: "POST", path: "/v1/projects", body: { name: "新项目", kind: "expressway", roadChiefId: b.roadChief.id, branchIds: [b.branch.id], tags: ["重点"], startDate: "2026-01-01", description: "说明" }, minRole: "admin" },
    { method: "GET", path: p, minRole: "member", ownsId: true },
    { method: "PATCH", path: p, body: { name: "改名", status: "completed", tags: ["完工"] }, minRole: "admin", ownsId: true },
    { method: "DELETE", path: p, minRole: "admin", ownsId: true },
    { method: "GET", path: `${p}/logs`, minRole: "member", ownsId: true },
    {
      method: "POST",
      path: `${p}/logs`,
      body: { kind: "inspection", visitedAt: "2026-06-16T09:00:00+08:00", endedAt: "2026-06-16T10:00:00+08:00", participantIds: [], otherParticipants: ["监理"], summary: "检查", attachments: [], location: { address: "人民路" } },
      minRole: "secretary",
      ownsId: true,
    },
    { method: "GET", path: `${p}/logs/${log.body.id}`, minRole: "member", ownsId: true },
    { method: "GET", path: `${p}/issues`, minRole: "member", ownsId: true },
    {
      method: "POST",
      path: `${p}/issues`,
      body: { title: "新问题", description: "描述", category: "utility", responsibleUnits: ["中国电信"], handlerId: b.handler.id, followerIds: [], supervisorId: b.supervisor.id, raisedAt: "2026-06-16T09:00:00+08:00" },
      minRole: "secretary",
      ownsId: true,
    },
    { method: "GET", path: "/v1/issues", minRole: "member" },
    { method: "GET", path: i, minRole: "member", ownsId: true },
    { method: "PATCH", path: i, body: { title: "改", responsibleUnits: ["区住建局"], followerIds: [b.follower.id], note: "调整" }, minRole: "secretary", ownsId: true },
    { method: "POST", path: `${i}/acknowledge`, body: { note: "收到" }, minRole: "admin", ownsId: true },
    { method: "POST", path: `${i}/start`, body: { note: "开始" }, minRole: "admin", ownsId: true },
    { method: "POST", path: `${i}/resolve`, body: { note: "已解决" }, minRole: "admin", ownsId: true },
    { method: "POST", path: `${i}/return`, body: { reason: "不合格" }, minRole: "admin", ownsId: true },
    { method: "POST", path: `${i}/verify`, body: { note: "通过" }, minRole: "admin", ownsId: true },
    { method: "POST", path: `${i}/close`, body: { note: "关闭" }, minRole: "admin", ownsId: true },
    { method: "POST", path: `${i}/transfer`, body: { handlerId: b.handler2.id, reason: "转办" }, minRole: "admin", ownsId: true },
    { method: "GET", path: `${i}/comments`, minRole: "member", ownsId: true },
    { method: "POST", path: `${i}/comments`, body: { body: "请尽快" }, minRole: "member", ownsId: true },
    { method: "GET", path: `${i}/history`, minRole: "member", ownsId: true },
    { method: "GET", path: "/v1/issue-categories", minRole: "member" },
    { method: "PUT", path: "/v1/issue-categories/utility", body: { name: "管线", ackDays: 1, ackUnit: "working_days", resolveDays: 5, resolveUnit: "working_days", active: true }, minRole: "admin" },
    { method: "GET", path: "/v1/reports/projects", minRole: "member" },
  ];
});

describe("every projects / problems route", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /地铁3号线|人孔井|周路长|中国电信/ }));

  it("answers 400 to malformed ids in the path and in queries", async () => {
    const admin = tokens.admin;
    expectProblem(await api.get("/v1/projects/not-an-id", admin), 400);
    expectProblem(await api.get("/v1/issues/iss_' OR 1=1 --", admin), 400);
    expectProblem(await api.get("/v1/projects/prj_00000000000000000000000000/logs/x", admin), 400);
    expectProblem(await api.get("/v1/issues?projectId=%00", admin), 400);
    expectProblem(await api.get("/v1/projects?unknown=1", admin), 400);
    expectProblem(await api.get("/v1/reports/projects?by=everything", admin), 400);
    expectProblem(await api.get("/v1/reports/projects?from=2026-02-30", admin), 400);
    expectProblem(await api.get("/v1/reports/projects?from=2026-05-01&to=2026-04-01", admin), 400);
    expectProblem(await api.call("PUT", "/v1/issue-categories/Bad-Key", { token: admin, body: { name: "x", ackDays: 1, ackUnit: "working_days", resolveDays: 1, resolveUnit: "working_days" } }), 400);
  });

  it("another tenant's ids inside a body are unknown, not borrowed", async () => {
    const foreign = await api.signUp();
    const projects = await api.get("/v1/projects", tokens.admin);
    const id = projects.body.data[0].id as string;
    const before = await api.auditCount(tokens.admin);
    const reply = await api.post(`/v1/projects/${id}/issues`, { title: "x", handlerId: foreign.member.id }, tokens.admin);
    expect(expectProblem(reply, 400).errors![0]!.path).toBe("handlerId");
    expect(await api.auditCount(tokens.admin)).toBe(before);
  });
});
