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
    { method: "GET", path: "/v1/exams/questions", minRole: "secretary" },
    { method: "POST", path: "/v1/exams/questions", body: { type: "judge", stem: "党员可以不参加组织生活。", answer: ["F"], tags: ["条例"] }, minRole: "admin" },
    { method: "POST", path: "/v1/exams/questions/import", body: { rows: [{ type: "判断", stem: "党员须遵守党的纪律。", answer: "对" }], dryRun: true }, minRole: "admin" },
    { method: "GET", path: `/v1/exams/questions/${q}`, minRole: "secretary", ownsId: true },
    { method: "PATCH", path: `/v1/exams/questions/${q}`, body: { explanation: "新的解析", difficulty: 4 }, minRole: "admin", ownsId: true },
    { method: "DELETE", path: `/v1/exams/questions/${b.questionIds[4]}`, minRole: "admin", ownsId: true },
    { method: "GET", path: "/v1/exams/papers", minRole: "member" },
    { method: "POST", path: "/v1/exams/papers", body: paperBody(b.questionIds, { branchId: b.branch.id }), minRole: "secretary", fields: ["title", "mode", "questionIds", "pointsPerType", "passMark", "timeLimitMinutes", "opensAt", "closesAt"] },
    { method: "GET", path: `/v1/exams/papers/${paperId}`, minRole: "member", ownsId: true },
    { method: "PUT", path: `/v1/exams/papers/${draft}`, body: paperBody(b.questionIds, { title: "改过的试卷" }), minRole: "secretary", ownsId: true, fields: ["title", "passMark", "closesAt"] },
    { method: "POST", path: `/v1/exams/papers/${draft}/publish`, minRole: "secretary", ownsId: true },
    { method: "POST", path: `/v1/exams/papers/${paperId}/archive`, minRole: "secretary", ownsId: true },
    { method: "POST", path: `/v1/exams/papers/${paperId}/attempts`, minRole: "member", ownsId: true },
    { method: "GET", path: `/v1/exams/papers/${paperId}/rankings`, minRole: "member", ownsId: true },
    { method: "GET", path: `/v1/exams/papers/${paperId}/statistics`, minRole: "secretary", ownsId: true },
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

  it("a secretary makes and runs papers for the branches they lead only, counts only their members, and loses that with the branch", async () => {
    const sec = b.secretary.accessToken;
    expect((await api.get("/v1/exams/questions?limit=5", sec)).status).toBe(200);
    const noAudience = expectProblem(await api.post("/v1/exams/papers", paperBody(b.questionIds), sec), 400, "validation.failed");
    expect(noAudience.errors!.map((e) => e.path)).toEqual(["branchId"]);
    const elsewhere = expectProblem(await api.post("/v1/exams/papers", paperBody(b.questionIds, { branchId: b.other.id }), sec), 400, "validation.failed");
    expect(elsewhere.errors!.map((e) => e.path)).toEqual(["branchId"]);
    const made = await api.post("/v1/exams/papers", paperBody(b.questionIds, { branchId: b.branch.id, title: "第一支部月考" }), sec);
    expect(made.status).toBe(201);
    expect((await api.put(`/v1/exams/papers/${made.body.id}`, paperBody(b.questionIds, { branchId: b.branch.id, title: "第一支部月考（改）" }), sec)).status).toBe(200);
    expect((await api.get(`/v1/exams/papers/${made.body.id}`, sec)).body.questions).toHaveLength(5);
    expect((await api.get(`/v1/exams/papers/${made.body.id}`, b.admin)).body.title).toBe("第一支部月考（改）");

    // The bureau's paper: the secretary takes it but does not run it; the admin's draft they do not see.
    const bureauWide = await publishedPaper(api, b, { title: "全局竞赛" });
    expectProblem(await api.post(`/v1/exams/papers/${bureauWide}/archive`, {}, sec), 403, "auth.forbidden");
    const draft = (await api.post("/v1/exams/papers", paperBody(b.questionIds, { title: "局机关草稿" }), b.admin)).body.id;
    expectProblem(await api.post(`/v1/exams/papers/${draft}/publish`, {}, sec), 404, "exam_paper.not_found");
    expect((await api.get("/v1/exams/papers?limit=200", sec)).body.data.map((p: { title: string }) => p.title)).not.toContain("局机关草稿");

    // Statistics: the secretary counts their subtree's attempts, the admin everyone's.
    for (const who of [b.member, b.outsider]) {
      const attempt = (await api.post(`/v1/exams/papers/${bureauWide}/attempts`, {}, who.accessToken)).body;
      expect((await api.post(`/v1/exams/attempts/${attempt.id}/submit`, {}, who.accessToken)).status).toBe(200);
    }
    expect((await api.get(`/v1/exams/papers/${bureauWide}/statistics`, b.admin)).body.submitted).toBe(2);
    expect((await api.get(`/v1/exams/papers/${bureauWide}/statistics`, sec)).body).toMatchObject({ attempts: 1, submitted: 1 });

    // Another secretary takes the branch over: the first keeps their role but no longer runs its papers.
    const unpublished = (await api.post("/v1/exams/papers", paperBody(b.questionIds, { branchId: b.branch.id, title: "支部草稿" }), sec)).body.id;
    expect((await api.patch(`/v1/branches/${b.branch.id}`, { secretaryId: b.peer.id }, b.admin)).status).toBe(200);
    const relogin = (await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email: b.secretary.email, password: STRONG_PASSWORD })).body.accessToken as string;
    for (const token of [sec, relogin].filter((t) => t)) {
      expectProblem(await api.post(`/v1/exams/papers/${unpublished}/publish`, {}, token), 404, "exam_paper.not_found");
      expect((await api.post("/v1/exams/papers", paperBody(b.questionIds, { branchId: b.branch.id }), token)).status).toBeGreaterThanOrEqual(400);
    }
    expect((await api.get(`/v1/exams/papers/${unpublished}`, b.admin)).body.status).toBe("draft");
    expect((await api.patch(`/v1/branches/${b.branch.id}`, { secretaryId: b.secretary.id }, b.admin)).status).toBe(200);
  });
});
