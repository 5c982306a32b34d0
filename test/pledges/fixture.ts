import { expect } from "vitest";
import { type Api, STRONG_PASSWORD } from "../support/api.js";

/** Years relative to the real clock, so the suite means the same next year (workerd has no fake clock). */
export const thisYear = new Date().getUTCFullYear();
export const nextYear = thisYear + 1;
export const lastYear = thisYear - 1;

/** 刘书记 leads 第一支部 (钱, 孙, 周 are members there); 李 is in 第二支部. */
export async function bureau(api: Api) {
  const t = await api.signUp();
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const branch = await api.createBranch(admin, { name: "第一支部", kind: "branch", parentId: committee.id });
  const other = await api.createBranch(admin, { name: "第二支部", kind: "branch", parentId: committee.id });
  const sec = await api.addMember(admin, { branchId: branch.id, name: "刘书记" });
  expect((await api.patch(`/v1/branches/${branch.id}`, { secretaryId: sec.id }, admin)).status).toBe(200);
  const secLogin = await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: sec.email, password: STRONG_PASSWORD });
  const member = await api.addMember(admin, { branchId: branch.id, name: "钱小明" });
  const peer = await api.addMember(admin, { branchId: branch.id, name: "孙党员" });
  const peer2 = await api.addMember(admin, { branchId: branch.id, name: "欧阳晓峰" });
  const outsider = await api.addMember(admin, { branchId: other.id, name: "李党员" });
  return {
    t,
    slug: t.tenant.slug,
    admin,
    adminId: t.member.id,
    committee,
    branch,
    other,
    secretary: { ...sec, accessToken: secLogin.body.accessToken as string },
    member,
    peer,
    peer2,
    outsider,
  };
}
export type Bureau = Awaited<ReturnType<typeof bureau>>;

export const pledgeBody = (overrides: Record<string, unknown> = {}) => ({
  year: nextYear,
  title: "协调解决地铁3号线建设现场问题",
  content: "作为路长，全年深入地铁3号线建设一线，协调解决现场问题，按时完成党课一次。",
  category: "work",
  targets: [
    { title: "协调解决现场问题", type: "quantity", amount: 10, unit: "个" },
    { title: "讲授专题党课", type: "done" },
  ],
  dueDate: `${nextYear}-12-20`,
  ...overrides,
});

/** Drafts, submits and has the secretary approve: a pledge in force. */
export async function approvedPledge(api: Api, b: Bureau, overrides: Record<string, unknown> = {}, owner = b.member.accessToken) {
  const created = await api.post("/v1/pledges", pledgeBody(overrides), owner);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  expect((await api.post(`/v1/pledges/${id}/submit`, {}, owner)).status).toBe(200);
  const approved = await api.post(`/v1/pledges/${id}/approve`, {}, b.secretary.accessToken);
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return id;
}

export const put = (api: Api, path: string, body: unknown, token?: string) => api.call("PUT", path, { body, token });

export async function openBoard(api: Api, b: Bureau, overrides: Record<string, unknown> = {}) {
  const reply = await put(api, "/v1/pledges/settings", { weights: { self: 20, leader: 40, peer: 30, public: 10 }, publicBoard: true, publicNames: "surname", publicRatings: true, ...overrides }, b.admin);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}
