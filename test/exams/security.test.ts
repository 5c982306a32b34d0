import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem, STRONG_PASSWORD } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { apiForSuite } from "../support/suite.js";
import { type ExamBureau, examBureau, paperBody, publishedPaper } from "./fixture.js";

const api = apiForSuite();
let b: ExamBureau;
let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

beforeAll(async () => {
  b = await examBureau(api);
  tokens = { admin: b.admin, secretary: b.secretary.accessToken, member: b.member.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  const paperId = await publishedPaper(api, b);
  const draft = (await api.post("/v1/exams/papers", paperBody(b.questionIds), b.admin)).body.id;
  const attempt = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.member.accessToken)).body.id;
  const q = b.questionIds[0];
  routes = [
    { method: "GET", path: "/v1/exams/questions", minRole: "admin" },
    { method: "POST", path: "/v1/exams/questions", body: { type: "judge", stem: "党员可以不参加组织生活。", answer: ["F"], tags: ["条例"] }, minRole: "admin" },
    { method: "POST", path: "/v1/exams/questions/import", body: { rows: [{ type: "判断", stem: "党员须遵守党的纪律。", answer: "对" }], dryRun: true }, minRole: "admin" },
    { method: "GET", path: `/v1/exams/questions/${q}`, minRole: "admin", ownsId: true },
    { method: "PATCH", path: `/v1/exams/questions/${q}`, body: { explanation: "新的解析", difficulty: 4 }, minRole: "admin", ownsId: true },
    { method: "DELETE", path: `/v1/exams/questions/${b.questionIds[4]}`, minRole: "admin", ownsId: true },
    { method: "GET", path: "/v1/exams/papers", minRole: "member" },
    { method: "POST", path: "/v1/exams/papers", body: paperBody(b.questionIds), minRole: "admin", fields: ["title", "mode", "questionIds", "pointsPerType", "passMark", "timeLimitMinutes", "opensAt", "closesAt"] },
    { method: "GET", path: `/v1/exams/papers/${paperId}`, minRole: "member", ownsId: true },
    { method: "PUT", path: `/v1/exams/papers/${draft}`, body: paperBody(b.questionIds, { title: "改过的试卷" }), minRole: "admin", ownsId: true, fields: ["title", "passMark", "closesAt"] },
    { method: "POST", path: `/v1/exams/papers/${draft}/publish`, minRole: "admin", ownsId: true },
    { method: "POST", path: `/v1/exams/papers/${paperId}/archive`, minRole: "admin", ownsId: true },
    { method: "POST", path: `/v1/exams/papers/${paperId}/attempts`, minRole: "member", ownsId: true },
    { method: "GET", path: `/v1/exams/papers/${paperId}/rankings`, minRole: "member", ownsId: true },
    { method: "GET", path: `/v1/exams/papers/${paperId}/statistics`, minRole: "admin", ownsId: true },
    { method: "GET", path: `/v1/exams/attempts/${attempt}`, minRole: "member", ownsId: true },
    { method: "PUT", path: `/v1/exams/attempts/${attempt}/answers/1`, body: { answer: ["A"], rev: 1 }, minRole: "member", ownsId: true, fields: ["answer"] },
    { method: "POST", path: `/v1/exams/attempts/${attempt}/submit`, minRole: "member", ownsId: true },
  ];
});

describe("every exam route", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /最高领导机关|四个意识|党务知识在线竞技|钱小明/ }));

  it("answers 400 to malformed ids, positions and queries", async () => {
    expectProblem(await api.get("/v1/exams/questions/not-an-id", b.admin), 400, "validation.failed");
    expectProblem(await api.get(`/v1/exams/papers/${b.questionIds[0]}`, b.admin), 400, "validation.failed");
    expectProblem(await api.put("/v1/exams/attempts/att_00000000000000000000000000/answers/0", { answer: ["A"], rev: 1 }, b.member.accessToken), 400, "validation.failed");
    expectProblem(await api.put("/v1/exams/attempts/att_00000000000000000000000000/answers/x", { answer: ["A"], rev: 1 }, b.member.accessToken), 400, "validation.failed");
    expectProblem(await api.get("/v1/exams/papers/ppr_00000000000000000000000000/rankings?groupBy=city", b.admin), 400, "validation.failed");
    expectProblem(await api.get("/v1/exams/questions?unknown=1", b.admin), 400, "validation.failed");
  });

  it("another tenant's admin sees none of this bank or these papers in lists", async () => {
    expect((await api.get("/v1/exams/questions?limit=200", foreignAdmin)).body.data).toEqual([]);
    expect((await api.get("/v1/exams/papers?limit=200", foreignAdmin)).body.data).toEqual([]);
  });

  it("a member sees only the published papers of their branch's subtree", async () => {
    const own = await publishedPaper(api, b, { branchId: b.branch.id, title: "第一支部专场" });
    expect((await api.get(`/v1/exams/papers/${own}`, b.member.accessToken)).status).toBe(200);
    expectProblem(await api.get(`/v1/exams/papers/${own}`, b.outsider.accessToken), 404, "exam_paper.not_found");
    expectProblem(await api.post(`/v1/exams/papers/${own}/attempts`, {}, b.outsider.accessToken), 404);
    const titles = (await api.get("/v1/exams/papers?limit=200", b.outsider.accessToken)).body.data.map((p: { title: string }) => p.title);
    expect(titles).not.toContain("第一支部专场");
    expect(titles).not.toContain("改过的试卷");
  });

  it("a member keeps no power they lost: a demoted admin's bank token stops at once, a member moved out of the branch loses its paper", async () => {
    const second = await api.addMember(b.admin, { role: "admin" });
    expect((await api.get("/v1/exams/questions", second.accessToken)).status).toBe(200);
    expect((await api.patch(`/v1/members/${second.id}`, { role: "member" }, b.admin)).status).toBe(200);
    expectProblem(await api.post("/v1/exams/questions", { type: "judge", stem: "题", answer: ["T"] }, second.accessToken), 401, "auth.session_ended");
    const relogin = await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email: second.email, password: STRONG_PASSWORD });
    expectProblem(await api.get("/v1/exams/questions", relogin.body.accessToken), 403, "auth.forbidden");
    expectProblem(await api.get(`/v1/exams/papers/${b.questionIds[0]!.replace("qst", "ppr")}/statistics`, relogin.body.accessToken), 403);

    const mover = await api.addMember(b.admin, { branchId: b.branch.id, name: "调动党员" });
    const own = await publishedPaper(api, b, { branchId: b.branch.id });
    const attempt = (await api.post(`/v1/exams/papers/${own}/attempts`, {}, mover.accessToken)).body;
    expect((await api.patch(`/v1/members/${mover.id}`, { branchId: b.other.id }, b.admin)).status).toBe(200);
    expectProblem(await api.get(`/v1/exams/papers/${own}`, mover.accessToken), 404);
    // Their own attempt stays theirs to finish or read.
    expect((await api.get(`/v1/exams/attempts/${attempt.id}`, mover.accessToken)).status).toBe(200);
  });
});
