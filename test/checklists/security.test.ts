import { beforeAll, describe } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { bureauWithChecklist } from "./fixture.js";

let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

const api = apiForSuite();
beforeAll(async () => {
  const b = await bureauWithChecklist(api);
  await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
  const draft = (await api.post("/v1/checklists", { title: "草稿清单", kind: "task", year: 2026, branchId: b.committee.id }, b.admin)).body;
  const draftItem = (await api.post(`/v1/checklists/${draft.id}/items`, { module: "模块", title: "草稿事项", dueDate: "2026-12-01", assignees: [{ type: "each_member" }] }, b.admin)).body;
  const task = (await api.get("/v1/tasks?limit=1", b.m1.accessToken)).body.data[0];
  tokens = { admin: b.admin, secretary: b.sec2.accessToken, member: b.m1.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  const item = { module: "组织生活", title: "新事项", dueDate: "2026-12-15", assignees: [{ type: "each_member" }] };
  routes = [
    { method: "GET", path: "/v1/checklists", minRole: "member" },
    { method: "POST", path: "/v1/checklists", body: { title: "新清单", kind: "learning", year: 2026 }, minRole: "admin" },
    { method: "GET", path: `/v1/checklists/${b.checklist.id}`, minRole: "member", ownsId: true },
    { method: "PATCH", path: `/v1/checklists/${draft.id}`, body: { title: "改名" }, minRole: "admin", ownsId: true, deniedWith: { member: 404 } },
    { method: "DELETE", path: `/v1/checklists/${draft.id}`, minRole: "admin", ownsId: true, deniedWith: { member: 404 } },
    { method: "POST", path: `/v1/checklists/${draft.id}/items`, body: item, minRole: "admin", ownsId: true, deniedWith: { member: 404 }, fields: ["module", "title", "dueDate", "assignees"] },
    { method: "PATCH", path: `/v1/checklists/${draft.id}/items/${draftItem.id}`, body: { title: "改名事项" }, minRole: "admin", ownsId: true, deniedWith: { member: 404 } },
    { method: "DELETE", path: `/v1/checklists/${draft.id}/items/${draftItem.id}`, minRole: "admin", ownsId: true, deniedWith: { member: 404 } },
    { method: "GET", path: `/v1/checklists/${b.checklist.id}/preview`, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/checklists/${draft.id}/publish`, body: { from: "2026-01-01" }, minRole: "admin", ownsId: true, deniedWith: { member: 404 } },
    { method: "GET", path: "/v1/schedules/presets", minRole: "member" },
    { method: "GET", path: "/v1/tasks", minRole: "member" },
    { method: "GET", path: "/v1/tasks/settings", minRole: "member" },
    { method: "PUT", path: "/v1/tasks/settings", body: { dueSoonDays: 5 }, minRole: "admin" },
    { method: "GET", path: `/v1/tasks/${task.id}`, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/tasks/${task.id}/records`, body: { doneOn: "2026-03-01", summary: "完成" }, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/tasks/${task.id}/submit`, minRole: "member", ownsId: true },
    { method: "POST", path: `/v1/tasks/${task.id}/review`, body: { decision: "return", reason: "理由" }, minRole: "admin", ownsId: true, deniedWith: { secretary: 404 } },
    { method: "POST", path: `/v1/tasks/${task.id}/backfill`, body: { reason: "会议记录为证" }, minRole: "admin", ownsId: true, deniedWith: { secretary: 404 } },
    { method: "GET", path: "/v1/reports/checklists?period=2026", minRole: "member" },
    { method: "GET", path: "/v1/reports/checklists/rankings?period=2026", minRole: "member" },
    { method: "GET", path: `/v1/reports/checklists/scores?memberId=${b.m1.id}&period=2026`, minRole: "member" },
  ];
});

describe("every checklist, task and ledger route", () => {
  securityMatrix(() => ({ api, routes, tokens, foreignAdmin, secrets: /党务清单|主题党日|钱党员/ }));
});
