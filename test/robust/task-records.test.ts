import { beforeAll, describe, expect, it } from "vitest";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { apiForSuite } from "../support/suite.js";

/** Issue 11 §6: a task's records are shown newest 50 with a count, and paged in full. */
const api = apiForSuite();
let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
let taskId: string;
let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

beforeAll(async () => {
  b = await bureauWithChecklist(api);
  await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
  // 领办微心愿: one task per member for the year, min 2 records.
  const mine = await api.get(`/v1/tasks?checklistId=${b.checklist.id}&limit=200`, b.m1.accessToken);
  taskId = mine.body.data.find((t: { title: string }) => t.title === "领办微心愿").id;
  tokens = { admin: b.admin, secretary: b.sec2.accessToken, member: b.m1.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  routes = [{ method: "GET", path: `/v1/tasks/${taskId}/records`, minRole: "member", ownsId: true, deniedWith: { secretary: 404 } }];
}, 120_000);

describe("a task with many records", () => {
  it("shows the newest 50 with the count, and pages through all of them", async () => {
    for (let i = 0; i < 60; i += 10) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, j) => api.post(`/v1/tasks/${taskId}/records`, { doneOn: "2026-03-01", summary: `第${i + j + 1}次` }, b.m1.accessToken)));
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    }
    const detail = await api.get(`/v1/tasks/${taskId}`, b.m1.accessToken);
    expect(detail.status).toBe(200);
    expect(detail.body.recordCount).toBe(60);
    expect(detail.body.records).toHaveLength(50);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply: { status: number; body: { data: { id: string; files: unknown[] }[]; nextCursor: string | null } } = await api.get(`/v1/tasks/${taskId}/records?limit=25${cursor ? `&cursor=${cursor}` : ""}`, b.m1.accessToken);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.data.map((r) => r.id));
      cursor = reply.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect([...seen].sort()).toEqual(seen);
    // The detail's 50 are the newest: the last 50 of the full list.
    expect(detail.body.records.map((r: { id: string }) => r.id)).toEqual(seen.slice(10));
  });
});

describe("the records route", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin }));
});
