import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";

/**
 * The timeliness report on both runtimes, with answers that do not depend on today's date: problems
 * raised in June 2026 are long overdue, and one acknowledged now is acknowledged late. Exact medians
 * and on-time resolutions need a clock the test controls: test/node/projects-timeliness.test.ts.
 */
let f: Awaited<ReturnType<typeof fixture>>;

async function fixture() {
  const t = await api.signUp();
  const admin = t.accessToken;
  const pair = await api.createBranch(admin, { name: "联建支部" });
  const chiefA = await api.addMember(admin, { name: "甲路长" });
  const chiefB = await api.addMember(admin, { name: "乙路长" });
  const handler = await api.addMember(admin, { name: "承办人" });
  const secretary = await api.addMember(admin, { name: "联建书记", branchId: pair.id });
  await api.patch(`/v1/branches/${pair.id}`, { secretaryId: secretary.id }, admin);
  const secretaryToken = (await api.post("/v1/auth/login", { tenant: t.tenant.slug, email: secretary.email, password: "Qingdan-2026-secure" })).body.accessToken as string;
  const a = (await api.post("/v1/projects", { name: "甲快速路", kind: "expressway", roadChiefId: chiefA.id, branchIds: [pair.id] }, admin)).body.id as string;
  const b = (await api.post("/v1/projects", { name: "乙地铁配套道路", kind: "metro_road", roadChiefId: chiefB.id }, admin)).body.id as string;

  const log = async (project: string, token: string, body: Record<string, unknown>) => {
    const reply = await api.post(`/v1/projects/${project}/logs`, { summary: "记录", ...body }, token);
    if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
    return reply.body.id as string;
  };
  const wrong = await log(a, chiefA.accessToken, { kind: "site_visit", visitedAt: "2026-06-10T09:00:00+08:00" });
  await log(a, chiefA.accessToken, { kind: "site_visit", visitedAt: "2026-06-10T14:00:00+08:00", correctsId: wrong, correctionReason: "时间记错" });
  await log(a, chiefA.accessToken, { kind: "inspection", visitedAt: "2026-06-11T09:00:00+08:00" });
  await log(a, chiefA.accessToken, { kind: "coordination_meeting", visitedAt: "2026-06-12T09:00:00+08:00" });
  await log(a, chiefA.accessToken, { kind: "phone_coordination", visitedAt: "2026-05-31T09:00:00+08:00" });
  await log(b, chiefB.accessToken, { kind: "phone_coordination", visitedAt: "2026-06-15T09:00:00+08:00" });

  const raise = async (project: string, token: string, body: Record<string, unknown>) => {
    const reply = await api.post(`/v1/projects/${project}/issues`, { title: "问题", category: "safety", handlerId: handler.id, ...body }, token);
    if (reply.status !== 201) throw new Error(JSON.stringify(reply.body));
    return reply.body.id as string;
  };
  const a1 = await raise(a, chiefA.accessToken, { raisedAt: "2026-06-01T09:00:00+08:00", responsibleUnits: ["中国电信"] });
  await raise(a, chiefA.accessToken, { raisedAt: "2026-06-02T09:00:00+08:00", responsibleUnits: ["中国电信", "区住建局"] });
  await raise(b, chiefB.accessToken, { raisedAt: "2026-06-03T09:00:00+08:00" });
  await raise(b, chiefB.accessToken, { raisedAt: "2026-07-03T09:00:00+08:00" }); // outside June: only in "now"
  await api.post(`/v1/issues/${a1}/acknowledge`, {}, handler.accessToken);
  return { t, admin, a, b, chiefA, chiefB, handler, secretaryToken };
}

const api = apiForSuite();
beforeAll(async () => {
  f = await fixture();
});

const june = "from=2026-06-01&to=2026-06-30";
const zero = { raised: 0, acknowledged: 0, acknowledgedOnTime: 0, resolved: 0, resolvedOnTime: 0, medianDaysToResolve: null, p90DaysToResolve: null };

describe("timeliness report", () => {
  it("per project: visits (a correction counts once), coordinations, problems raised in the period, open and overdue now", async () => {
    const reply = await api.get(`/v1/reports/projects?${june}`, f.admin);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ by: "project", from: "2026-06-01", to: "2026-06-30" });
    expect(reply.body.rows).toEqual([
      { key: f.a, label: "甲快速路", roadChiefId: f.chiefA.id, roadChiefName: "甲路长", visits: 2, coordinations: 1, ...zero, raised: 2, acknowledged: 1, openNow: 2, overdueNow: 2 },
      { key: f.b, label: "乙地铁配套道路", roadChiefId: f.chiefB.id, roadChiefName: "乙路长", visits: 0, coordinations: 1, ...zero, raised: 1, openNow: 2, overdueNow: 2 },
    ]);
    expect(reply.body.totals).toEqual({ visits: 2, coordinations: 2, ...zero, raised: 3, acknowledged: 1, openNow: 4, overdueNow: 4 });
    const sameByPeriod = await api.get("/v1/reports/projects?period=2026-06", f.admin);
    expect(sameByPeriod.body.rows).toEqual(reply.body.rows);
  });

  it("per road chief and per responsible unit (a problem naming two units counts for each; totals once)", async () => {
    const chiefs = await api.get(`/v1/reports/projects?${june}&by=road_chief`, f.admin);
    expect(chiefs.body.rows.map((r: { key: string; label: string; raised: number; visits: number }) => [r.key, r.label, r.raised, r.visits])).toEqual([
      [f.chiefA.id, "甲路长", 2, 2],
      [f.chiefB.id, "乙路长", 1, 0],
    ]);
    const units = await api.get(`/v1/reports/projects?${june}&by=unit`, f.admin);
    const byUnit = Object.fromEntries(units.body.rows.map((r: { label: string | null; raised: number; openNow: number; visits: number | null }) => [r.label ?? "(none)", [r.raised, r.openNow, r.visits]]));
    expect(byUnit).toEqual({ 中国电信: [2, 2, null], 区住建局: [1, 1, null], "(none)": [1, 2, null] });
    expect(units.body.rows.at(-1).key).toBeNull();
    expect(units.body.totals.raised).toBe(3);
  });

  it("each caller sees the projects they answer for: a secretary their partner branch's, a road chief theirs, others none", async () => {
    const bySecretary = await api.get(`/v1/reports/projects?${june}`, f.secretaryToken);
    expect(bySecretary.body.rows.map((r: { key: string }) => r.key)).toEqual([f.a]);
    expect(bySecretary.body.totals.raised).toBe(2);
    const byChief = await api.get(`/v1/reports/projects?${june}`, f.chiefB.accessToken);
    expect(byChief.body.rows.map((r: { key: string }) => r.key)).toEqual([f.b]);
    const byHandler = await api.get(`/v1/reports/projects?${june}`, f.handler.accessToken);
    expect(byHandler.body.rows).toEqual([]);
    expect(byHandler.body.totals.raised).toBe(0);
  });

  it("answers CSV for Accept: text/csv — UTF-8 with a BOM, headers in the reader's language, a totals row", async () => {
    const res = await api.target.fetch(`/v1/reports/projects?${june}`, { headers: { authorization: `Bearer ${f.admin}`, accept: "text/csv" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split("\r\n");
    expect(lines[0]).toBe("项目,路长,走访,协调,交办问题,已响应,按时响应,已解决,按时解决,解决天数中位数,解决天数P90,当前未解决,当前超期");
    expect(lines[1]).toBe("甲快速路,甲路长,2,1,2,1,0,0,0,,,2,2");
    expect(lines.at(-1)).toBe("合计,,2,2,3,1,0,0,0,,,4,4");
    const english = await api.target.fetch(`/v1/reports/projects?${june}&by=unit&format=csv`, { headers: { authorization: `Bearer ${f.admin}`, "accept-language": "en" } });
    const text = (await english.text()).replace(/^\uFEFF/, "");
    expect(text.split("\r\n")[0]).toBe("Responsible unit,Visits,Coordinations,Raised,Acknowledged,Acknowledged on time,Resolved,Resolved on time,Median days to resolve,P90 days to resolve,Open now,Overdue now");
    expect(text).toContain("(no unit named),,,1,");
  });
});
