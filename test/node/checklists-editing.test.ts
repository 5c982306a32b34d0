import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/** Editing a published item, on a fixed clock: 2026-06-15 10:00 in Shanghai. */
let target: NodeTarget;
let api: Api;
let admin: string;
let memberToken: string;
let checklistId: string;
let itemId: string;

const now = new Date("2026-06-15T02:00:00Z");

beforeAll(async () => {
  target = await startNodeTarget({ portsOverride: (ports) => ({ ...ports, now: () => now }) });
  api = new Api(target);
  const t = await api.signUp();
  admin = t.accessToken;
  const branch = await api.createBranch(admin, { name: "第一支部" });
  memberToken = (await api.addMember(admin, { branchId: branch.id, name: "钱党员" })).accessToken;
  checklistId = (await api.post("/v1/checklists", { title: "学习清单", kind: "learning", year: 2026 }, admin)).body.id;
  itemId = (await api.post(`/v1/checklists/${checklistId}/items`, { module: "理论学习", title: "集中学习", recurrence: "FREQ=MONTHLY;BYMONTHDAY=20", assignees: [{ type: "each_member" }], points: 4 }, admin)).body.id;
}, 60_000);
afterAll(() => target.close());

const tasks = async () => (await api.get("/v1/tasks?limit=200", memberToken)).body.data as any[];

describe("a published checklist on a fixed clock", () => {
  it("publishes from today by default: no task is born overdue", async () => {
    const published = await api.post(`/v1/checklists/${checklistId}/publish`, {}, admin);
    // June (the 20th is a Saturday: due 2026-06-22) through December, for the admin and the member.
    expect(published.body.tasksCreated).toBe(14);
    const list = await tasks();
    expect(list[0]).toMatchObject({ nominalDate: "2026-06-20", dueDate: "2026-06-22", status: "open", urgency: "on_track" });
  });

  it("computes urgency from the tenant's threshold", async () => {
    expect((await api.put("/v1/tasks/settings", { dueSoonDays: 7 }, admin)).status).toBe(200);
    expect((await tasks())[0].urgency).toBe("due_soon");
    expect((await api.get("/v1/tasks?urgency=due_soon", memberToken)).body.data).toHaveLength(1);
  });

  it("editing an item changes the future tasks and leaves finished ones as they were", async () => {
    const [june] = await tasks();
    await api.post(`/v1/tasks/${june.id}/records`, { doneOn: "2026-06-18", summary: "学习新修订的党章" }, memberToken);
    const done = await api.post(`/v1/tasks/${june.id}/submit`, {}, memberToken);
    expect(done.body).toMatchObject({ status: "done", points: 4, completedLate: false });

    const [, july] = await tasks();
    await api.post(`/v1/tasks/${july.id}/records`, { doneOn: "2026-06-19", summary: "提前学习" }, memberToken);

    // New words, points and a new schedule: the 10th of each month.
    const edited = await api.patch(`/v1/checklists/${checklistId}/items/${itemId}`, { title: "集中学习（修订）", points: 8, recurrence: "FREQ=MONTHLY;BYMONTHDAY=10" }, admin);
    expect(edited.status).toBe(200);
    const after = await tasks();
    const juneAfter = after.find((t) => t.id === june.id);
    expect(juneAfter).toMatchObject({ title: "集中学习", points: 4, status: "done" });
    // The July task had work recorded on it: it stays, under the new title.
    expect(after.find((t) => t.id === july.id)).toMatchObject({ title: "集中学习（修订）", nominalDate: "2026-07-20", doneCount: 1 });
    // Untouched future tasks now follow the new rule; July's 10th joins the one already started.
    const untouchedDates = after.filter((t) => t.id !== june.id && t.id !== july.id).map((t) => t.nominalDate);
    expect(untouchedDates).toEqual(["2026-07-10", "2026-08-10", "2026-09-10", "2026-10-10", "2026-11-10", "2026-12-10"]);
    expect(after.find((t) => t.nominalDate === "2026-10-10")).toMatchObject({ dueDate: "2026-10-10" }); // a make-up Saturday: no roll
  });

  it("removing an item drops its untouched future tasks and keeps the finished ones", async () => {
    expect((await api.delete(`/v1/checklists/${checklistId}/items/${itemId}`, admin)).status).toBe(204);
    const left = await tasks();
    expect(left.map((t) => t.title).sort()).toEqual(["集中学习", "集中学习（修订）"]);
  });
});
