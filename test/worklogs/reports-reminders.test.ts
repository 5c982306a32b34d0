import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { day, fullScore, type LogBureau, logBureau } from "./fixture.js";

let b: LogBureau;
const api = apiForSuite();
beforeAll(async () => {
  b = await logBureau(api);
  await api.put("/v1/worklogs/days/2026-06-15", day(), b.li.accessToken);
  await api.put("/v1/worklogs/days/2026-06-16", { kind: "leave" }, b.li.accessToken);
  await api.put("/v1/worklogs/days/2026-06-15", day(), b.wang.accessToken);
  await api.put("/v1/worklogs/days/2026-06-17", day(), b.wang.accessToken);
  for (const m of [b.li, b.wang]) await api.put("/v1/worklogs/months/2026-06/summary", { summary: "六月小结" }, m.accessToken);
  await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, fullScore, b.zhao.accessToken);
});

type Row = { name: string; daysWritten: number; leaveDays: number; workingDays: number; completeness: number; averageScore: number | null; composite: number | null; members: number };

describe("电子日志 in the ledger", () => {
  it("per member: completeness (written / working days less leave), the average score, the composite with the bureau's weight", async () => {
    const report = await api.get("/v1/reports/worklogs?period=2026-06", b.admin);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ period: "2026-06", groupBy: "member", weight: 40, workingDays: 21 });
    const rows = new Map((report.body.data as Row[]).map((r) => [r.name, r]));
    expect(rows.get("李一")).toMatchObject({ daysWritten: 1, leaveDays: 1, completeness: 5, averageScore: null, composite: null });
    // No checklist task was assigned, so the composite is the log score alone.
    expect(rows.get("王二")).toMatchObject({ daysWritten: 2, leaveDays: 0, completeness: 9.5, averageScore: 91, composite: 91 });
    const branches = await api.get("/v1/reports/worklogs?period=2026-Q2&groupBy=branch", b.admin);
    const first = (branches.body.data as Row[]).find((r) => r.name === "第一支部")!;
    expect(first).toMatchObject({ members: 3, daysWritten: 3, leaveDays: 1, averageScore: 91 });
    expect(first.workingDays).toBe(3 * branches.body.workingDays);
  });

  it("answers CSV for Excel and WPS, and shows each reader only what they oversee", async () => {
    const csv = await api.get("/v1/reports/worklogs?period=2026-06", b.admin, { accept: "text/csv" });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(String(csv.body).replace(/^\uFEFF/, "").startsWith("成员,所在组织,应填天数,已填天数,请假天数,完成率%")).toBe(true);
    expect(csv.body).toContain("王二,第一支部,21,2,0,9.5,1,91,,91");
    expect((await api.get("/v1/reports/worklogs?period=2026-06", b.li.accessToken)).body.data.map((r: Row) => r.name)).toEqual(["李一"]);
    expect((await api.get("/v1/reports/worklogs?period=2026-06", b.qian.accessToken)).body.data.map((r: Row) => r.name).sort()).toEqual(["钱书记", "陈三"].sort());
    expect((await api.get("/v1/reports/worklogs?period=2026-13", b.admin)).status).toBe(400);
  });
});

describe("电子日志 in the morning digest", () => {
  const preview = async (date: string) => (await api.get(`/v1/reminders/preview?date=${date}`, b.admin)).body.emails as { memberId: string; subject: string; text: string }[];

  it("「昨日日志未填写」 only once the bureau turns it on, for the previous working day, to those who wrote nothing", async () => {
    expect((await preview("2026-06-16")).filter((e) => e.text.includes("工作日志还没有填写"))).toEqual([]);
    await api.put("/v1/worklogs/settings", { remindMissing: true }, b.admin);
    const missing = (await preview("2026-06-16")).filter((e) => e.text.includes("2026-06-15 的工作日志还没有填写"));
    expect(missing.map((e) => e.memberId).sort()).toEqual([b.adminId, b.chen.id, b.qian.id, b.zhao.id].sort());
    // Monday's digest asks about Friday; a leave day counts as written.
    const monday = (await preview("2026-06-22")).filter((e) => e.text.includes("工作日志还没有填写"));
    expect(monday[0]!.text).toContain("2026-06-18 的工作日志还没有填写");
    const wednesday = (await preview("2026-06-17")).filter((e) => e.text.includes("2026-06-16 的工作日志还没有填写"));
    expect(wednesday.map((e) => e.memberId)).not.toContain(b.li.id);
    expect(wednesday[0]!.subject).toContain("工作日志 1 项");
    await api.put("/v1/worklogs/settings", { remindMissing: false }, b.admin);
  });

  it("leaders hear 「待打分」 for summaries waiting, and 「待点评」 on the month's last working day — one digest each", async () => {
    const july = await preview("2026-07-01");
    const zhao = july.filter((e) => e.memberId === b.zhao.id);
    expect(zhao).toHaveLength(1);
    expect(zhao[0]!.text).toContain("李一：2026-06 月度小结已提交，待打分");
    expect(zhao[0]!.text).not.toContain("王二：2026-06");
    const monthEnd = (await preview("2026-06-30")).find((e) => e.memberId === b.zhao.id)!;
    expect(monthEnd.text).toContain("本月团队有 3 天的日志还没有点评");
    expect(monthEnd.text).toContain("/worklog/team");
  });
});
