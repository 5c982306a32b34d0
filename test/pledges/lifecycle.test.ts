import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { approvedPledge, bureau, lastYear, nextYear, pledgeBody, put } from "./fixture.js";

const api = apiForSuite();

describe("the pledge lifecycle", () => {
  it("draft → edit → submit → approve → progress → evaluations → close, with an audit row for each step", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const auditBefore = await api.auditCount(b.admin);

    const created = await api.post("/v1/pledges", pledgeBody({ projectId: "prj_01JABCDEFGHJKMNPQRSTVWXYZ0" }), m);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: "pledge", year: nextYear, status: "draft", version: 1, memberId: b.member.id, memberName: "钱小明", branchId: b.branch.id, branchName: "第一支部", projectId: "prj_01JABCDEFGHJKMNPQRSTVWXYZ0", published: false, overdue: false });
    expect(created.body.targets.map((t: { id: string }) => t.id)).toEqual(["t1", "t2"]);
    const id = created.body.id as string;
    expect(id).toMatch(/^plg_/);

    // A draft changes in place.
    const edited = await api.patch(`/v1/pledges/${id}`, { title: "协调解决地铁3号线现场问题不少于10个" }, m);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 1, status: "draft", title: "协调解决地铁3号线现场问题不少于10个" });

    const submitted = await api.post(`/v1/pledges/${id}/submit`, {}, m);
    expect(submitted.body.status).toBe("submitted");
    const waiting = await api.get("/v1/pledges?awaitingReview=true", b.secretary.accessToken);
    expect(waiting.body.data.map((p: { id: string }) => p.id)).toEqual([id]);

    const approved = await api.post(`/v1/pledges/${id}/approve`, { note: "目标明确，同意" }, b.secretary.accessToken);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", version: 1, reviewNote: "目标明确，同意", pendingRevision: null });
    expect(approved.body.approvedAt).toBeTruthy();
    expect((await api.get("/v1/pledges?awaitingReview=true", b.secretary.accessToken)).body.data).toEqual([]);

    // 践诺: amounts add up; a done target takes the latest mark.
    const first = await api.post(`/v1/pledges/${id}/updates`, { note: "协调解决围挡占道问题3个", progress: [{ targetId: "t1", amount: 3 }], attachments: [{ url: "https://example.cn/photo/1.jpg", name: "现场照片" }] }, m);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ percent: 15, attachments: [{ url: "https://example.cn/photo/1.jpg", name: "现场照片" }] });
    const second = await api.post(`/v1/pledges/${id}/updates`, { note: "讲授专题党课一次，又协调问题2个", progress: [{ targetId: "t1", amount: 2 }, { targetId: "t2", done: true }] }, m);
    expect(second.body.percent).toBe(75);

    const detail = await api.get(`/v1/pledges/${id}`, b.outsider.accessToken);
    expect(detail.status).toBe(200);
    expect(detail.body.progress).toMatchObject({ percent: 75, updateCount: 2 });
    expect(detail.body.progress.targets).toEqual([
      { id: "t1", achieved: 5, done: false, percent: 50 },
      { id: "t2", achieved: 1, done: true, percent: 100 },
    ]);
    expect(detail.body.progress.trend.map((p: { percent: number }) => p.percent)).toEqual([15, 75]);
    const updates = await api.get(`/v1/pledges/${id}/updates`, b.peer.accessToken);
    expect(updates.body.data.map((u: { percent: number; note: string }) => [u.percent, u.note])).toEqual([
      [15, "协调解决围挡占道问题3个"],
      [75, "讲授专题党课一次，又协调问题2个"],
    ]);

    // 评诺 with the default weights (self 20, leader 40, peer 30, public 10).
    expect((await api.post(`/v1/pledges/${id}/evaluations`, { kind: "self", score: 90, comment: "基本完成" }, m)).status).toBe(201);
    expect((await api.post(`/v1/pledges/${id}/evaluations`, { kind: "leader", score: 80 }, b.secretary.accessToken)).status).toBe(201);
    expect((await api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 70 }, b.peer.accessToken)).status).toBe(201);
    expect((await api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 90 }, b.peer2.accessToken)).status).toBe(201);
    const evaluated = await api.get(`/v1/pledges/${id}`, m);
    expect(evaluated.body.evaluations).toMatchObject({ self: 90, leader: 80, peer: { count: 2, average: 80 }, public: { count: 0, average: null }, provisionalScore: 82.2 });

    const closed = await api.post(`/v1/pledges/${id}/close`, { outcome: "partly_fulfilled", note: "党课已讲，现场问题完成一半" }, b.secretary.accessToken);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: "closed", outcome: "partly_fulfilled", score: 82.2, closingNote: "党课已讲，现场问题完成一半", overdue: false });
    expect(closed.body.scoreDetail).toMatchObject({ weights: { self: 20, leader: 40, peer: 30, public: 10 }, self: 90, leader: 80 });

    // Closed is closed.
    expectProblem(await api.post(`/v1/pledges/${id}/updates`, { note: "补充" }, m), 409, "pledge.closed");
    expectProblem(await api.patch(`/v1/pledges/${id}`, { title: "改" }, m), 409, "pledge.closed");
    expectProblem(await api.post(`/v1/pledges/${id}/close`, { outcome: "fulfilled" }, b.secretary.accessToken), 409, "pledge.closed");
    expectProblem(await api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 60 }, b.outsider.accessToken), 409, "pledge.closed");

    // create, edit, submit, approve, 2 updates, 4 evaluations, close.
    expect((await api.auditCount(b.admin)) - auditBefore).toBe(11);
    const trail = await api.get(`/v1/audit?entityType=pledge&entityId=${id}`, b.admin);
    expect(trail.body.data.map((a: { action: string }) => a.action)).toContain("pledge.approved");
  });

  it("a returned version is kept; the member's fix becomes version 2", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const id = (await api.post("/v1/pledges", pledgeBody(), m)).body.id;
    await api.post(`/v1/pledges/${id}/submit`, {}, m);
    expectProblem(await api.post(`/v1/pledges/${id}/return`, {}, b.secretary.accessToken), 400, "validation.failed");
    const returned = await api.post(`/v1/pledges/${id}/return`, { reason: "目标数量偏少，请调整为不少于15个" }, b.secretary.accessToken);
    expect(returned.body).toMatchObject({ status: "returned", version: 1, reviewNote: "目标数量偏少，请调整为不少于15个" });
    expectProblem(await api.post(`/v1/pledges/${id}/submit`, {}, m), 409, "pledge.invalid_transition");

    const fixed = await api.patch(`/v1/pledges/${id}`, { targets: [{ title: "协调解决现场问题", type: "quantity", amount: 15, unit: "个" }] }, m);
    expect(fixed.body).toMatchObject({ status: "draft", version: 2 });
    expect(fixed.body.title).toBe(pledgeBody().title);
    await api.post(`/v1/pledges/${id}/submit`, {}, m);
    await api.post(`/v1/pledges/${id}/approve`, {}, b.secretary.accessToken);

    const versions = await api.get(`/v1/pledges/${id}/versions`, m);
    expect(versions.body.data.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, "returned"],
      [2, "approved"],
    ]);
    expect(versions.body.data[0].reviewNote).toBe("目标数量偏少，请调整为不少于15个");
    expect(versions.body.data[0].reviewerId).toBe(b.secretary.id);
    // Other members see only what was in force.
    const seen = await api.get(`/v1/pledges/${id}/versions`, b.outsider.accessToken);
    expect(seen.body.data.map((v: { version: number }) => v.version)).toEqual([2]);
  });

  it("an approved pledge is frozen: a change is a new version that must be approved, and the tenant sees the approved one meanwhile", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const id = await approvedPledge(api, b);
    await api.post(`/v1/pledges/${id}/updates`, { note: "协调问题4个", progress: [{ targetId: "t1", amount: 4 }] }, m);

    const revised = await api.patch(`/v1/pledges/${id}`, { title: "协调解决地铁3号线和5号线现场问题", targets: [{ id: "t1", title: "协调解决现场问题", type: "quantity", amount: 8, unit: "个" }] }, m);
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ status: "approved", version: 1, title: pledgeBody().title, pendingRevision: { version: 2, status: "draft" } });
    expect(revised.body.revision).toMatchObject({ version: 2, status: "draft", title: "协调解决地铁3号线和5号线现场问题" });

    // Another member of the tenant sees version 1 and nothing of the revision.
    const seen = await api.get(`/v1/pledges/${id}`, b.outsider.accessToken);
    expect(seen.body).toMatchObject({ version: 1, title: pledgeBody().title, pendingRevision: null, revision: null });
    const listed = (await api.get("/v1/pledges", b.outsider.accessToken)).body.data.find((p: { id: string }) => p.id === id);
    expect(listed).toMatchObject({ version: 1, title: pledgeBody().title, pendingRevision: null });
    // The reviewer sees what is coming.
    expect((await api.get(`/v1/pledges/${id}`, b.secretary.accessToken)).body.revision.title).toBe("协调解决地铁3号线和5号线现场问题");

    // A second edit of the open revision stays version 2.
    expect((await api.patch(`/v1/pledges/${id}`, { content: "修订后的承诺内容" }, m)).body.pendingRevision).toEqual({ version: 2, status: "draft" });
    await api.post(`/v1/pledges/${id}/submit`, {}, m);
    expectProblem(await api.patch(`/v1/pledges/${id}`, { title: "再改" }, m), 409, "pledge.under_review");
    expect((await api.get(`/v1/pledges/${id}`, b.outsider.accessToken)).body.version).toBe(1);

    const approved = await api.post(`/v1/pledges/${id}/approve`, {}, b.secretary.accessToken);
    expect(approved.body).toMatchObject({ status: "approved", version: 2, title: "协调解决地铁3号线和5号线现场问题", content: "修订后的承诺内容", pendingRevision: null });
    // Progress carries over by target id and is measured against the new amount: 4 of 8.
    expect(approved.body.progress.percent).toBe(50);

    const versions = await api.get(`/v1/pledges/${id}/versions`, b.outsider.accessToken);
    expect(versions.body.data.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, "superseded"],
      [2, "approved"],
    ]);
  });

  it("withdraws a submission or a revision, and deletes only what was never approved", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const draft = (await api.post("/v1/pledges", pledgeBody(), m)).body.id;
    expectProblem(await api.post(`/v1/pledges/${draft}/withdraw`, {}, m), 409, "pledge.invalid_transition");
    await api.post(`/v1/pledges/${draft}/submit`, {}, m);
    const withdrawn = await api.post(`/v1/pledges/${draft}/withdraw`, {}, m);
    expect(withdrawn.body.status).toBe("withdrawn");
    expectProblem(await api.post(`/v1/pledges/${draft}/approve`, {}, b.secretary.accessToken), 409, "pledge.invalid_transition");
    expect((await api.delete(`/v1/pledges/${draft}`, m)).status).toBe(204);
    expectProblem(await api.get(`/v1/pledges/${draft}`, m), 404, "pledge.not_found");

    const id = await approvedPledge(api, b);
    await api.patch(`/v1/pledges/${id}`, { title: "改一改" }, m);
    const dropped = await api.post(`/v1/pledges/${id}/withdraw`, {}, m);
    expect(dropped.body).toMatchObject({ status: "approved", version: 1, pendingRevision: null });
    // The next edit starts again from the version in force.
    const again = await api.patch(`/v1/pledges/${id}`, { content: "新的内容" }, m);
    expect(again.body.revision).toMatchObject({ version: 3, title: pledgeBody().title, content: "新的内容" });
    expectProblem(await api.delete(`/v1/pledges/${id}`, m), 409, "pledge.not_deletable");
    expectProblem(await api.delete(`/v1/pledges/${id}`, b.admin), 403, "auth.forbidden");
  });

  it("refuses to submit a pledge without targets and a due date outside its year", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const bad = await api.post("/v1/pledges", pledgeBody({ dueDate: `${nextYear + 1}-01-10` }), m);
    expect(expectProblem(bad, 400, "validation.failed").errors).toEqual([expect.objectContaining({ path: "dueDate" })]);
    expectProblem(await api.post("/v1/pledges", pledgeBody({ dueDate: `${nextYear}-02-30` }), m), 400, "validation.failed");
    const empty = (await api.post("/v1/pledges", pledgeBody({ targets: [] }), m)).body.id;
    expectProblem(await api.post(`/v1/pledges/${empty}/submit`, {}, m), 409, "pledge.incomplete");
    const dup = await api.post("/v1/pledges", pledgeBody({ targets: [{ id: "a", title: "x", type: "done" }, { id: "a", title: "y", type: "done" }] }), m);
    expect(expectProblem(dup, 400).errors![0]!.path).toBe("targets");
    const quantityWithoutUnit = await api.post("/v1/pledges", pledgeBody({ targets: [{ title: "x", type: "quantity", amount: 3 }] }), m);
    expect(expectProblem(quantityWithoutUnit, 400).errors![0]!.path).toBe("targets.0.unit");
    const badLink = await api.post("/v1/pledges", pledgeBody({ checklistId: "prj_01JABCDEFGHJKMNPQRSTVWXYZ0" }), m);
    expect(expectProblem(badLink, 400).errors![0]!.path).toBe("checklistId");
  });

  it("model posts and responsibility statements work the same way", async () => {
    const b = await bureau(api);
    const post = await approvedPledge(api, b, { kind: "model_post", title: "党员示范岗：窗口服务", category: "service" });
    const statement = await approvedPledge(api, b, { kind: "responsibility_statement", title: "党风廉政建设责任书", category: "integrity", targets: [{ title: "严守政治纪律和政治规矩", type: "clause" }] });
    const posts = await api.get("/v1/pledges?kind=model_post", b.outsider.accessToken);
    expect(posts.body.data.map((p: { id: string }) => p.id)).toEqual([post]);
    expect((await api.get(`/v1/pledges/${statement}`, b.outsider.accessToken)).body).toMatchObject({ kind: "responsibility_statement", status: "approved" });
  });
});

describe("who may see and review", () => {
  it("a draft is the owner's and the reviewers'; approval makes it visible inside the tenant", async () => {
    const b = await bureau(api);
    const id = (await api.post("/v1/pledges", pledgeBody(), b.member.accessToken)).body.id;
    for (const token of [b.outsider.accessToken, b.peer.accessToken]) {
      expectProblem(await api.get(`/v1/pledges/${id}`, token), 404, "pledge.not_found");
      expect((await api.get("/v1/pledges", token)).body.data).toEqual([]);
    }
    expect((await api.get(`/v1/pledges/${id}`, b.secretary.accessToken)).status).toBe(200);
    expect((await api.get(`/v1/pledges/${id}`, b.admin)).status).toBe(200);
    // Not the owner: may not touch it.
    expectProblem(await api.patch(`/v1/pledges/${id}`, { title: "越权" }, b.secretary.accessToken), 403, "auth.forbidden");
    expectProblem(await api.post(`/v1/pledges/${id}/submit`, {}, b.admin), 403, "auth.forbidden");

    await api.post(`/v1/pledges/${id}/submit`, {}, b.member.accessToken);
    expectProblem(await api.post(`/v1/pledges/${id}/approve`, {}, b.member.accessToken), 403, "auth.forbidden");
    expectProblem(await api.post(`/v1/pledges/${id}/approve`, {}, b.peer.accessToken), 403, "auth.forbidden");
    expect((await api.post(`/v1/pledges/${id}/approve`, {}, b.secretary.accessToken)).status).toBe(200);
    for (const token of [b.outsider.accessToken, b.peer.accessToken]) {
      expect((await api.get(`/v1/pledges/${id}`, token)).status).toBe(200);
      expect((await api.get("/v1/pledges", token)).body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    }
  });

  it("a secretary reviews within their subtree only and never their own pledge; an admin reviews anyone's", async () => {
    const b = await bureau(api);
    const otherSecretary = await api.addMember(b.admin, { branchId: b.other.id, name: "吴书记" });
    await api.patch(`/v1/branches/${b.other.id}`, { secretaryId: otherSecretary.id }, b.admin);
    const login = await api.post("/v1/auth/login", { tenant: b.slug, email: otherSecretary.email, password: "Qingdan-2026-secure" });
    const otherSec = login.body.accessToken as string;

    const id = (await api.post("/v1/pledges", pledgeBody(), b.member.accessToken)).body.id;
    await api.post(`/v1/pledges/${id}/submit`, {}, b.member.accessToken);
    // Outside their subtree the submission does not exist for them.
    expectProblem(await api.post(`/v1/pledges/${id}/approve`, {}, otherSec), 404, "pledge.not_found");
    expect((await api.get("/v1/pledges?awaitingReview=true", otherSec)).body.data).toEqual([]);

    const own = (await api.post("/v1/pledges", pledgeBody({ title: "书记本人的承诺" }), b.secretary.accessToken)).body.id;
    await api.post(`/v1/pledges/${own}/submit`, {}, b.secretary.accessToken);
    expectProblem(await api.post(`/v1/pledges/${own}/approve`, {}, b.secretary.accessToken), 403, "pledge.own_pledge");
    expect((await api.get("/v1/pledges?awaitingReview=true", b.secretary.accessToken)).body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await api.post(`/v1/pledges/${own}/approve`, {}, b.admin)).status).toBe(200);
    // An approved pledge outside the subtree is readable but not the other secretary's to close.
    expectProblem(await api.post(`/v1/pledges/${own}/close`, { outcome: "fulfilled" }, otherSec), 403, "auth.forbidden");
  });
});

describe("evaluations", () => {
  it("self by the owner, leader by a reviewer, peers of the same branch; once each; never one's own", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const draft = (await api.post("/v1/pledges", pledgeBody(), m)).body.id;
    expectProblem(await api.post(`/v1/pledges/${draft}/evaluations`, { kind: "self", score: 90 }, m), 409, "pledge.not_approved");

    const id = await approvedPledge(api, b);
    const rate = (token: string, kind: string, score = 80) => api.post(`/v1/pledges/${id}/evaluations`, { kind, score }, token);
    // Self: the owner only, once.
    expectProblem(await rate(b.peer.accessToken, "self"), 403, "auth.forbidden");
    expect((await rate(m, "self")).status).toBe(201);
    expectProblem(await rate(m, "self"), 409, "pledge.already_evaluated");
    // Peer: not of one's own pledge, only in the same branch, once each.
    expectProblem(await rate(m, "peer"), 403, "pledge.own_pledge");
    expectProblem(await rate(b.outsider.accessToken, "peer"), 403, "pledge.not_peer");
    expect((await rate(b.peer.accessToken, "peer", 70)).status).toBe(201);
    expectProblem(await rate(b.peer.accessToken, "peer", 100), 409, "pledge.already_evaluated");
    // Leader: the branch's secretary (or an admin), not a member, once.
    expectProblem(await rate(b.peer.accessToken, "leader"), 403, "auth.forbidden");
    expectProblem(await rate(m, "leader"), 403, "pledge.own_pledge");
    expect((await rate(b.secretary.accessToken, "leader", 85)).status).toBe(201);
    expectProblem(await rate(b.admin, "leader"), 409, "pledge.already_evaluated");
    // The admin is not in the branch: no peer rating either.
    expectProblem(await rate(b.admin, "peer"), 403, "pledge.not_peer");
    expectProblem(await api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 101 }, b.peer2.accessToken), 400, "validation.failed");

    // Peers rate in confidence: the owner sees scores, the reviewer sees who.
    const byOwner = await api.get(`/v1/pledges/${id}/evaluations`, m);
    const peerRow = byOwner.body.data.find((e: { kind: string }) => e.kind === "peer");
    expect(peerRow).toMatchObject({ score: 70, evaluatorId: null });
    const bySecretary = await api.get(`/v1/pledges/${id}/evaluations`, b.secretary.accessToken);
    expect(bySecretary.body.data.find((e: { kind: string }) => e.kind === "peer").evaluatorId).toBe(b.peer.id);
    expect(bySecretary.body.data.map((e: { kind: string }) => e.kind)).toEqual(["self", "peer", "leader"]);
  });

  it("a member seconded to the branch is a peer too", async () => {
    const b = await bureau(api);
    const seconded = await api.addMember(b.admin, { branchId: b.other.id, secondBranchId: b.branch.id, name: "郑党员" });
    const id = await approvedPledge(api, b);
    expect((await api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 88 }, seconded.accessToken)).status).toBe(201);
  });

  it("scores with the bureau's weights, leaving out what nobody gave", async () => {
    const b = await bureau(api);
    expect((await put(api, "/v1/pledges/settings", { weights: { self: 10, leader: 50, peer: 40, public: 0 }, publicBoard: false, publicNames: "full", publicRatings: false }, b.admin)).status).toBe(200);
    const id = await approvedPledge(api, b);
    await api.post(`/v1/pledges/${id}/evaluations`, { kind: "leader", score: 90 }, b.secretary.accessToken);
    await api.post(`/v1/pledges/${id}/evaluations`, { kind: "peer", score: 60 }, b.peer.accessToken);
    // No self-assessment: (50×90 + 40×60) / 90 = 76.7
    const closed = await api.post(`/v1/pledges/${id}/close`, { outcome: "fulfilled" }, b.admin);
    expect(closed.body.score).toBe(76.7);
    // Closing freezes it: later weights do not move it.
    await put(api, "/v1/pledges/settings", { weights: { self: 25, leader: 25, peer: 25, public: 25 }, publicBoard: false, publicNames: "full", publicRatings: false }, b.admin);
    expect((await api.get(`/v1/pledges/${id}`, b.member.accessToken)).body.score).toBe(76.7);
  });
});

describe("overdue", () => {
  it("is past due and not fulfilled: in force, not closed, targets not all met", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const late = await approvedPledge(api, b, { year: lastYear, dueDate: `${lastYear}-06-30` });
    const onTime = await approvedPledge(api, b);
    const draftLate = (await api.post("/v1/pledges", pledgeBody({ year: lastYear, dueDate: `${lastYear}-03-01` }), m)).body.id;

    expect((await api.get(`/v1/pledges/${late}`, m)).body.overdue).toBe(true);
    expect((await api.get(`/v1/pledges/${onTime}`, m)).body.overdue).toBe(false);
    expect((await api.get(`/v1/pledges/${draftLate}`, m)).body.overdue).toBe(false);
    const overdue = await api.get("/v1/pledges?overdue=true", b.secretary.accessToken);
    expect(overdue.body.data.map((p: { id: string }) => p.id)).toEqual([late]);
    expect((await api.get("/v1/pledges?overdue=false&mine=true", m)).body.data.map((p: { id: string }) => p.id).sort()).toEqual([onTime, draftLate].sort());

    // Meeting every target ends it, late or not.
    await api.post(`/v1/pledges/${late}/updates`, { note: "全部完成", progress: [{ targetId: "t1", amount: 10 }, { targetId: "t2", done: true }] }, m);
    expect((await api.get(`/v1/pledges/${late}`, m)).body).toMatchObject({ overdue: false, progress: { percent: 100 } });
  });
});

describe("settings", () => {
  it("defaults until an admin saves; weights must add up to 100", async () => {
    const b = await bureau(api);
    const defaults = await api.get("/v1/pledges/settings", b.admin);
    expect(defaults.body).toEqual({ weights: { self: 20, leader: 40, peer: 30, public: 10 }, publicBoard: false, publicNames: "surname", publicRatings: false, updatedAt: null });
    const bad = await put(api, "/v1/pledges/settings", { weights: { self: 20, leader: 40, peer: 30, public: 20 }, publicBoard: true, publicNames: "full", publicRatings: true }, b.admin);
    expect(expectProblem(bad, 400, "validation.failed").errors).toEqual([expect.objectContaining({ path: "weights" })]);
    const saved = await put(api, "/v1/pledges/settings", { weights: { self: 0, leader: 50, peer: 50, public: 0 }, publicBoard: true, publicNames: "hidden", publicRatings: false }, b.admin);
    expect(saved.body).toMatchObject({ weights: { self: 0, leader: 50, peer: 50, public: 0 }, publicBoard: true, publicNames: "hidden" });
    expect((await api.get("/v1/pledges/settings", b.admin)).body.publicNames).toBe("hidden");
    expectProblem(await api.get("/v1/pledges/settings", b.secretary.accessToken), 403);
  });
});

describe("progress input", () => {
  it("names targets of the version in force and matches their kind", async () => {
    const b = await bureau(api);
    const m = b.member.accessToken;
    const draft = (await api.post("/v1/pledges", pledgeBody(), m)).body.id;
    expectProblem(await api.post(`/v1/pledges/${draft}/updates`, { note: "太早" }, m), 409, "pledge.not_approved");
    const id = await approvedPledge(api, b);
    const report = (progress: unknown[]) => api.post(`/v1/pledges/${id}/updates`, { note: "进展", progress }, m);
    expect(expectProblem(await report([{ targetId: "t9", amount: 1 }]), 400).errors![0]!.path).toBe("progress.0.targetId");
    expect(expectProblem(await report([{ targetId: "t2", amount: 1 }]), 400).errors![0]!.path).toBe("progress.0.done");
    expect(expectProblem(await report([{ targetId: "t1", done: true }]), 400).errors![0]!.path).toBe("progress.0.amount");
    expectProblem(await report([{ targetId: "t1", amount: 1, done: true }]), 400);
    expectProblem(await report([{ targetId: "t1", amount: -1 }]), 400);
    const js = await api.post(`/v1/pledges/${id}/updates`, { note: "x", attachments: [{ url: "javascript:alert(1)" }] }, m);
    expect(expectProblem(js, 400).errors![0]!.path).toMatch(/^attachments\.0\.url/);
    expectProblem(await api.post(`/v1/pledges/${id}/updates`, { note: "别人的承诺" }, b.peer.accessToken), 403, "auth.forbidden");
  });
});
