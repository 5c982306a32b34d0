import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { approvedPledge, bureau, pledgeBody } from "../pledges/fixture.js";

// Issue 16 §4 (progress says increment or total) and §6 (责任书: clauses, signed by both, evaluated).

const api = apiForSuite();

describe("progress: increment or running total (issue 16 §4)", () => {
  it("「本次6个」 then 「累计15个」 stands at 15 of 15, not 21; each update keeps what its number was", async () => {
    const b = await bureau(api);
    const id = await approvedPledge(api, b, { targets: [{ title: "协调解决现场问题", type: "quantity", amount: 15, unit: "个" }] });
    const first = await api.post(`/v1/pledges/${id}/updates`, { note: "本月协调6个", progress: [{ targetId: "t1", amount: 6 }] }, b.member.accessToken);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.percent).toBe(40);
    const second = await api.post(`/v1/pledges/${id}/updates`, { note: "累计15个", progress: [{ targetId: "t1", total: 15 }] }, b.member.accessToken);
    expect(second.body).toMatchObject({ percent: 100, progress: [{ targetId: "t1", total: 15 }] });
    const detail = await api.get(`/v1/pledges/${id}`, b.member.accessToken);
    expect(detail.body.progress.targets[0]).toMatchObject({ id: "t1", achieved: 15, percent: 100 });
    const third = await api.post(`/v1/pledges/${id}/updates`, { note: "又协调2个", progress: [{ targetId: "t1", amount: 2 }] }, b.member.accessToken);
    expect(third.body.percent).toBe(100);
    expect((await api.get(`/v1/pledges/${id}`, b.member.accessToken)).body.progress.targets[0].achieved).toBe(17);
    const updates = await api.get(`/v1/pledges/${id}/updates`, b.member.accessToken);
    expect(updates.body.data.map((u: any) => u.progress[0])).toEqual([{ targetId: "t1", amount: 6 }, { targetId: "t1", total: 15 }, { targetId: "t1", amount: 2 }]);
  });

  it("refuses an entry with both amount and total, or neither, with the field path", async () => {
    const b = await bureau(api);
    const id = await approvedPledge(api, b);
    const both = expectProblem(await api.post(`/v1/pledges/${id}/updates`, { note: "x", progress: [{ targetId: "t1", amount: 1, total: 3 }] }, b.member.accessToken), 400);
    expect(both.errors![0]!.path).toBe("progress.0");
    const none = expectProblem(await api.post(`/v1/pledges/${id}/updates`, { note: "x", progress: [{ targetId: "t1" }] }, b.member.accessToken), 400);
    expect(none.errors![0]!.path).toBe("progress.0");
  });

  it("/openapi.json says what amount and total mean", async () => {
    const doc = (await api.get("/openapi.json")).body;
    expect(doc.paths["/v1/pledges/{id}/updates"].post.description).toMatch(/`total` is the new running total/);
  });
});

describe("responsibility statements (issue 16 §6)", () => {
  const statement = (targets: unknown[]) => pledgeBody({ kind: "responsibility_statement", title: "2026年党风廉政建设责任书", category: "integrity", targets });

  it("has clauses, not amounts; is signed by the member (submit) and the leader (approve); is kept and evaluated like a pledge", async () => {
    const b = await bureau(api);
    const clauses = [{ title: "严守政治纪律和政治规矩", type: "clause" }, { title: "落实中央八项规定精神", type: "clause" }];
    const created = await api.post("/v1/pledges", statement(clauses), b.member.accessToken);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.signatures).toEqual({ member: null, leader: null });
    const id = created.body.id;

    const submitted = await api.post(`/v1/pledges/${id}/submit`, {}, b.member.accessToken);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.signatures).toMatchObject({ member: { memberId: b.member.id }, leader: null });
    const approved = await api.post(`/v1/pledges/${id}/approve`, {}, b.secretary.accessToken);
    expect(approved.body.signatures).toMatchObject({ member: { memberId: b.member.id }, leader: { memberId: b.secretary.id } });
    expect(approved.body.signatures.leader.signedAt >= approved.body.signatures.member.signedAt).toBe(true);

    const kept = await api.post(`/v1/pledges/${id}/updates`, { note: "半年自查", progress: [{ targetId: "t1", done: true }] }, b.member.accessToken);
    expect(kept.body.percent).toBe(50);
    const self = await api.post(`/v1/pledges/${id}/evaluations`, { kind: "self", score: 90 }, b.member.accessToken);
    expect(self.status, JSON.stringify(self.body)).toBe(201);
    expect((await api.get(`/v1/pledges?kind=responsibility_statement`, b.outsider.accessToken)).body.data[0]).toMatchObject({ id, signatures: { leader: { memberId: b.secretary.id } } });
  });

  it("submitting a statement without clauses says clauses are missing; amounts are refused; clauses are refused on pledges", async () => {
    const b = await bureau(api);
    const empty = await api.post("/v1/pledges", statement([]), b.member.accessToken);
    expectProblem(await api.post(`/v1/pledges/${empty.body.id}/submit`, {}, b.member.accessToken), 409, "pledge.no_clauses");
    const amounts = expectProblem(await api.post("/v1/pledges", statement([{ title: "查处案件", type: "quantity", amount: 3, unit: "件" }]), b.member.accessToken), 400);
    expect(amounts.errors![0]!.path).toBe("targets.0.type");
    const clauseOnPledge = expectProblem(await api.post("/v1/pledges", pledgeBody({ targets: [{ title: "条款", type: "clause" }] }), b.member.accessToken), 400);
    expect(clauseOnPledge.errors![0]!.path).toBe("targets.0.type");
    // A plain pledge still reads as before.
    expect((await api.post("/v1/pledges", pledgeBody(), b.member.accessToken)).body.signatures).toBeNull();
  });
});
