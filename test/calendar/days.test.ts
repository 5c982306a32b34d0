import { beforeAll, describe, expect, it } from "vitest";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { expectProblem } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();
let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

beforeAll(async () => {
  b = await bureauWithChecklist(api);
  tokens = { admin: b.admin, secretary: b.sec1.accessToken, member: b.m1.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  routes = [
    { method: "GET", path: "/v1/calendar/days/2026-05-06", minRole: "admin" },
    { method: "PUT", path: "/v1/calendar/days/2026-05-06", body: { kind: "holiday", name: "市庆" }, minRole: "admin" },
    { method: "DELETE", path: "/v1/calendar/days/2026-05-06", minRole: "admin", deniedWith: {} },
  ];
});

securityMatrix(() => ({ api, routes, tokens, foreignAdmin }));

const taskDue = async (checklistId: string) => (await api.get(`/v1/tasks?checklistId=${checklistId}&limit=200`, b.m1.accessToken)).body.data as { nominalDate: string; dueDate: string; title: string }[];

describe("a bureau's own days (fixed 2026 dates: the arrangement is official)", () => {
  it("a local holiday moves that bureau's open tasks off it, and only that bureau's; removing it moves them back", async () => {
    const list = (await api.post("/v1/checklists", { title: "市庆清单", kind: "task", year: 2026 }, b.admin)).body;
    await api.post(`/v1/checklists/${list.id}/items`, { module: "宣传", title: "市庆筹备", dueDate: "2026-10-09", assignees: [{ type: "member", memberId: b.m1.id }] }, b.admin);
    expect((await api.post(`/v1/checklists/${list.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);
    expect((await taskDue(list.id))[0]).toMatchObject({ dueDate: "2026-10-09" });

    const set = await api.put("/v1/calendar/days/2026-10-09", { kind: "holiday", name: "市庆" }, b.admin);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ date: "2026-10-09", workingDay: false, source: "tenant", kind: "holiday", name: "市庆", national: null, calendarProvisional: false, rerolled: { tasksMoved: 1 } });
    // Friday 10-09 is off; Saturday 10-10 is a national make-up working day.
    expect((await taskDue(list.id))[0]).toMatchObject({ nominalDate: "2026-10-09", dueDate: "2026-10-10" });
    expect((await api.get("/v1/calendar/days/2026-10-09", foreignAdmin)).body).toMatchObject({ workingDay: true, source: "weekday" });
    expect((await api.get("/v1/calendar/days/2026-10-01", b.admin)).body).toMatchObject({ workingDay: false, source: "national", name: "国庆节" });

    const audit = (await api.get("/v1/audit?limit=50", b.admin)).body.data as { action: string; entityId: string }[];
    expect(audit.find((a) => a.action === "calendar_day.set")).toMatchObject({ entityId: "2026-10-09" });

    expect((await api.delete("/v1/calendar/days/2026-10-09", b.admin)).status).toBe(204);
    expect((await taskDue(list.id))[0]).toMatchObject({ dueDate: "2026-10-09" });
    expectProblem(await api.delete("/v1/calendar/days/2026-10-09", b.admin), 404, "calendar_day.not_found");
  });

  it("a bureau-wide make-up working day gives every-working-day items a task on it", async () => {
    // 2031 is far off (and provisional): tasks are only added from today on.
    const list = (await api.post("/v1/checklists", { title: "每日清单", kind: "task", year: 2031 }, b.admin)).body;
    await api.post(`/v1/checklists/${list.id}/items`, { module: "日常", title: "每日巡查", preset: { id: "every_working_day" }, assignees: [{ type: "member", memberId: b.m1.id }] }, b.admin);
    await api.post(`/v1/checklists/${list.id}/publish`, { from: "2031-01-01" }, b.admin);
    const dates = async () => (await taskDue(list.id)).map((t) => t.nominalDate);
    expect(await dates()).not.toContain("2031-03-08");
    const set = await api.put("/v1/calendar/days/2031-03-08", { kind: "workday", name: "局内调休" }, b.admin);
    expect(set.body).toMatchObject({ workingDay: true, source: "tenant", calendarProvisional: true, rerolled: { tasksAdded: 1 } });
    expect(await dates()).toContain("2031-03-08");
  });

  it("refuses dates that are not real and bodies that are not a day, changing nothing", async () => {
    const before = await api.auditCount(b.admin);
    expect(expectProblem(await api.put("/v1/calendar/days/2026-02-30", { kind: "holiday", name: "x" }, b.admin), 400).errors![0]!.path).toBe("param.date");
    expect(expectProblem(await api.put("/v1/calendar/days/1999-12-31", { kind: "holiday", name: "x" }, b.admin), 400).errors![0]!.path).toBe("param.date");
    expect(expectProblem(await api.put("/v1/calendar/days/2026-05-06", { kind: "rest", name: "x" }, b.admin), 400).errors![0]!.path).toBe("kind");
    expect(expectProblem(await api.put("/v1/calendar/days/2026-05-06", { kind: "holiday", name: "" }, b.admin), 400).errors![0]!.path).toBe("name");
    expect(await api.auditCount(b.admin)).toBe(before);
  });
});
