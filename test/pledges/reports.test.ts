import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD } from "../support/api.js";
import { approvedPledge, bureau, lastYear, nextYear, openBoard, pledgeBody } from "./fixture.js";

const api = apiForSuite();

describe("the pledge report", () => {
  it("counts per branch and year, averages the scores, and answers CSV with a BOM", async () => {
    const b = await bureau(api);
    await openBoard(api, b);
    // 第一支部, next year: one fulfilled (scored), one approved and open, one draft.
    const done = await approvedPledge(api, b, { publicDisplay: true });
    await api.post(`/v1/pledges/${done}/evaluations`, { kind: "self", score: 90 }, b.member.accessToken);
    await api.post(`/v1/pledges/${done}/evaluations`, { kind: "leader", score: 80 }, b.secretary.accessToken);
    await api.post(`/v1/pledges/${done}/evaluations`, { kind: "peer", score: 70 }, b.peer.accessToken);
    await api.post(`/v1/public/${b.slug}/pledges/${done}/ratings`, { stars: 4 }, undefined, { "x-forwarded-for": "192.0.2.10" });
    await api.post(`/v1/pledges/${done}/close`, { outcome: "fulfilled" }, b.secretary.accessToken);
    await approvedPledge(api, b, {}, b.peer.accessToken);
    await api.post("/v1/pledges", pledgeBody(), b.peer2.accessToken);
    // 第一支部, last year: overdue.
    await approvedPledge(api, b, { year: lastYear, dueDate: `${lastYear}-09-30` });
    // 第二支部: one unfulfilled, closed by the admin.
    const outsider = (await api.post("/v1/pledges", pledgeBody(), b.outsider.accessToken)).body.id;
    await api.post(`/v1/pledges/${outsider}/submit`, {}, b.outsider.accessToken);
    await api.post(`/v1/pledges/${outsider}/approve`, {}, b.admin);
    await api.post(`/v1/pledges/${outsider}/close`, { outcome: "unfulfilled" }, b.admin);

    const report = await api.get("/v1/reports/pledges", b.admin);
    expect(report.status).toBe(200);
    const rows = report.body.data.map((r: { branchName: string; year: number }) => [r.branchName, r.year]);
    expect(rows).toEqual([
      ["第一支部", lastYear],
      ["第一支部", nextYear],
      ["第二支部", nextYear],
    ]);
    const [late, first, second] = report.body.data;
    expect(late).toMatchObject({ members: 4, pledged: 1, approved: 1, fulfilled: 0, overdue: 1, averageScore: null });
    // (20×90 + 40×80 + 30×70 + 10×80) / 100 = 79
    expect(first).toMatchObject({ branchId: b.branch.id, pledged: 3, approved: 2, fulfilled: 1, partlyFulfilled: 0, unfulfilled: 0, overdue: 0, averageScore: 79, averageSelf: 90, averageLeader: 80, averagePeer: 70, averagePublic: 80 });
    expect(second).toMatchObject({ members: 1, pledged: 1, approved: 1, unfulfilled: 1, averageScore: null });
    expect(report.body.totals).toMatchObject({ members: 5, pledged: 5, approved: 4, fulfilled: 1, unfulfilled: 1, overdue: 1, averageScore: 79 });

    // A year's report lists a branch with members and no pledge as zeros.
    const last = await api.get(`/v1/reports/pledges?year=${lastYear}`, b.admin);
    expect(last.body.data.map((r: { branchName: string; pledged: number }) => [r.branchName, r.pledged])).toEqual([
      ["第一支部", 1],
      ["第二支部", 0],
    ]);
    expect((await api.get(`/v1/reports/pledges?branchId=${b.other.id}`, b.admin)).body.data.map((r: { branchName: string }) => r.branchName)).toEqual(["第二支部"]);

    // A secretary sees their own subtree.
    const mine = await api.get("/v1/reports/pledges", b.secretary.accessToken);
    expect(mine.body.data.map((r: { branchName: string }) => r.branchName)).toEqual(["第一支部", "第一支部"]);
    expectProblem(await api.get("/v1/reports/pledges", b.member.accessToken), 403, "auth.forbidden");

    const csv = await api.target.fetch(`/v1/reports/pledges?year=${nextYear}`, { headers: { authorization: `Bearer ${b.admin}`, accept: "text/csv" } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // The byte-order mark Excel and WPS need to read the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(lines[0]).toBe("组织,年度,党员数,承诺数,已审核,已践诺,部分践诺,未践诺,已逾期,平均综合得分,平均自评,平均组织评价,平均互评,平均群众评价");
    expect(lines[1]).toBe(`第一支部,${nextYear},4,3,2,1,0,0,0,79,90,80,70,80`);
    expect(lines.at(-1)).toMatch(/^合计,/);
    const english = await api.get(`/v1/reports/pledges?year=${nextYear}`, b.admin, { accept: "text/csv", "accept-language": "en" });
    expect((english.body as string).replace(/^\uFEFF/, "").split("\r\n")[0]).toMatch(/^Branch,Year,Members,Pledged/);
  });

  it("a secretary leading nothing sees nothing", async () => {
    const b = await bureau(api);
    await approvedPledge(api, b);
    // Made secretary of a new, empty branch: the report is empty, not the bureau's.
    const empty = await api.createBranch(b.admin, { name: "第三支部", parentId: b.committee.id, secretaryId: b.outsider.id });
    expect(empty.id).toBeTruthy();
    const login = await api.post("/v1/auth/login", { tenant: b.slug, email: b.outsider.email, password: STRONG_PASSWORD });
    expect((await api.get("/v1/reports/pledges", login.body.accessToken)).body.data).toEqual([]);
  });
});
