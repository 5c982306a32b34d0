import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD } from "../support/api.js";
import { bureau } from "../projects/fixture.js";

const api = apiForSuite();

describe("hand-over on disable", () => {
  it("lists what a leaver holds and hands all of it to a successor in one step", async () => {
    const b = await bureau(api);
    const leaver = b.handler;
    const successor = b.handler2;
    // The leaver: handler of one problem, follower of another, secretary of the temporary branch, and
    // named on a checklist item whose published task is still open.
    const handled = await b.raise();
    const followed = await b.raise({ handlerId: b.supervisor.id, supervisorId: null, followerIds: [leaver.id, successor.id] });
    await api.patch(`/v1/branches/${b.temporary.id}`, { secretaryId: leaver.id }, b.admin);
    const checklist = (await api.post("/v1/checklists", { title: "2026年度任务清单", kind: "task", year: 2026 }, b.admin)).body;
    const item = (await api.post(`/v1/checklists/${checklist.id}/items`, { module: "工程协调", title: "协调管线迁改", dueDate: "2026-12-30", assignees: [{ type: "member", memberId: leaver.id }] }, b.admin)).body;
    expect((await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);

    const work = await api.get(`/v1/members/${leaver.id}/open-work`, b.admin);
    expect(work.status).toBe(200);
    expect(work.body.tasks.map((t: { title: string }) => t.title)).toEqual(["协调管线迁改"]);
    expect(work.body.problems.map((p: { id: string; as: string }) => [p.id, p.as]).sort()).toEqual([[handled.id, "handler"], [followed.id, "follower"]].sort());
    expect(work.body.branchesLed).toEqual([{ id: b.temporary.id, name: "地铁3号线临时党支部" }]);
    expect(work.body.checklistItems).toEqual([{ id: item.id, title: "协调管线迁改", checklistId: checklist.id }]);
    expect(work.body.total).toBe(5);

    expectProblem(await api.post(`/v1/members/${leaver.id}/handover`, { to: leaver.id }, b.admin), 400);
    expectProblem(await api.post(`/v1/members/${leaver.id}/handover`, { to: b.t.member.id }, b.secretary.accessToken), 403, "auth.forbidden");
    const handed = await api.post(`/v1/members/${leaver.id}/handover`, { to: successor.id }, b.admin);
    expect(handed.status).toBe(200);
    expect(handed.body.member.status).toBe("disabled");
    expect(handed.body.handedOver.total).toBe(5);

    expect((await api.get(`/v1/members/${leaver.id}/open-work`, b.admin)).body.total).toBe(0);
    const taken = (await api.get(`/v1/members/${successor.id}/open-work`, b.admin)).body;
    expect(taken.tasks.map((t: { title: string }) => t.title)).toEqual(["协调管线迁改"]);
    // Already a follower of the second problem: they follow it once.
    expect(taken.problems.map((p: { id: string; as: string }) => [p.id, p.as]).sort()).toEqual([[handled.id, "handler"], [followed.id, "follower"]].sort());
    expect(taken.branchesLed).toEqual([{ id: b.temporary.id, name: "地铁3号线临时党支部" }]);
    expect((await api.get(`/v1/checklists/${checklist.id}`, b.admin)).body.items[0].assignees).toEqual([{ type: "member", memberId: successor.id }]);
    // The problem's own history says who handed it over; the successor leads now, with the role that goes with it.
    const issue = await api.get(`/v1/issues/${handled.id}`, b.admin);
    expect(issue.body.handlerId).toBe(successor.id);
    expect(JSON.stringify(issue.body)).toContain("交接");
    expect((await api.get(`/v1/members/${successor.id}`, b.admin)).body.role).toBe("secretary");
    // The leaver is out.
    const login = await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email: leaver.email, password: STRONG_PASSWORD });
    expectProblem(login, 401, "auth.member_inactive");
    expect((await api.get("/v1/me", leaver.accessToken)).status).toBe(401);
    // A disabled successor is refused.
    expect(expectProblem(await api.post(`/v1/members/${b.follower.id}/handover`, { to: leaver.id }, b.admin), 400).errors![0]!.path).toBe("to");
  });
});
