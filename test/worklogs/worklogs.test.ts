import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";
import { download, upload } from "../files/upload.js";
import { png } from "../files/fixtures.js";
import { day, fullScore, type LogBureau, logBureau } from "./fixture.js";

let b: LogBureau;
const api = apiForSuite();
beforeAll(async () => {
  b = await logBureau(api);
});

const month = (memberId: string, m: string, token: string) => api.get(`/v1/worklogs/members/${memberId}/months/${m}`, token);

describe("电子日志: writing a day", () => {
  it("a member writes a day; it reads back in their month with the rollup and June 2026's 21 working days (端午 off)", async () => {
    const written = await api.put("/v1/worklogs/days/2026-06-15", day(), b.li.accessToken);
    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({ memberId: b.li.id, date: "2026-06-15", kind: "work", hours: 7.5, corrections: 0 });
    expect(written.body.items[0]).toEqual({ text: "参加支部主题党日，学习二十届四中全会精神", category: "party", hours: 2, place: "三楼会议室", fileIds: [] });
    const leave = await api.put("/v1/worklogs/days/2026-06-16", { kind: "leave" }, b.li.accessToken);
    expect(leave.status).toBe(201);
    const mine = await month(b.li.id, "2026-06", b.li.accessToken);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ memberName: "李一", closed: false, leaderId: b.zhao.id, daysWritten: 1, leaveDays: 1, summary: null, score: null });
    expect(mine.body.workingDates).toHaveLength(21);
    expect(mine.body.workingDates).not.toContain("2026-06-19");
    expect(mine.body.days.map((d: { date: string }) => d.date)).toEqual(["2026-06-15", "2026-06-16"]);
  });

  it("rewriting the day in an open month edits it in place (audited with its before); the rollup still counts the day once", async () => {
    const audit = await api.auditCount(b.admin);
    const again = await api.put("/v1/worklogs/days/2026-06-15", day({ items: [{ text: "改：只审核了施工图", category: "business" }] }), b.li.accessToken);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ hours: null, items: [{ text: "改：只审核了施工图", category: "business", hours: null, place: null }] });
    expect(await api.auditCount(b.admin)).toBe(audit + 1);
    const trail = await api.get(`/v1/audit?entityType=worklog_entry&entityId=${again.body.id}`, b.admin);
    expect(trail.body.data[0]).toMatchObject({ action: "worklog_entry.updated", before: { items: [expect.objectContaining({ category: "party" }), expect.anything()] } });
    expect((await month(b.li.id, "2026-06", b.li.accessToken)).body.daysWritten).toBe(1);
  });

  it("refuses bad days with field paths and writes nothing: unknown category, no items, > 24 hours, a future date", async () => {
    const audit = await api.auditCount(b.admin);
    expect(expectProblem(await api.put("/v1/worklogs/days/2026-06-17", day({ items: [{ text: "x", category: "nope" }] }), b.li.accessToken), 400).errors![0]!.path).toBe("items.0.category");
    expect(expectProblem(await api.put("/v1/worklogs/days/2026-06-17", { kind: "work", items: [] }, b.li.accessToken), 400).errors![0]!.path).toBe("items");
    expect(expectProblem(await api.put("/v1/worklogs/days/2026-06-17", day({ items: [{ text: "a", category: "party", hours: 20 }, { text: "b", category: "party", hours: 5 }] }), b.li.accessToken), 400).errors![0]!.path).toBe("items");
    expect(expectProblem(await api.put("/v1/worklogs/days/2099-01-05", day(), b.li.accessToken), 400).errors![0]!.path).toBe("date");
    expectProblem(await api.put("/v1/worklogs/days/2026-02-30", day(), b.li.accessToken), 400);
    expect(await api.auditCount(b.admin)).toBe(audit);
  });

  it("photos: attached through the files API, read by the member's leader, not by another branch's secretary", async () => {
    const up = await upload(api, b.li.accessToken, png({ seed: 17 }), { type: "image/png", name: "现场.png" });
    expect(up.status).toBe(201);
    const written = await api.put("/v1/worklogs/days/2026-06-18", day({ items: [{ text: "走访群众", category: "service", fileIds: [up.body.id] }] }), b.li.accessToken);
    expect(written.status).toBe(201);
    expect(written.body.files.map((f: { id: string }) => f.id)).toEqual([up.body.id]);
    expect((await download(api, `/v1/files/${up.body.id}`, b.zhao.accessToken)).status).toBe(200);
    expect((await download(api, `/v1/files/${up.body.id}`, b.qian.accessToken)).status).toBe(404);
    // Someone else's upload cannot be attached.
    const theirs = await upload(api, b.wang.accessToken, png({ seed: 18 }), { type: "image/png", name: "x.png" });
    expect(expectProblem(await api.put("/v1/worklogs/days/2026-06-18", day({ items: [{ text: "x", category: "service", fileIds: [theirs.body.id] }] }), b.li.accessToken), 400).errors![0]!.path).toBe("items.0.fileIds.0");
  });
});

describe("电子日志: the leader", () => {
  it("sees the team's day (who wrote, who did not), comments (点评); others cannot", async () => {
    await api.put("/v1/worklogs/days/2026-06-22", day(), b.li.accessToken);
    const team = await api.get("/v1/worklogs/team?date=2026-06-22", b.zhao.accessToken);
    expect(team.status).toBe(200);
    expect(team.body.workingDay).toBe(true);
    expect(team.body.data.map((r: { name: string; written: boolean }) => [r.name, r.written])).toEqual([["王二", false], ["李一", true]]);
    const entryId = team.body.data[1].entryId;
    expect(team.body.data[1]).toMatchObject({ items: 2, hours: 7.5, categories: ["party", "business"] });
    expect((await api.get("/v1/worklogs/team?date=2026-06-22", b.qian.accessToken)).body.data.map((r: { name: string }) => r.name)).toEqual(["陈三"]);

    const review = await api.post(`/v1/worklogs/entries/${entryId}/comments`, { body: "施工图意见要跟踪落实" }, b.zhao.accessToken);
    expect(review.status).toBe(201);
    expect(review.body).toMatchObject({ kind: "review", authorName: "赵书记" });
    expectProblem(await api.post(`/v1/worklogs/entries/${entryId}/comments`, { body: "我也说两句" }, b.qian.accessToken), 404, "worklog_entry.not_found");
    expectProblem(await api.post(`/v1/worklogs/entries/${entryId}/comments`, { body: "自评" }, b.li.accessToken), 404, "worklog_entry.not_found");
    const seen = await month(b.li.id, "2026-06", b.li.accessToken);
    expect(seen.body.days.find((d: { id: string }) => d.id === entryId).comments).toEqual([expect.objectContaining({ body: "施工图意见要跟踪落实", authorId: b.zhao.id })]);
    // A colleague and another branch's secretary may not read the log.
    expectProblem(await month(b.li.id, "2026-06", b.wang.accessToken), 404, "member.not_found");
    expectProblem(await month(b.li.id, "2026-06", b.qian.accessToken), 404, "member.not_found");
  });

  it("交办: the leader hands a task; it is in the member's 待办, and when done, in that day's log", async () => {
    const given = await api.post("/v1/worklogs/assignments", { memberId: b.wang.id, title: "整理人民路项目问题台账", dueDate: "2026-12-31" }, b.zhao.accessToken);
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ status: "open", memberName: "王二", assignedByName: "赵书记" });
    expectProblem(await api.post("/v1/worklogs/assignments", { memberId: b.wang.id, title: "越权交办" }, b.qian.accessToken), 404, "member.not_found");
    expectProblem(await api.post("/v1/worklogs/assignments", { memberId: b.wang.id, title: "同事交办" }, b.li.accessToken), 404, "member.not_found");
    const todo = await api.get("/v1/worklogs/assignments?status=open", b.wang.accessToken);
    expect(todo.body.data.map((a: { id: string }) => a.id)).toEqual([given.body.id]);
    const done = await api.post(`/v1/worklogs/assignments/${given.body.id}/done`, { note: "已整理 37 条" }, b.wang.accessToken);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "done", doneNote: "已整理 37 条" });
    expectProblem(await api.post(`/v1/worklogs/assignments/${given.body.id}/done`, {}, b.wang.accessToken), 409, "worklog.assignment_done");
    expectProblem(await api.post(`/v1/worklogs/assignments/${given.body.id}/done`, {}, b.li.accessToken), 404, "worklog_assignment.not_found");
    const log = await month(b.wang.id, done.body.doneDate.slice(0, 7), b.wang.accessToken);
    expect(log.body.assignmentsDone).toEqual([{ id: given.body.id, title: "整理人民路项目问题台账", doneDate: done.body.doneDate, doneNote: "已整理 37 条" }]);
    expect((await api.get("/v1/worklogs/assignments?role=assigner", b.zhao.accessToken)).body.data.map((a: { id: string }) => a.id)).toContain(given.body.id);
  });
});

describe("电子日志: 每月小结, 月度打分, disputes", () => {
  it("the leader scores after the summary against the rubric; the score is frozen with its rubric version", async () => {
    await api.put("/v1/worklogs/days/2026-06-23", day(), b.wang.accessToken);
    expectProblem(await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, fullScore, b.zhao.accessToken), 409, "worklog.summary_missing");
    const summary = await api.put("/v1/worklogs/months/2026-06/summary", { summary: "本月完成项目审图 3 项，走访群众 5 户。" }, b.wang.accessToken);
    expect(summary.status).toBe(200);
    expect(expectProblem(await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, { items: [{ key: "results", points: 41 }, ...fullScore.items.slice(1)] }, b.zhao.accessToken), 400).errors![0]!.path).toBe("items.0.points");
    expect(expectProblem(await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, { items: fullScore.items.slice(1) }, b.zhao.accessToken), 400).errors![0]!.path).toBe("items");
    expect(expectProblem(await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, { items: [...fullScore.items, { key: "bonus", points: 1 }] }, b.zhao.accessToken), 400).errors![0]!.path).toBe("items.4.key");
    // Only the member's leader scores: not the bureau's admin, not another secretary, not the member.
    expectProblem(await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, fullScore, b.admin), 403, "auth.forbidden");
    expectProblem(await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, fullScore, b.qian.accessToken), 404, "member.not_found");
    expectProblem(await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, fullScore, b.wang.accessToken), 403, "auth.forbidden");
    const scored = await api.put(`/v1/worklogs/members/${b.wang.id}/months/2026-06/score`, fullScore, b.zhao.accessToken);
    expect(scored.status).toBe(200);
    expect(scored.body).toMatchObject({ score: 91, rubricVersion: 1, scoredBy: b.zhao.id, scoreComment: "工作扎实，日志详实" });
    expectProblem(await api.put("/v1/worklogs/months/2026-06/summary", { summary: "改小结" }, b.wang.accessToken), 409, "worklog.already_scored");

    // The bureau changes its rubric: the given score keeps the old version and items.
    const rubric = [{ key: "results", name: "工作实绩", max: 50 }, { key: "attitude", name: "工作态度", max: 25 }, { key: "discipline", name: "纪律作风", max: 25 }];
    const settings = await api.put("/v1/worklogs/settings", { rubric }, b.admin);
    expect(settings.body).toMatchObject({ rubricVersion: 2, weight: 40, remindMissing: false });
    const mine = await month(b.wang.id, "2026-06", b.wang.accessToken);
    expect(mine.body).toMatchObject({ score: 91, rubricVersion: 1, scoreComment: "工作扎实，日志详实" });
    expect(mine.body.scoreItems.map((i: { key: string; points: number }) => [i.key, i.points])).toEqual([["results", 36], ["attitude", 18], ["quality", 17], ["discipline", 20]]);
    expect(expectProblem(await api.put("/v1/worklogs/settings", { rubric: [{ key: "a", name: "甲", max: 60 }] }, b.admin), 400).errors![0]!.path).toBe("rubric");

    // Disputes: a thread between the member and the leader, audited; a colleague cannot join.
    const audit = await api.auditCount(b.admin);
    expect((await api.post(`/v1/worklogs/members/${b.wang.id}/months/2026-06/disputes`, { body: "纪律作风一项请复核：6 月 19 日为端午假期" }, b.wang.accessToken)).status).toBe(201);
    expect((await api.post(`/v1/worklogs/members/${b.wang.id}/months/2026-06/disputes`, { body: "已复核，维持" }, b.zhao.accessToken)).status).toBe(201);
    expectProblem(await api.post(`/v1/worklogs/members/${b.wang.id}/months/2026-06/disputes`, { body: "围观" }, b.li.accessToken), 404, "member.not_found");
    expect(await api.auditCount(b.admin)).toBe(audit + 2);
    expect((await month(b.wang.id, "2026-06", b.zhao.accessToken)).body.disputes.map((d: { authorName: string }) => d.authorName)).toEqual(["王二", "赵书记"]);
    expectProblem(await api.post(`/v1/worklogs/members/${b.li.id}/months/2026-06/disputes`, { body: "未打分" }, b.li.accessToken), 409, "worklog.not_scored");

    const sheet = await api.get("/v1/worklogs/scoring?month=2026-06", b.zhao.accessToken);
    expect(sheet.body.rubricVersion).toBe(2);
    expect(sheet.body.workingDays).toBe(21);
    expect(sheet.body.data.map((r: { name: string; score: number | null; daysWritten: number; mine: boolean }) => [r.name, r.score, r.daysWritten, r.mine])).toEqual([["李一", null, 3, true], ["王二", 91, 1, true]]);
    const branchSheet = await api.get(`/v1/worklogs/scoring?month=2026-06&branchId=${b.branch.id}`, b.admin);
    expect(branchSheet.body.data.map((r: { name: string }) => r.name)).toEqual(["李一", "王二", "赵书记"]);
    expectProblem(await api.get(`/v1/worklogs/scoring?month=2026-06&branchId=${b.branch.id}`, b.qian.accessToken), 404, "branch.not_found");
  });

  it("a leader who is no longer the leader cannot score, comment or hand tasks; the new leader can", async () => {
    await api.put("/v1/worklogs/days/2026-06-24", day(), b.li.accessToken);
    await api.put("/v1/worklogs/months/2026-06/summary", { summary: "六月小结" }, b.li.accessToken);
    const entry = (await month(b.li.id, "2026-06", b.li.accessToken)).body.days.at(-1).id;
    // The bureau makes 钱书记 李一's 分管领导.
    expect((await api.put(`/v1/worklogs/leaders/member/${b.li.id}`, { leaderId: b.qian.id }, b.admin)).status).toBe(200);
    // 赵书记 still oversees 第一支部 as its secretary (reads the log) but no longer leads 李一.
    expect((await month(b.li.id, "2026-06", b.zhao.accessToken)).body.leaderId).toBe(b.qian.id);
    expectProblem(await api.put(`/v1/worklogs/members/${b.li.id}/months/2026-06/score`, fullScore, b.zhao.accessToken), 403, "auth.forbidden");
    expectProblem(await api.post("/v1/worklogs/assignments", { memberId: b.li.id, title: "交办" }, b.zhao.accessToken), 403, "auth.forbidden");
    expectProblem(await api.post(`/v1/worklogs/entries/${entry}/comments`, { body: "点评" }, b.zhao.accessToken), 404, "worklog_entry.not_found");
    expect((await api.get("/v1/worklogs/team?date=2026-06-24", b.zhao.accessToken)).body.data.map((r: { name: string }) => r.name)).toEqual(["王二"]);
    // The rubric is version 2 by now (the test above changed it).
    const v2 = { items: [{ key: "results", points: 45 }, { key: "attitude", points: 20 }, { key: "discipline", points: 25 }] };
    expect((await api.put(`/v1/worklogs/members/${b.li.id}/months/2026-06/score`, v2, b.qian.accessToken)).body).toMatchObject({ score: 90, rubricVersion: 2 });
    // Removing the override gives 李一 back to the branch secretary.
    await api.put(`/v1/worklogs/leaders/member/${b.li.id}`, { leaderId: null }, b.admin);
    expect((await month(b.li.id, "2026-06", b.li.accessToken)).body.leaderId).toBe(b.zhao.id);
    expectProblem(await api.put(`/v1/worklogs/leaders/member/${b.li.id}`, { leaderId: b.li.id }, b.admin), 400);
  });
});

describe("电子日志: closing a month", () => {
  it("a closed month takes only appended corrections with a reason; readers see the corrected day, the rollup follows", async () => {
    await api.put("/v1/worklogs/days/2026-05-11", day(), b.chen.accessToken);
    await api.put("/v1/worklogs/days/2026-05-12", day(), b.chen.accessToken);
    expectProblem(await api.post("/v1/worklogs/days/2026-05-11/corrections", { kind: "leave", reason: "当天请假，误填" }, b.chen.accessToken), 409, "worklog.month_open");
    expectProblem(await api.post("/v1/worklogs/months/2026-05/close", undefined, b.qian.accessToken), 403, "auth.forbidden");
    expect((await api.post("/v1/worklogs/months/2026-05/close", undefined, b.admin)).status).toBe(201);
    expectProblem(await api.post("/v1/worklogs/months/2026-05/close", undefined, b.admin), 409, "worklog.month_closed");
    expectProblem(await api.put("/v1/worklogs/days/2026-05-11", day(), b.chen.accessToken), 409, "worklog.month_closed");
    expectProblem(await api.put("/v1/worklogs/days/2026-05-13", day(), b.chen.accessToken), 409, "worklog.month_closed");
    expectProblem(await api.post("/v1/worklogs/days/2026-05-13/corrections", { kind: "leave", reason: "补" }, b.chen.accessToken), 404, "worklog_entry.not_found");
    expect(expectProblem(await api.post("/v1/worklogs/days/2026-05-11/corrections", { kind: "leave" }, b.chen.accessToken), 400).errors![0]!.path).toBe("reason");

    const fixed = await api.post("/v1/worklogs/days/2026-05-11/corrections", { kind: "leave", reason: "当天请假，误填" }, b.chen.accessToken);
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({ seq: 1, kind: "leave", reason: "当天请假，误填" });
    const again = await api.post("/v1/worklogs/days/2026-05-11/corrections", day({ reason: "又去了半天" }), b.chen.accessToken);
    expect(again.body, JSON.stringify(again.body)).toMatchObject({ seq: 2 });
    const may = await month(b.chen.id, "2026-05", b.qian.accessToken);
    expect(may.body).toMatchObject({ closed: true, daysWritten: 2, leaveDays: 0 });
    expect(may.body.days[0]).toMatchObject({ date: "2026-05-11", kind: "work", corrections: 2 });
    await api.post("/v1/worklogs/days/2026-05-12/corrections", { kind: "leave", reason: "请假" }, b.chen.accessToken);
    expect((await month(b.chen.id, "2026-05", b.chen.accessToken)).body).toMatchObject({ daysWritten: 1, leaveDays: 1 });
    // The first writing stays in the audit trail.
    const trail = await api.get(`/v1/audit?entityType=worklog_entry&entityId=${may.body.days[0].id}`, b.admin);
    expect(trail.body.data.map((a: { action: string }) => a.action)).toEqual(["worklog_entry.corrected", "worklog_entry.corrected", "worklog_entry.created"]);
    expectProblem(await api.put(`/v1/worklogs/members/${b.chen.id}/months/2026-05/score`, fullScore, b.qian.accessToken), 409, "worklog.month_closed");
  });

  it("a month that is not over cannot be closed", async () => {
    expectProblem(await api.post("/v1/worklogs/months/2099-12/close", undefined, b.admin), 409, "worklog.month_not_over");
    expectProblem(await api.put("/v1/worklogs/months/2099-12/summary", { summary: "未来" }, b.li.accessToken), 409, "worklog.month_not_over");
  });
});
