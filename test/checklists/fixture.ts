import { type Api, STRONG_PASSWORD } from "../support/api.js";

/** Shanghai's calendar date today: behaviour tests run on the real clock on both runtimes. */
export const todayInShanghai = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

/**
 * A bureau: 机关党委 with 第一支部 (secretary 赵, members 钱 and 孙) and 第二支部 (secretary 李, member 周),
 * and a 2026 党务清单 owned by the 机关党委 with three items on different time nodes.
 */
export async function bureauWithChecklist(api: Api) {
  const t = await api.signUp();
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const branch1 = await api.createBranch(admin, { name: "第一支部", kind: "branch", parentId: committee.id });
  const branch2 = await api.createBranch(admin, { name: "第二支部", kind: "branch", parentId: committee.id });
  const login = async (email: string) => (await api.post("/v1/auth/login", { tenant: t.tenant.slug, email, password: STRONG_PASSWORD })).body.accessToken as string;
  const sec1 = await api.addMember(admin, { branchId: branch1.id, name: "赵书记" });
  const sec2 = await api.addMember(admin, { branchId: branch2.id, name: "李书记" });
  await api.patch(`/v1/branches/${branch1.id}`, { secretaryId: sec1.id }, admin);
  await api.patch(`/v1/branches/${branch2.id}`, { secretaryId: sec2.id }, admin);
  const m1 = await api.addMember(admin, { branchId: branch1.id, name: "钱党员" });
  const m2 = await api.addMember(admin, { branchId: branch1.id, name: "孙党员" });
  const m3 = await api.addMember(admin, { branchId: branch2.id, name: "周党员" });

  const checklist = (await api.post("/v1/checklists", { title: "2026年度党务清单", kind: "party_affairs", year: 2026, branchId: committee.id }, admin)).body;
  const themeDay = (
    await api.post(
      `/v1/checklists/${checklist.id}/items`,
      { module: "组织生活", title: "主题党日", guidance: "每月最后一天前开展", recurrence: "FREQ=MONTHLY;BYMONTHDAY=-1", assignees: [{ type: "each_branch", branchKind: "branch" }], points: 10, latePoints: 6, returnPenalty: 2, reviewRequired: true, evidenceRequired: true },
      admin,
    )
  ).body;
  const wishes = (await api.post(`/v1/checklists/${checklist.id}/items`, { module: "服务群众", title: "领办微心愿", recurrence: "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", assignees: [{ type: "each_member" }], minCount: 2, points: 5 }, admin)).body;
  const nationalDay = (await api.post(`/v1/checklists/${checklist.id}/items`, { module: "宣传教育", title: "国庆主题宣讲", dueDate: "2026-10-03", assignees: [{ type: "each_secretary", branchKind: "branch" }], points: 3 }, admin)).body;
  return {
    t,
    admin,
    committee,
    branch1,
    branch2,
    sec1: { ...sec1, accessToken: await login(sec1.email) },
    sec2: { ...sec2, accessToken: await login(sec2.email) },
    m1,
    m2,
    m3,
    checklist,
    items: { themeDay, wishes, nationalDay },
  };
}
