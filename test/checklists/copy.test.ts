import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { bureauWithChecklist } from "./fixture.js";

const api = apiForSuite();

describe("copy a checklist into another year", () => {
  it("makes a draft with the same modules and items, single deadlines on the same day, and no tasks", async () => {
    const b = await bureauWithChecklist(api);
    await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
    const leap = (await api.post("/v1/checklists", { title: "2024年学习清单", kind: "learning", year: 2024 }, b.admin)).body;
    await api.post(`/v1/checklists/${leap.id}/items`, { module: "学习", title: "闰日学习", dueDate: "2024-02-29", assignees: [{ type: "each_member" }] }, b.admin);

    const before = await api.auditCount(b.admin);
    const copy = await api.post(`/v1/checklists/${b.checklist.id}/copy`, { year: 2027 }, b.admin);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ title: "2027年度党务清单", year: 2027, kind: "party_affairs", status: "draft", branchId: b.committee.id, copiedFrom: b.checklist.id, publishedAt: null });
    const strip = (items: Record<string, unknown>[]) => items.map(({ id: _i, checklistId: _c, createdAt: _a, updatedAt: _u, dueDate, ...rest }) => ({ ...rest, dueDate: typeof dueDate === "string" ? dueDate.slice(5) : dueDate }));
    const source = (await api.get(`/v1/checklists/${b.checklist.id}`, b.admin)).body;
    const read = (await api.get(`/v1/checklists/${copy.body.id}`, b.admin)).body;
    expect(strip(read.items)).toEqual(strip(source.items));
    expect(read.items.find((i: { title: string }) => i.title === "国庆主题宣讲").dueDate).toBe("2027-10-03");
    // One audit row for the checklist and one per item.
    expect(await api.auditCount(b.admin)).toBe(before + 1 + source.items.length);
    expect((await api.get(`/v1/tasks?checklistId=${copy.body.id}`, b.admin)).body.data ?? []).toEqual([]);

    // 29 February lands on the 28th in a common year; the title keeps its words when given.
    const common = await api.post(`/v1/checklists/${leap.id}/copy`, { year: 2025, title: "学习清单（2025）" }, b.admin);
    expect(common.body).toMatchObject({ title: "学习清单（2025）", year: 2025 });
    expect(common.body.items[0].dueDate).toBe("2025-02-28");

    expect(expectProblem(await api.post(`/v1/checklists/${b.checklist.id}/copy`, { year: 2026 }, b.admin), 400).errors![0]!.path).toBe("year");
    expect(expectProblem(await api.post(`/v1/checklists/${b.checklist.id}/copy`, { year: 1999 }, b.admin), 400).errors![0]!.path).toBe("year");
    // A secretary who leads only a 支部 cannot copy the 机关党委's list; a member cannot either.
    expectProblem(await api.post(`/v1/checklists/${b.checklist.id}/copy`, { year: 2027 }, b.sec1.accessToken), 403, "auth.forbidden");
    expectProblem(await api.post(`/v1/checklists/${b.checklist.id}/copy`, { year: 2027 }, b.m1.accessToken), 403, "auth.forbidden");
  });
});
