import { Api } from "../../support/api.js";
import { confirmSignupFromOutbox } from "./outbox.js";
import type { RunningApp } from "./server.js";

/** The test suite's JSON client (test/support/api.ts) pointed at the running app over HTTP. */
export function apiOf(app: RunningApp): Api {
  return new Api({ runtime: "node", fetch: (path, init) => fetch(`${app.url}${path}`, init), close: async () => {} });
}

/**
 * A bureau for the journeys: 第一支部 with its secretary 赵书记 (active, password set), and a
 * 2026 checklist whose item falls to each member of the branch. The member who does the work is
 * invited by the journey itself.
 */
export async function bureau(api: Api, app: RunningApp) {
  const t = await api.signUp({ name: "某市交通运输局", confirm: false });
  await confirmSignupFromOutbox(app, t.member.email);
  const admin = t.accessToken;
  const branch = await api.createBranch(admin, { name: "第一支部", kind: "branch" });
  const secretary = await api.addMember(admin, { branchId: branch.id, name: "赵书记" });
  await api.patch(`/v1/branches/${branch.id}`, { secretaryId: secretary.id }, admin);
  const checklist = (await api.post("/v1/checklists", { title: "2026年度党务清单", kind: "party_affairs", year: 2026, branchId: branch.id }, admin)).body;
  return { t, admin, branch, secretary, checklist };
}

/** Adds a one-off item for each member of the branch and publishes: each member gets a task. */
export async function publishItem(api: Api, b: Awaited<ReturnType<typeof bureau>>, title: string, extra: Record<string, unknown> = {}) {
  const item = await api.post(`/v1/checklists/${b.checklist.id}/items`, { module: "组织生活", title, dueDate: "2026-12-18", assignees: [{ type: "each_member" }], reviewRequired: true, points: 10, ...extra }, b.admin);
  if (item.status !== 201) throw new Error(`item: ${item.status} ${JSON.stringify(item.body)}`);
  const published = await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
}
