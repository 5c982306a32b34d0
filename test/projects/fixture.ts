import { type Api, STRONG_PASSWORD } from "../support/api.js";

/**
 * Problems the fixture raises on the real clock use a calendar-day category, so what tests expect of
 * their clocks does not depend on which holidays fall near today. (A working-day clock running into a
 * year without official data no longer fails: it is computed weekends-only and flagged
 * `calendarProvisional`.) Working-day clocks are tested on fixed dates.
 */
const FIXTURE_CATEGORY = "safety";

/**
 * A bureau with a 路长制 project: 机关党委 → 第一党总支 → 第一支部 (secretary 赵书记), a 地铁3号线临时党支部
 * paired with 第一支部 on the project, and 第二支部 (secretary 钱书记) that has nothing to do with it.
 * The people of one problem: 路长 (road chief), 承办 (handler), 督办 (supervisor), 跟办 (follower);
 * plus a second handler for transfers and an outsider who is part of nothing.
 */
export async function bureau(api: Api) {
  const t = await api.signUp();
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const general = await api.createBranch(admin, { name: "第一党总支", kind: "general_branch", parentId: committee.id });
  const branch = await api.createBranch(admin, { name: "第一支部", kind: "branch", parentId: general.id });
  const other = await api.createBranch(admin, { name: "第二支部", kind: "branch", parentId: general.id });
  const temporary = await api.createBranch(admin, { name: "地铁3号线临时党支部", kind: "temporary_branch", parentId: committee.id });

  const person = (name: string, branchId: string) => api.addMember(admin, { name, branchId });
  const roadChief = await person("周路长", branch.id);
  const handler = await person("吴承办", temporary.id);
  const handler2 = await person("郑承办", temporary.id);
  const supervisor = await person("王督办", branch.id);
  const follower = await person("冯跟办", branch.id);
  const outsider = await person("陈群众", other.id);
  const secretary = await person("赵书记", branch.id);
  const otherSecretary = await person("钱书记", other.id);
  await api.patch(`/v1/branches/${branch.id}`, { secretaryId: secretary.id }, admin);
  await api.patch(`/v1/branches/${other.id}`, { secretaryId: otherSecretary.id }, admin);
  // Being made secretary changes the role; a fresh login carries it.
  const relogin = async (m: { email: string }) => (await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: m.email, password: STRONG_PASSWORD })).body.accessToken as string;
  secretary.accessToken = await relogin(secretary);
  otherSecretary.accessToken = await relogin(otherSecretary);

  const created = await api.post(
    "/v1/projects",
    { name: "地铁3号线配套道路", kind: "metro_road", district: "钟山区", roadSection: "人民路—凉都大道", startDate: "2026-03-01", status: "under_construction", roadChiefId: roadChief.id, branchIds: [temporary.id, branch.id], tags: ["重点工程"] },
    admin,
  );
  if (created.status !== 201) throw new Error(`project failed: ${created.status} ${JSON.stringify(created.body)}`);
  const project = created.body as { id: string };

  /** Raises a problem on the project (as the road chief unless told), with the usual people. */
  const raise = async (overrides: Record<string, unknown> = {}, token = roadChief.accessToken, projectId = project.id) => {
    const reply = await api.post(
      `/v1/projects/${projectId}/issues`,
      { title: "电信人孔井需抬升", category: FIXTURE_CATEGORY, responsibleUnits: ["中国电信"], handlerId: handler.id, supervisorId: supervisor.id, followerIds: [follower.id], ...overrides },
      token,
    );
    if (reply.status !== 201) throw new Error(`raise failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as { id: string; status: string; ackDueAt: string; resolveDueAt: string; calendarProvisional: boolean };
  };

  return { t, admin, committee, general, branch, other, temporary, roadChief, handler, handler2, supervisor, follower, outsider, secretary, otherSecretary, project, raise };
}

export type Bureau = Awaited<ReturnType<typeof bureau>>;
