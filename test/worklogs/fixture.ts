import { type Api, STRONG_PASSWORD } from "../support/api.js";

/**
 * A bureau with a log: 机关党委 → 第一支部 (secretary 赵书记: 分管领导 of 李一 and 王二 by default) and
 * 第二支部 (secretary 钱书记, leads 陈三). Fixed dates in June 2026 (端午 2026-06-19 is a holiday),
 * a month long over whatever the real clock says.
 */
export async function logBureau(api: Api) {
  const t = await api.signUp();
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const branch = await api.createBranch(admin, { name: "第一支部", kind: "branch", parentId: committee.id });
  const other = await api.createBranch(admin, { name: "第二支部", kind: "branch", parentId: committee.id });
  const person = (name: string, branchId: string) => api.addMember(admin, { name, branchId });
  const li = await person("李一", branch.id);
  const wang = await person("王二", branch.id);
  const chen = await person("陈三", other.id);
  const zhao = await person("赵书记", branch.id);
  const qian = await person("钱书记", other.id);
  await api.patch(`/v1/branches/${branch.id}`, { secretaryId: zhao.id }, admin);
  await api.patch(`/v1/branches/${other.id}`, { secretaryId: qian.id }, admin);
  const relogin = async (m: { email: string }) => (await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: m.email, password: STRONG_PASSWORD })).body.accessToken as string;
  zhao.accessToken = await relogin(zhao);
  qian.accessToken = await relogin(qian);
  return { tenant: t, admin, adminId: t.member.id, committee, branch, other, li, wang, chen, zhao, qian };
}
export type LogBureau = Awaited<ReturnType<typeof logBureau>>;

export const day = (overrides: Record<string, unknown> = {}) => ({
  kind: "work",
  items: [
    { text: "参加支部主题党日，学习二十届四中全会精神", category: "party", hours: 2, place: "三楼会议室" },
    { text: "审核人民路改造项目施工图，提出修改意见 3 条", category: "business", hours: 5.5 },
  ],
  ...overrides,
});

export const fullScore = { items: [{ key: "results", points: 36 }, { key: "attitude", points: 18 }, { key: "quality", points: 17 }, { key: "discipline", points: 20 }], comment: "工作扎实，日志详实" };
