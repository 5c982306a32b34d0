import { expect } from "vitest";
import type { Api } from "../support/api.js";
import { bureau } from "../projects/fixture.js";

/**
 * The issue-12 story on fixed dates: a 2027 checklist and a problem clock that runs into 2027 are
 * computed while 2027 has no official arrangement, then the (test-only, NOT official) 2027 fixture is
 * imported and the tenant's dates are re-rolled. The fixture has National Day 2027-10-01…07 with
 * make-up Saturday 10-09, 元旦 2027-01-01…03 and a make-up Saturday on 2027-02-20.
 */
export async function provisionalBureau(api: Api) {
  const b = await bureau(api);
  const member = b.handler;
  const checklist = (await api.post("/v1/checklists", { title: "2027年度任务清单", kind: "task", year: 2027 }, b.admin)).body;
  const fixed = (await api.post(`/v1/checklists/${checklist.id}/items`, { module: "宣传教育", title: "国庆主题宣讲", dueDate: "2027-10-04", assignees: [{ type: "member", memberId: member.id }] }, b.admin)).body;
  const daily = (await api.post(`/v1/checklists/${checklist.id}/items`, { module: "日常", title: "每日巡查", preset: { id: "every_working_day" }, assignees: [{ type: "member", memberId: member.id }] }, b.admin)).body;
  const published = await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2027-01-01" }, b.admin);
  expect(published.status).toBe(200);
  expect(published.body.calendar.provisionalYears).toEqual([2027]);
  expect(published.body.calendar.notice).toContain("2027 年的法定节假日安排尚未公布");

  // Forty working days from Friday 2026-11-27 run into January 2027.
  expect((await api.put("/v1/issue-categories/forty_day", { name: "四十个工作日", ackDays: 1, ackUnit: "working_days", resolveDays: 40, resolveUnit: "working_days" }, b.admin)).status).toBe(200);
  const problem = await b.raise({ category: "forty_day", raisedAt: "2026-11-27T10:00:00+08:00" });
  expect(problem).toMatchObject({ calendarProvisional: true, resolveDueAt: new Date("2027-01-22T10:00:00+08:00").toISOString() });

  const before = await tasksOf(api, member.accessToken, checklist.id);
  expect(before.find((t) => t.itemId === fixed.id)).toMatchObject({ dueDate: "2027-10-04", calendarProvisional: true });
  const dailyDates = before.filter((t) => t.itemId === daily.id).map((t) => t.dueDate);
  expect(dailyDates).toContain("2027-10-01");
  expect(dailyDates).not.toContain("2027-10-09");

  // The member's iCal feed says which dates may still move.
  const feed = (await api.post("/v1/me/calendar-feed", undefined, member.accessToken)).body as { url: string };
  const ics = async () => String((await api.get(new URL(feed.url).pathname)).body).replace(/\r\n[ \t]/g, "");
  expect(await ics()).toContain("截止日暂按周末推算");
  return { b, member, checklist, fixed, daily, problem, ics };
}

export async function expectRerolled(api: Api, s: Awaited<ReturnType<typeof provisionalBureau>>) {
  const after = await tasksOf(api, s.member.accessToken, s.checklist.id);
  expect(after.find((t) => t.itemId === s.fixed.id)).toMatchObject({ dueDate: "2027-10-08", calendarProvisional: false });
  const daily = after.filter((t) => t.itemId === s.daily.id);
  const dates = daily.map((t) => t.dueDate);
  expect(dates).not.toContain("2027-10-01");
  expect(dates).toContain("2027-10-09");
  expect(dates).toContain("2027-02-20");
  expect(daily.every((t) => !t.calendarProvisional)).toBe(true);

  expect(await s.ics()).not.toContain("暂按周末推算");

  const problem = (await api.get(`/v1/issues/${s.problem.id}`, s.b.admin)).body;
  expect(problem).toMatchObject({ calendarProvisional: false, resolveDueAt: new Date("2027-01-25T10:00:00+08:00").toISOString(), ackDueAt: s.problem.ackDueAt });

  const audit = (await api.get("/v1/audit?limit=200", s.b.admin)).body.data as { action: string; after: any }[];
  const rerolled = audit.filter((a) => a.action === "calendar.rerolled");
  expect(rerolled).toHaveLength(1);
  expect(rerolled[0]!.after).toMatchObject({ tasksMoved: 1, problemsMoved: 1, tasksRemoved: 17, tasksAdded: 4 });

  // 「截止日期调整」 in the member's next digest (a fixed working day), with the old date.
  const preview = await api.get("/v1/reminders/preview?date=2026-12-01", s.b.admin);
  const mine = preview.body.emails.find((e: any) => e.memberId === s.member.id);
  expect(mine.subject).toContain("截止日期调整 2 项");
  expect(mine.text).toContain("截止日期调整");
  expect(mine.text).toContain("国庆主题宣讲");
  expect(mine.text).toContain("原定 2027-10-04");
  expect(mine.text).toContain("原定 2027-01-22");
}

async function tasksOf(api: Api, token: string, checklistId: string) {
  const all: { id: string; itemId: string; dueDate: string; calendarProvisional: boolean }[] = [];
  let cursor: string | null = null;
  do {
    const reply: any = await api.get(`/v1/tasks?limit=200&checklistId=${checklistId}${cursor ? `&cursor=${cursor}` : ""}`, token);
    expect(reply.status).toBe(200);
    all.push(...reply.body.data);
    cursor = reply.body.nextCursor;
  } while (cursor);
  return all;
}
