import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { type Bureau, bureau } from "./fixture.js";

let b: Bureau;
const api = apiForSuite();
beforeAll(async () => {
  b = await bureau(api);
});

type Who = "admin" | "roadChief" | "handler" | "supervisor" | "follower" | "secretary" | "outsider" | "otherSecretary";
const everyone: Who[] = ["admin", "roadChief", "handler", "supervisor", "follower", "secretary", "outsider", "otherSecretary"];
const token = (who: Who) => (who === "admin" ? b.admin : b[who].accessToken);

/** The body each step needs. */
const bodies: Record<string, (b: Bureau) => Record<string, unknown>> = {
  acknowledge: () => ({ note: "收到，今天联系电信" }),
  start: () => ({}),
  resolve: () => ({ note: "电信已派人抬升人孔井" }),
  return: () => ({ reason: "井盖高程仍不符合设计" }),
  verify: () => ({ note: "现场复核通过" }),
  close: () => ({}),
  transfer: (b) => ({ handlerId: b.handler2.id, reason: "属管线迁改专班职责" }),
};

/** Who takes each step, to walk a problem to the status a test needs. */
const actorOf: Record<string, Who> = { acknowledge: "handler", start: "handler", resolve: "handler", return: "supervisor", verify: "supervisor", close: "roadChief" };

async function step(id: string, action: string, who: Who) {
  return api.post(`/v1/issues/${id}/${action}`, bodies[action]!(b), token(who));
}

async function walk(id: string, actions: string[]) {
  for (const action of actions) {
    const reply = await step(id, action, actorOf[action]!);
    if (reply.status !== 200) throw new Error(`${action} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
}

/** For each step: the walk to a status it starts from, and who may take it. Everyone else: 403, or 404 if they cannot see the problem. */
const matrix: { action: string; before: string[]; allowed: Who[]; to: string }[] = [
  { action: "acknowledge", before: [], allowed: ["handler"], to: "acknowledged" },
  { action: "start", before: ["acknowledge"], allowed: ["handler"], to: "in_progress" },
  { action: "resolve", before: ["acknowledge", "start"], allowed: ["handler"], to: "resolved" },
  { action: "return", before: ["acknowledge", "start", "resolve"], allowed: ["supervisor", "roadChief"], to: "returned" },
  { action: "verify", before: ["acknowledge", "start", "resolve"], allowed: ["supervisor", "roadChief"], to: "verified" },
  { action: "close", before: ["acknowledge", "start", "resolve", "verify"], allowed: ["supervisor", "roadChief"], to: "closed" },
  { action: "transfer", before: ["acknowledge"], allowed: ["handler", "supervisor", "roadChief"], to: "transferred" },
];
const cannotSee: Who[] = ["outsider", "otherSecretary"];

describe("problem steps by role", () => {
  for (const { action, before, allowed, to } of matrix) {
    it(`${action}: allowed to ${allowed.join(", ")}; refused to everyone else, changing nothing`, async () => {
      const issue = await b.raise();
      await walk(issue.id, before);
      const status = (await api.get(`/v1/issues/${issue.id}`, b.admin)).body.status;
      const audit = await api.auditCount(b.admin);
      for (const who of everyone.filter((w) => !allowed.includes(w))) {
        const reply = await step(issue.id, action, who);
        if (cannotSee.includes(who)) expectProblem(reply, 404, "issue.not_found");
        else expectProblem(reply, 403, "auth.forbidden");
      }
      expect(await api.auditCount(b.admin)).toBe(audit);
      expect((await api.get(`/v1/issues/${issue.id}`, b.admin)).body.status).toBe(status);
      for (const who of allowed) {
        const fresh = await b.raise();
        await walk(fresh.id, before);
        const reply = await step(fresh.id, action, who);
        expect(reply.status, `${who} ${action}`).toBe(200);
        expect(reply.body.status).toBe(to);
        const last = reply.body.history.at(-1);
        expect(last).toMatchObject({ fromStatus: status, toStatus: to, actorId: who === "admin" ? b.t.member.id : b[who].id });
      }
    });
  }

  it("refuses a step from the wrong status with 409, whoever asks", async () => {
    const issue = await b.raise();
    expectProblem(await step(issue.id, "start", "handler"), 409, "issue.invalid_transition");
    expectProblem(await step(issue.id, "resolve", "handler"), 409, "issue.invalid_transition");
    expectProblem(await step(issue.id, "verify", "supervisor"), 409, "issue.invalid_transition");
    expectProblem(await step(issue.id, "return", "roadChief"), 409, "issue.invalid_transition");
    expectProblem(await step(issue.id, "close", "roadChief"), 409, "issue.invalid_transition");
    await walk(issue.id, ["acknowledge"]);
    expectProblem(await step(issue.id, "acknowledge", "handler"), 409, "issue.invalid_transition");
    await walk(issue.id, ["resolve"]); // straight from acknowledged: a quick fix needs no separate start
    expectProblem(await step(issue.id, "transfer", "roadChief"), 409, "issue.invalid_transition");
    expectProblem(await step(issue.id, "close", "roadChief"), 409, "issue.invalid_transition");
    await walk(issue.id, ["verify", "close"]);
    for (const action of ["acknowledge", "start", "resolve", "return", "verify", "close", "transfer"]) {
      expectProblem(await step(issue.id, action, action === "close" || action === "verify" || action === "return" ? "supervisor" : "handler"), 409, "issue.invalid_transition");
    }
  });

  it("a step's reason is required where the rules say so", async () => {
    const issue = await b.raise();
    await walk(issue.id, ["acknowledge", "start"]);
    expect(expectProblem(await api.post(`/v1/issues/${issue.id}/resolve`, {}, b.handler.accessToken), 400).errors![0]!.path).toBe("note");
    await walk(issue.id, ["resolve"]);
    expect(expectProblem(await api.post(`/v1/issues/${issue.id}/return`, {}, b.supervisor.accessToken), 400).errors![0]!.path).toBe("reason");
    expect(expectProblem(await api.post(`/v1/issues/${issue.id}/return`, { reason: "  " }, b.supervisor.accessToken), 400).errors![0]!.path).toBe("reason");
  });
});

describe("a problem's life, readable afterwards", () => {
  it("returned and resolved again, transferred, verified, closed: each step says who, when and why", async () => {
    const issue = await b.raise({ title: "施工围挡占用公交站台", category: "traffic", responsibleUnits: ["市公交集团", "区交警大队"] });
    expect(issue.status).toBe("open");
    await step(issue.id, "transfer", "handler");
    const transferred = await api.get(`/v1/issues/${issue.id}`, b.handler2.accessToken);
    expect(transferred.body).toMatchObject({ status: "transferred", handlerId: b.handler2.id, handlerName: "郑承办", transferCount: 1, acknowledgedAt: null, myRoles: ["handler"] });
    expect(transferred.body.allowedActions).toEqual(["acknowledge", "transfer", "comment"]);
    // The old handler is no longer part of it.
    expectProblem(await api.get(`/v1/issues/${issue.id}`, b.handler.accessToken), 404, "issue.not_found");
    const h2 = b.handler2.accessToken;
    expect((await api.post(`/v1/issues/${issue.id}/acknowledge`, { note: "已接单" }, h2)).body.status).toBe("acknowledged");
    expect((await api.post(`/v1/issues/${issue.id}/start`, {}, h2)).body.status).toBe("in_progress");
    const resolved = await api.post(`/v1/issues/${issue.id}/resolve`, { note: "站台临时迁移 30 米" }, h2);
    expect(resolved.body).toMatchObject({ status: "resolved", resolution: "站台临时迁移 30 米" });
    expect(resolved.body.resolvedAt).toBeTruthy();
    const returned = await api.post(`/v1/issues/${issue.id}/return`, { reason: "迁移后无障碍通道未接通" }, b.roadChief.accessToken);
    expect(returned.body).toMatchObject({ status: "returned", resolvedAt: null, returnCount: 1 });
    await api.post(`/v1/issues/${issue.id}/start`, {}, h2);
    await api.post(`/v1/issues/${issue.id}/resolve`, { note: "无障碍通道已接通" }, h2);
    await api.post(`/v1/issues/${issue.id}/verify`, { note: "现场复核" }, b.supervisor.accessToken);
    const closed = await api.post(`/v1/issues/${issue.id}/close`, {}, b.roadChief.accessToken);
    expect(closed.body).toMatchObject({ status: "closed", isAckOverdue: false, isResolveOverdue: false });
    expect(closed.body.closedAt).toBeTruthy();
    expect(closed.body.verifiedAt).toBeTruthy();

    const page = await api.get(`/v1/issues/${issue.id}`, b.follower.accessToken);
    expect(page.body.history.map((e: { action: string; actorName: string; note: string | null }) => [e.action, e.actorName, e.note])).toEqual([
      ["raised", "周路长", null],
      ["transferred", "吴承办", "属管线迁改专班职责"],
      ["acknowledged", "郑承办", "已接单"],
      ["started", "郑承办", null],
      ["resolved", "郑承办", "站台临时迁移 30 米"],
      ["returned", "周路长", "迁移后无障碍通道未接通"],
      ["started", "郑承办", null],
      ["resolved", "郑承办", "无障碍通道已接通"],
      ["verified", "王督办", "现场复核"],
      ["closed", "周路长", null],
    ]);
    expect(page.body.history[1].data).toMatchObject({ fromHandlerId: b.handler.id, toHandlerId: b.handler2.id });
    expect(page.body.history.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const e of page.body.history) expect(Date.parse(e.at)).not.toBeNaN();
    expect(page.body).toMatchObject({ myRoles: ["follower"], allowedActions: ["comment"], responsibleUnits: ["区交警大队", "市公交集团"], categoryName: "交通组织" });
    const audit = await api.get(`/v1/audit?entityId=${issue.id}&limit=200`, b.admin);
    expect(audit.body.data).toHaveLength(10);
  });

  it("refuses a transfer to the same handler, to the supervisor, or to nobody", async () => {
    const issue = await b.raise();
    const transfer = (handlerId: string) => api.post(`/v1/issues/${issue.id}/transfer`, { handlerId, reason: "x" }, b.roadChief.accessToken);
    expect(expectProblem(await transfer(b.handler.id), 400).errors![0]!.path).toBe("handlerId");
    expect(expectProblem(await transfer(b.supervisor.id), 400).errors![0]!.path).toBe("handlerId");
    expect(expectProblem(await transfer("mem_00000000000000000000000000"), 400).errors![0]!.path).toBe("handlerId");
  });

  it("anyone who can see a problem comments; a comment is not a step; others get 404", async () => {
    const issue = await b.raise();
    for (const who of ["follower", "admin", "secretary", "handler"] as Who[]) {
      const reply = await api.post(`/v1/issues/${issue.id}/comments`, { body: `${who}：请尽快处理` }, token(who));
      expect(reply.status).toBe(201);
    }
    expectProblem(await api.post(`/v1/issues/${issue.id}/comments`, { body: "路过" }, b.outsider.accessToken), 404, "issue.not_found");
    expectProblem(await api.get(`/v1/issues/${issue.id}/comments`, b.outsider.accessToken), 404, "issue.not_found");
    const list = await api.get(`/v1/issues/${issue.id}/comments`, b.supervisor.accessToken);
    expect(list.body.data).toHaveLength(4);
    expect(list.body.data.map((c: { authorName: string }) => c.authorName).sort()).toEqual(["冯跟办", "吴承办", "王局长", "赵书记"].sort());
    const page = await api.get(`/v1/issues/${issue.id}`, b.follower.accessToken);
    expect(page.body).toMatchObject({ status: "open", commentCount: 4 });
    expect(page.body.history).toHaveLength(1);
    const firstPage = await api.get(`/v1/issues/${issue.id}/comments?limit=3`, b.supervisor.accessToken);
    const rest = await api.get(`/v1/issues/${issue.id}/comments?limit=3&cursor=${firstPage.body.nextCursor}`, b.supervisor.accessToken);
    expect(firstPage.body.data.length + rest.body.data.length).toBe(4);
  });

  it("edits: the road chief, supervisor, admin or overseeing secretary change followers, units, supervisor; recorded as history", async () => {
    const issue = await b.raise();
    const edited = await api.patch(`/v1/issues/${issue.id}`, { followerIds: [b.follower.id, b.handler2.id], responsibleUnits: ["区住建局"], note: "增加跟办人" }, b.supervisor.accessToken);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ responsibleUnits: ["区住建局"], followers: expect.arrayContaining([{ id: b.handler2.id, name: "郑承办" }]) });
    expect(edited.body.history.at(-1)).toMatchObject({ action: "updated", note: "增加跟办人", data: { responsibleUnits: { from: ["中国电信"], to: ["区住建局"] } } });
    expect((await api.get(`/v1/issues/${issue.id}`, b.handler2.accessToken)).body.myRoles).toEqual(["follower"]);
    expect((await api.patch(`/v1/issues/${issue.id}`, { title: "人孔井抬升（改）" }, b.secretary.accessToken)).status).toBe(200);
    expect((await api.patch(`/v1/issues/${issue.id}`, { supervisorId: null }, b.admin)).body.supervisorId).toBeNull();
    // The supervisor has been removed: no longer part of it.
    expectProblem(await api.patch(`/v1/issues/${issue.id}`, { title: "x" }, b.supervisor.accessToken), 404);
    expectProblem(await api.patch(`/v1/issues/${issue.id}`, { title: "x" }, b.handler.accessToken), 403, "auth.forbidden");
    expectProblem(await api.patch(`/v1/issues/${issue.id}`, { title: "x" }, b.follower.accessToken), 403, "auth.forbidden");
    expect(expectProblem(await api.patch(`/v1/issues/${issue.id}`, { supervisorId: b.handler.id }, b.roadChief.accessToken), 400).errors![0]!.path).toBe("supervisorId");
    expect(expectProblem(await api.patch(`/v1/issues/${issue.id}`, { category: "nonsense" }, b.roadChief.accessToken), 400).errors![0]!.path).toBe("category");
  });
});

describe("raising a problem", () => {
  it("who raises: admin, road chief, overseeing secretary; everyone else is refused", async () => {
    for (const who of ["admin", "roadChief", "secretary"] as Who[]) expect((await b.raise({}, token(who))).status).toBe("open");
    for (const who of ["handler", "follower", "supervisor"] as Who[]) {
      expectProblem(await api.post(`/v1/projects/${b.project.id}/issues`, { title: "x", handlerId: b.handler.id }, token(who)), 403, "auth.forbidden");
    }
    for (const who of cannotSee) expectProblem(await api.post(`/v1/projects/${b.project.id}/issues`, { title: "x", handlerId: b.handler.id }, token(who)), 404, "project.not_found");
  });

  it("refuses bad people, categories and times with field paths", async () => {
    const raise = (body: Record<string, unknown>) => api.post(`/v1/projects/${b.project.id}/issues`, { title: "x", handlerId: b.handler.id, ...body }, b.roadChief.accessToken);
    const path = async (body: Record<string, unknown>) => expectProblem(await raise(body), 400).errors![0]!.path;
    expect(await path({ handlerId: "mem_00000000000000000000000000" })).toBe("handlerId");
    expect(await path({ supervisorId: b.handler.id })).toBe("supervisorId");
    expect(await path({ followerIds: [b.follower.id, "mem_00000000000000000000000000"] })).toBe("followerIds.1");
    expect(await path({ category: "no_such_category" })).toBe("category");
    expect(await path({ category: "Bad Key" })).toBe("category");
    expect(await path({ raisedAt: "2099-01-01T00:00:00+08:00" })).toBe("raisedAt");
    expect(await path({ responsibleUnits: ["a".repeat(101)] })).toBe("responsibleUnits.0");
    const disabled = await api.addMember(b.admin, { name: "停用者" });
    await api.patch(`/v1/members/${disabled.id}`, { status: "disabled" }, b.admin);
    expect(await path({ handlerId: disabled.id })).toBe("handlerId");
  });
});

describe("clocks", () => {
  it("run in working days across the 2026 National Day holiday (10-10 is a make-up Saturday)", async () => {
    expect((await api.call("PUT", "/v1/issue-categories/three_day", { body: { name: "三日办结", ackDays: 1, ackUnit: "working_days", resolveDays: 3, resolveUnit: "working_days" }, token: b.admin })).status).toBe(200);
    const issue = await b.raise({ category: "three_day", raisedAt: "2026-09-30T10:00:00+08:00" });
    expect(issue.ackDueAt).toBe(new Date("2026-10-08T10:00:00+08:00").toISOString());
    expect(issue.resolveDueAt).toBe(new Date("2026-10-10T10:00:00+08:00").toISOString());
    // Raised on a holiday: the clock starts with the next working day and runs whole working days.
    const onHoliday = await b.raise({ category: "three_day", raisedAt: "2026-10-03T15:00:00+08:00" });
    expect(onHoliday.ackDueAt).toBe(new Date("2026-10-09T00:00:00+08:00").toISOString());
    // 10-08, 10-09 and the make-up Saturday 10-10: due at the end of 10-10.
    expect(onHoliday.resolveDueAt).toBe(new Date("2026-10-11T00:00:00+08:00").toISOString());
  });

  it("run in calendar days where the category says so, holidays or not", async () => {
    const issue = await b.raise({ category: "safety", raisedAt: "2026-09-30T10:00:00+08:00" });
    expect(issue.ackDueAt).toBe(new Date("2026-10-01T10:00:00+08:00").toISOString());
    expect(issue.resolveDueAt).toBe(new Date("2026-10-03T10:00:00+08:00").toISOString());
    const page = await api.get(`/v1/issues/${issue.id}`, b.roadChief.accessToken);
    expect(page.body.clock).toEqual({ ackDays: 1, ackUnit: "calendar_days", resolveDays: 3, resolveUnit: "calendar_days" });
  });

  it("count weekends only in a year without official holiday data, and say the clock is provisional", async () => {
    // 2003 predates the data: raised Friday 10:00, one working day to acknowledge → Monday 10:00.
    const old = await b.raise({ category: "other", raisedAt: "2003-06-06T10:00:00+08:00" });
    expect(old).toMatchObject({ calendarProvisional: true, ackDueAt: new Date("2003-06-09T10:00:00+08:00").toISOString() });
    const known = await b.raise({ category: "other", raisedAt: "2026-06-05T10:00:00+08:00" });
    expect(known.calendarProvisional).toBe(false);
  });

  it("flag overdue at read time: past acknowledge-by while unacknowledged, past resolve-by while unresolved", async () => {
    const old = await b.raise({ raisedAt: "2026-03-02T09:00:00+08:00" });
    const page = await api.get(`/v1/issues/${old.id}`, b.handler.accessToken);
    expect(page.body).toMatchObject({ isAckOverdue: true, isResolveOverdue: true });
    const acknowledged = await api.post(`/v1/issues/${old.id}/acknowledge`, {}, b.handler.accessToken);
    expect(acknowledged.body).toMatchObject({ isAckOverdue: false, isResolveOverdue: true });
    const resolved = await api.post(`/v1/issues/${old.id}/resolve`, { note: "已处理" }, b.handler.accessToken);
    expect(resolved.body).toMatchObject({ isAckOverdue: false, isResolveOverdue: false });
    const fresh = await b.raise();
    expect((await api.get(`/v1/issues/${fresh.id}`, b.handler.accessToken)).body).toMatchObject({ isAckOverdue: false, isResolveOverdue: false });
    const overdue = await api.get(`/v1/issues?overdue=true&limit=200`, b.handler.accessToken);
    const overdueIds = overdue.body.data.map((x: { id: string }) => x.id);
    expect(overdueIds).not.toContain(fresh.id);
    expect(overdueIds).not.toContain(old.id); // resolved now
  });

  it("categories: built-ins with defaults, overridable by the admin; raised problems keep their clocks", async () => {
    const t = await api.signUp();
    const list = await api.get("/v1/issue-categories", t.accessToken);
    expect(list.body.data.find((c: { key: string }) => c.key === "utility")).toEqual({ key: "utility", name: "管线迁改", ackDays: 1, ackUnit: "working_days", resolveDays: 5, resolveUnit: "working_days", active: true, builtIn: true });
    const put = await api.call("PUT", "/v1/issue-categories/utility", { body: { name: "管线迁改（加急）", ackDays: 2, ackUnit: "calendar_days", resolveDays: 10, resolveUnit: "calendar_days" }, token: t.accessToken });
    expect(put.body).toMatchObject({ key: "utility", ackDays: 2, builtIn: true });
    expect((await api.get("/v1/issue-categories", t.accessToken)).body.data.find((c: { key: string }) => c.key === "utility").name).toBe("管线迁改（加急）");
    const member = await api.addMember(t.accessToken);
    expectProblem(await api.call("PUT", "/v1/issue-categories/utility", { body: { name: "x", ackDays: 1, ackUnit: "working_days", resolveDays: 1, resolveUnit: "working_days" }, token: member.accessToken }), 403);
    expect(expectProblem(await api.call("PUT", "/v1/issue-categories/utility", { body: { name: "x", ackDays: 0, ackUnit: "working_days", resolveDays: 1, resolveUnit: "working_days" }, token: t.accessToken }), 400).errors![0]!.path).toBe("ackDays");
    // Retired: not for new problems.
    await api.call("PUT", "/v1/issue-categories/retired_one", { body: { name: "停用类别", ackDays: 1, ackUnit: "working_days", resolveDays: 1, resolveUnit: "working_days", active: false }, token: b.admin });
    expect(expectProblem(await api.post(`/v1/projects/${b.project.id}/issues`, { title: "x", handlerId: b.handler.id, category: "retired_one" }, b.roadChief.accessToken), 400).errors![0]!.path).toBe("category");
  });
});

describe("lists", () => {
  it("the caller's problems by role, status and project; newest first or most urgent first", async () => {
    const fresh = await api.post("/v1/projects", { name: "列表项目", kind: "other", roadChiefId: b.roadChief.id }, b.admin);
    const pid = fresh.body.id as string;
    const a = await b.raise({ raisedAt: "2026-05-01T09:00:00+08:00" }, b.roadChief.accessToken, pid);
    const c = await b.raise({ raisedAt: "2026-05-03T09:00:00+08:00", category: "land" }, b.roadChief.accessToken, pid);
    const d = await b.raise({ raisedAt: "2026-05-02T09:00:00+08:00", handlerId: b.handler2.id, followerIds: [] }, b.roadChief.accessToken, pid);
    const inProject = await api.get(`/v1/projects/${pid}/issues`, b.roadChief.accessToken);
    expect(inProject.body.data.map((x: { id: string }) => x.id)).toEqual([c.id, d.id, a.id]);
    const byDue = await api.get(`/v1/projects/${pid}/issues?sort=due`, b.roadChief.accessToken);
    expect(byDue.body.data.map((x: { id: string }) => x.id)).toEqual([a.id, d.id, c.id]);
    const handled = await api.get(`/v1/issues?projectId=${pid}&role=handler`, b.handler.accessToken);
    expect(handled.body.data.map((x: { id: string }) => x.id)).toEqual([c.id, a.id]);
    // The handler sees only their own problems on the project.
    expect((await api.get(`/v1/projects/${pid}/issues`, b.handler2.accessToken)).body.data.map((x: { id: string }) => x.id)).toEqual([d.id]);
    await api.post(`/v1/issues/${a.id}/acknowledge`, {}, b.handler.accessToken);
    const acknowledged = await api.get(`/v1/projects/${pid}/issues?status=acknowledged,in_progress`, b.roadChief.accessToken);
    expect(acknowledged.body.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
    const unresolved = await api.get(`/v1/issues?projectId=${pid}&status=unresolved&role=road_chief`, b.roadChief.accessToken);
    expect(unresolved.body.data).toHaveLength(3);
    expect((await api.get(`/v1/issues?projectId=${pid}&role=follower`, b.follower.accessToken)).body.data).toHaveLength(2);
    expect((await api.get(`/v1/issues?projectId=${pid}&unit=${encodeURIComponent("中国电信")}&category=land`, b.admin)).body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const first = await api.get(`/v1/projects/${pid}/issues?limit=2`, b.roadChief.accessToken);
    const second = await api.get(`/v1/projects/${pid}/issues?limit=2&cursor=${first.body.nextCursor}`, b.roadChief.accessToken);
    expect([...first.body.data, ...second.body.data].map((x: { id: string }) => x.id)).toEqual([c.id, d.id, a.id]);
    expectProblem(await api.get(`/v1/projects/${pid}/issues`, b.outsider.accessToken), 404, "project.not_found");
    expectProblem(await api.get(`/v1/issues?status=done`, b.admin), 400);
    expectProblem(await api.get(`/v1/projects/${pid}/issues?projectId=${pid}`, b.admin), 400);
  });
});
