import { beforeAll, describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem } from "../support/api.js";
import { bureauWithChecklist, todayInShanghai } from "./fixture.js";

let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
const today = todayInShanghai();
/** From 2027 on the wish (due 2026-12-31) is finished late: its late points (⌊5/2⌋ = 2) instead of 5. */
const wishPoints = today > "2026-12-31" ? 2 : 5;

const api = apiForSuite();
beforeAll(async () => {
  b = await bureauWithChecklist(api);
});

const taskOf = async (token: string, query: string) => (await api.get(`/v1/tasks?limit=200&${query}`, token)).body.data as any[];

describe("define: checklists and items", () => {
  it("previews the year's dates, rolled off weekends and holidays, before publishing", async () => {
    const preview = await api.get(`/v1/checklists/${b.checklist.id}/preview`, b.admin);
    expect(preview.status).toBe(200);
    const theme = preview.body.items.find((i: any) => i.itemId === b.items.themeDay.id);
    expect(theme.occurrences).toHaveLength(12);
    expect(theme.occurrences[0]).toEqual({ nominalDate: "2026-01-31", dueDate: "2026-02-02", rolledFrom: "周末", periodStart: "2026-01-01" });
    // 2026-02-28 is a Saturday made a working day (调休): it does not roll.
    expect(theme.occurrences[1]).toMatchObject({ nominalDate: "2026-02-28", dueDate: "2026-02-28" });
    expect(theme.tasks).toBe(24); // 12 months × 2 支部
    const national = preview.body.items.find((i: any) => i.itemId === b.items.nationalDay.id);
    expect(national.occurrences).toEqual([{ nominalDate: "2026-10-03", dueDate: "2026-10-08", rolledFrom: "国庆节", periodStart: "2026-01-01" }]);
    expect(national.tasks).toBe(2); // each 支部书记
    const wishes = preview.body.items.find((i: any) => i.itemId === b.items.wishes.id);
    expect(wishes.tasks).toBe(5); // every member homed in the 机关党委's subtree
    expect(preview.body.tasks).toBe(31);
    expect(await taskOf(b.m1.accessToken, "")).toEqual([]);
  });

  it("refuses bad schedules with field paths; a year without holiday data is computed provisionally, not refused", async () => {
    const url = `/v1/checklists/${b.checklist.id}/items`;
    const base = { module: "测试", title: "测试事项", assignees: [{ type: "each_member" }] };
    expect(expectProblem(await api.post(url, { ...base, recurrence: "FREQ=SECONDLY" }, b.admin), 400).errors![0]!.path).toBe("recurrence");
    expect(expectProblem(await api.post(url, { ...base, recurrence: "FREQ=MONTHLY", dueDate: "2026-05-01" }, b.admin), 400).errors![0]!.path).toBe("recurrence");
    expect(expectProblem(await api.post(url, base, b.admin), 400).errors![0]!.path).toBe("recurrence");
    expect(expectProblem(await api.post(url, { ...base, dueDate: "2025-05-01" }, b.admin), 400).errors![0]!.path).toBe("dueDate");
    expect(expectProblem(await api.post(url, { ...base, recurrence: "FREQ=MONTHLY;INTERVAL=6;BYMONTH=6,12" }, b.admin), 400, "checklist.bad_recurrence").errors![0]!.path).toBe("recurrence");
    expect(expectProblem(await api.post(url, { ...base, dueDate: "2026-05-01", assignees: [{ type: "member", memberId: "mem_00000000000000000000000000" }] }, b.admin), 400).errors![0]!.path).toBe("assignees.0");
    const future = (await api.post("/v1/checklists", { title: "2031年度清单", kind: "task", year: 2031 }, b.admin)).body;
    // 2031's arrangement is years away: a Saturday deadline rolls to Monday, weekends only, and says so.
    expect((await api.post(`/v1/checklists/${future.id}/items`, { ...base, dueDate: "2031-03-01" }, b.admin)).status).toBe(201);
    const preview = await api.get(`/v1/checklists/${future.id}/preview`, b.admin);
    expect(preview.body.items[0].occurrences[0]).toMatchObject({ nominalDate: "2031-03-01", dueDate: "2031-03-03", rolledFrom: "周末", calendarProvisional: true });
    expect(preview.body.calendar).toMatchObject({ provisionalYears: [2031], provisionalDates: ["2031-03-03"] });
    expect(preview.body.calendar.notice).toContain("2031 年的法定节假日安排尚未公布");
    const en = await api.get(`/v1/checklists/${future.id}/preview`, b.admin, { "accept-language": "en" });
    expect(en.body.calendar.notice).toMatch(/^China's official holiday arrangement for 2031 has not been published/);
    // An official year's preview has no such notice.
    expect((await api.get(`/v1/checklists/${b.checklist.id}/preview`, b.admin)).body.calendar).toEqual({ provisionalYears: [], provisionalDates: [], notice: null });
  });

  it("lets a secretary define for their own branch only; members see no drafts", async () => {
    const own = await api.post("/v1/checklists", { title: "第一支部学习清单", kind: "learning", year: 2026, branchId: b.branch1.id }, b.sec1.accessToken);
    expect(own.status).toBe(201);
    expectProblem(await api.post("/v1/checklists", { title: "越权", kind: "learning", year: 2026, branchId: b.branch2.id }, b.sec1.accessToken), 403);
    expectProblem(await api.post("/v1/checklists", { title: "全局", kind: "learning", year: 2026 }, b.sec1.accessToken), 403);
    expectProblem(await api.post(`/v1/checklists/${b.checklist.id}/items`, { module: "x", title: "x", dueDate: "2026-12-01", assignees: [{ type: "each_member" }] }, b.sec1.accessToken), 403);
    expectProblem(await api.get(`/v1/checklists/${own.body.id}`, b.m1.accessToken), 404);
    expect((await api.get(`/v1/checklists/${own.body.id}`, b.sec1.accessToken)).status).toBe(200);
  });
});

describe("publish and track", () => {
  beforeAll(async () => {
    const published = await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
    expect(published.status).toBe(200);
    expect(published.body.tasksCreated).toBe(31);
  });

  it("publishes once", async () => {
    expectProblem(await api.post(`/v1/checklists/${b.checklist.id}/publish`, {}, b.admin), 409, "checklist.already_published");
  });

  it("lists a member's tasks (their own and their branch's) with status and urgency from today's date", async () => {
    const mine = await taskOf(b.m1.accessToken, "");
    expect(mine).toHaveLength(13); // 12 主题党日 of 第一支部 + 1 微心愿
    for (const t of mine) {
      const expected = t.dueDate < today ? "overdue" : "open";
      expect(t.status).toBe(expected);
      if (t.dueDate < today) expect(t.urgency).toBe("overdue");
    }
    expect(mine.map((t) => t.dueDate)).toEqual([...mine.map((t) => t.dueDate)].sort());
    const overdue = await taskOf(b.m1.accessToken, "status=overdue");
    expect(overdue.length).toBe(mine.filter((t) => t.dueDate < today).length);
    expect(await taskOf(b.m1.accessToken, `checklistId=${b.checklist.id}&kind=party_affairs&dueBefore=2026-03-31`)).toHaveLength(3);
    expect(await taskOf(b.m1.accessToken, "kind=learning")).toEqual([]);
  });

  it("shows a branch's tasks to its secretary, not to other branches", async () => {
    expect(await taskOf(b.sec1.accessToken, `branchId=${b.branch1.id}`)).toHaveLength(12 + 3 + 1);
    expect(await taskOf(b.m3.accessToken, `branchId=${b.branch1.id}`)).toEqual([]);
    const someone = (await taskOf(b.m1.accessToken, ""))[0];
    expectProblem(await api.get(`/v1/tasks/${someone.id}`, b.m3.accessToken), 404, "task.not_found");
    expectProblem(await api.get(`/v1/tasks/${someone.id}`, b.sec2.accessToken), 404, "task.not_found");
  });

  it("counts records toward the minimum: 不少于2次", async () => {
    const [wish] = await taskOf(b.m1.accessToken, `dueAfter=2026-12-01&dueBefore=2026-12-31&kind=party_affairs`).then((ts) => ts.filter((t) => t.title === "领办微心愿"));
    const record = { doneOn: "2026-06-01", summary: "帮助社区老人修理电动车", attachments: [{ url: "https://files.example.cn/wish-1.jpg", name: "照片" }] };
    expect((await api.post(`/v1/tasks/${wish.id}/records`, record, b.m1.accessToken)).status).toBe(201);
    expectProblem(await api.post(`/v1/tasks/${wish.id}/submit`, {}, b.m1.accessToken), 409, "task.below_minimum");
    // Another member cannot see, let alone record on, someone else's task.
    expectProblem(await api.post(`/v1/tasks/${wish.id}/records`, record, b.m2.accessToken), 404);
    await api.post(`/v1/tasks/${wish.id}/records`, { ...record, doneOn: "2026-07-15", summary: "为留守儿童购买学习用品" }, b.m1.accessToken);
    const done = await api.post(`/v1/tasks/${wish.id}/submit`, {}, b.m1.accessToken);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "done", doneCount: 2, minCount: 2, completedLate: today > "2026-12-31", points: wishPoints });
    expect(done.body.records).toHaveLength(2);
    expectProblem(await api.post(`/v1/tasks/${wish.id}/records`, record, b.m1.accessToken), 409, "task.closed");
  });

  it("reviews strictly: never by a doer; a return needs a reason; a late finish stays late", async () => {
    const [january] = await taskOf(b.m1.accessToken, "dueBefore=2026-02-02");
    expect(january.title).toBe("主题党日");
    const evidence = { doneOn: "2026-01-30", summary: "开展主题党日：学习党章" };
    await api.post(`/v1/tasks/${january.id}/records`, evidence, b.m1.accessToken);
    expectProblem(await api.post(`/v1/tasks/${january.id}/submit`, {}, b.m1.accessToken), 409, "task.evidence_missing");
    await api.post(`/v1/tasks/${january.id}/records`, { ...evidence, attachments: [{ url: "https://files.example.cn/jan.pdf" }] }, b.m2.accessToken);
    const submitted = await api.post(`/v1/tasks/${january.id}/submit`, {}, b.m1.accessToken);
    expect(submitted.body.status).toBe("submitted");

    expectProblem(await api.post(`/v1/tasks/${january.id}/review`, { decision: "approve" }, b.m2.accessToken), 403);
    // The 支部书记 is one of the doers of the 支部's own task.
    expectProblem(await api.post(`/v1/tasks/${january.id}/review`, { decision: "approve" }, b.sec1.accessToken), 403, "task.reviewer_is_doer");
    expect(expectProblem(await api.post(`/v1/tasks/${january.id}/review`, { decision: "return" }, b.admin), 400).errors![0]!.path).toBe("reason");
    const returned = await api.post(`/v1/tasks/${january.id}/review`, { decision: "return", reason: "缺少会议记录" }, b.admin);
    expect(returned.body).toMatchObject({ status: "overdue", returnCount: 1 });
    expectProblem(await api.post(`/v1/tasks/${january.id}/review`, { decision: "approve" }, b.admin), 409, "task.not_submitted");
    await api.post(`/v1/tasks/${january.id}/submit`, {}, b.m2.accessToken);
    const approved = await api.post(`/v1/tasks/${january.id}/review`, { decision: "approve" }, b.admin);
    // Submitted after 2026-02-02: late points 6, less 2 for the return.
    expect(approved.body).toMatchObject({ status: "done", completedLate: true, points: 4, returnCount: 1 });
    expect(approved.body.reviews.map((r: any) => r.decision)).toEqual(["returned", "approved"]);
  });

  it("keeps ledgers from the records: per member and per branch, JSON and CSV, with rankings and explained scores", async () => {
    const members = await api.get("/v1/reports/checklists?period=2026&groupBy=member", b.admin);
    const m1 = members.body.data.find((r: any) => r.id === b.m1.id);
    expect(m1).toMatchObject({ name: "钱党员", branchName: "第一支部", assigned: 1, done: 1, points: wishPoints, shortfall: 0 });
    const m2 = members.body.data.find((r: any) => r.id === b.m2.id);
    expect(m2).toMatchObject({ assigned: 1, done: 0, shortfall: 2 });
    const branches = await api.get("/v1/reports/checklists?period=2026&groupBy=branch", b.admin);
    const first = branches.body.data.find((r: any) => r.id === b.branch1.id);
    expect(first).toMatchObject({ name: "第一支部", assigned: 16, done: 2, onTime: today > "2026-12-31" ? 0 : 1, late: today > "2026-12-31" ? 2 : 1, returns: 1, points: wishPoints + 4 });
    const q1 = await api.get("/v1/reports/checklists?period=2026-Q1&groupBy=branch", b.admin);
    expect(q1.body.data.find((r: any) => r.id === b.branch1.id)).toMatchObject({ assigned: 3, done: 1, late: 1, points: 4 });

    const csv = await api.target.fetch("/v1/reports/checklists?period=2026&groupBy=member", { headers: { authorization: `Bearer ${b.admin}`, accept: "text/csv" } });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // The byte-order mark Excel and WPS need to read the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(lines[0]).toBe("成员,所在组织,应完成,已完成,按时完成,逾期完成,已逾期,未到期,次数差额,退回次数,得分");
    expect(lines).toContain(`钱党员,第一支部,1,1,${today > "2026-12-31" ? "0,1" : "1,0"},0,0,0,0,${wishPoints}`);

    const ranking = await api.get("/v1/reports/checklists/rankings?period=2026&groupBy=branch", b.admin);
    expect(ranking.body.data[0]).toMatchObject({ rank: 1, id: b.branch1.id, points: wishPoints + 4 });

    const scores = await api.get(`/v1/reports/checklists/scores?memberId=${b.m1.id}&period=2026`, b.m1.accessToken);
    expect(scores.body.total).toBe(wishPoints);
    expect(scores.body.tasks[0].explanation).toContain(`${wishPoints} 分`);
    expectProblem(await api.get(`/v1/reports/checklists/scores?memberId=${b.m1.id}&period=2026`, b.m3.accessToken), 403);
    // A member's ledger shows only their own row.
    const own = await api.get("/v1/reports/checklists?period=2026", b.m3.accessToken);
    expect(own.body.data.map((r: any) => r.id)).toEqual([b.m3.id]);
    expect(expectProblem(await api.get("/v1/reports/checklists?period=2026-Q5", b.admin), 400).errors![0]!.path).toBe("query.period");
  });
});
