import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";
import { answerAll, type ExamBureau, examBureau, paperBody, publishedPaper, rightAnswers, sheetRows } from "./fixture.js";

const api = apiForSuite();
let b: ExamBureau;
beforeAll(async () => {
  b = await examBureau(api);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the question bank", () => {
  it("imports the common sheet layout with a dry run, names every bad row by its line, and a second run changes nothing", async () => {
    const t = await api.signUp();
    const before = await api.auditCount(t.accessToken);
    const dry = await api.post("/v1/exams/questions/import", { rows: sheetRows(), dryRun: true }, t.accessToken);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 5, updated: 0, unchanged: 0 });
    expect(dry.body.rows.every((r: { questionId: string | null }) => r.questionId === null)).toBe(true);
    expect(await api.auditCount(t.accessToken)).toBe(before);

    const bad = [
      ...sheetRows().slice(0, 2),
      { line: 7, type: "问答", stem: "什么是党？", answer: "略" },
      { line: 8, type: "单选", stem: "只有一个选项", optionA: "甲", answer: "B" },
      { line: 9, type: "判断", stem: "地球是平的。", answer: "也许" },
      { line: 10, type: "单选", stem: "中国共产党的最高领导机关是？", optionA: "甲", optionB: "乙", answer: "A" },
    ];
    const refused = expectProblem(await api.post("/v1/exams/questions/import", { rows: bad }, t.accessToken), 400, "validation.failed");
    const paths = refused.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["rows.2.type", "rows.3.options", "rows.3.answer", "rows.4.answer", "rows.5.stem"]));
    expect(refused.errors!.find((e) => e.path === "rows.2.type")!.message).toMatch(/^第 7 行：/);
    expect(refused.detail).toBe("4 行有误，未导入任何数据");
    const english = await api.call("POST", "/v1/exams/questions/import", { body: { rows: bad }, token: t.accessToken, headers: { "accept-language": "en" } });
    expect(english.body.errors.find((e: { path: string }) => e.path === "rows.4.answer").message).toMatch(/^Line 9: A true\/false answer/);
    expect(await api.auditCount(t.accessToken)).toBe(before);

    const real = await api.post("/v1/exams/questions/import", { rows: sheetRows() }, t.accessToken);
    expect(real.body).toMatchObject({ dryRun: false, created: 5 });
    const again = await api.post("/v1/exams/questions/import", { rows: sheetRows() }, t.accessToken);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    const list = await api.get("/v1/exams/questions?tag=%E5%85%9A%E7%AB%A0", t.accessToken);
    expect(list.body.data.map((q: { type: string }) => q.type).sort()).toEqual(["judge", "multiple", "single"]);
    const fill = (await api.get("/v1/exams/questions?type=fill", t.accessToken)).body.data[0];
    expect(fill).toMatchObject({ answer: ["1921", "上海|嘉兴"], tags: ["党史"], options: [] });
    const multiple = (await api.get("/v1/exams/questions?type=multiple", t.accessToken)).body.data[0];
    expect(multiple).toMatchObject({ answer: ["A", "B", "C", "D"], tags: ["党章", "理论"], difficulty: 3 });
  });

  it("refuses a question whose parts do not fit its type, with field paths", async () => {
    const wrong = expectProblem(await api.post("/v1/exams/questions", { type: "single", stem: "题", options: [{ key: "A", text: "甲" }, { key: "B", text: "乙" }], answer: ["A", "B"] }, b.admin), 400, "validation.failed");
    expect(wrong.errors!.map((e) => e.path)).toContain("answer");
    const judge = expectProblem(await api.post("/v1/exams/questions", { type: "judge", stem: "题", options: [{ key: "A", text: "甲" }], answer: ["yes"] }, b.admin), 400);
    expect(judge.errors!.map((e) => e.path).sort()).toEqual(["answer", "options"]);
  });
});

describe("taking a paper", () => {
  it("never sends the keys or explanations to the phone before submitting, saves idempotently, resumes, and scores on submit", async () => {
    const paperId = await publishedPaper(api, b);
    const started = await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.member.accessToken);
    expect(started.status).toBe(200);
    const attempt = started.body;
    expect(attempt.items).toHaveLength(5);
    expect(attempt.maxScore).toBe(2 + 4 + 1 + 3 + 2);
    const raw = JSON.stringify(attempt);
    for (const row of sheetRows()) expect(raw).not.toContain(row.explanation);
    for (const item of attempt.items) {
      expect(item).not.toHaveProperty("answer");
      expect(item).not.toHaveProperty("explanation");
      expect(item).not.toHaveProperty("correct");
    }
    expect(attempt.items.find((i: { type: string }) => i.type === "fill").blanks).toBe(2);
    expect(Date.parse(attempt.deadline) - Date.parse(attempt.startedAt)).toBe(60 * 60_000);
    // The paper itself shows a member no questions either.
    const paper = await api.get(`/v1/exams/papers/${paperId}`, b.member.accessToken);
    expect(paper.body).not.toHaveProperty("questions");

    const first = attempt.items[0];
    const put = (body: unknown) => api.put(`/v1/exams/attempts/${attempt.id}/answers/${first.position}`, body, b.member.accessToken);
    const saved = await put({ answer: ["B"], rev: 2 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ position: first.position, rev: 2 });
    expect((await put({ answer: ["B"], rev: 2 })).body).toEqual(saved.body);
    // An older save arriving late does not overwrite the newer one.
    expect((await put({ answer: ["C"], rev: 1 })).body.rev).toBe(2);
    expectProblem(await api.put(`/v1/exams/attempts/${attempt.id}/answers/6`, { answer: ["A"], rev: 1 }, b.member.accessToken), 400, "validation.failed");
    expectProblem(await api.put(`/v1/exams/attempts/${attempt.id}/answers/1`, { answer: ["A"], rev: 9 }, b.peer.accessToken), 404, "exam_attempt.not_found");
    expectProblem(await api.get(`/v1/exams/attempts/${attempt.id}`, b.peer.accessToken), 404);

    // A dropped connection resumes where it was: the same attempt, the saved answer.
    const resumed = await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.member.accessToken);
    expect(resumed.body.id).toBe(attempt.id);
    expect(resumed.body.items.map((i: { questionId: string }) => i.questionId)).toEqual(attempt.items.map((i: { questionId: string }) => i.questionId));
    expect(resumed.body.items[0]).toMatchObject({ myAnswer: ["B"], rev: 2 });

    await answerAll(api, b.member.accessToken, attempt, (stem) => stem !== "安全生产工作坚持什么方针？", 3);
    const result = await api.post(`/v1/exams/attempts/${attempt.id}/submit`, {}, b.member.accessToken);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: "submitted", score: 10, maxScore: 12, passed: true, released: true });
    const missed = result.body.items.find((i: { stem: string }) => i.stem === "安全生产工作坚持什么方针？");
    expect(missed).toMatchObject({ correct: false, earned: 0, answer: ["A"], myAnswer: ["B"], explanation: "《安全生产法》第三条。" });
    const fill = result.body.items.find((i: { type: string }) => i.type === "fill");
    expect(fill).toMatchObject({ correct: true, earned: 3, answer: ["1921", "上海|嘉兴"] });
    expect((await api.post(`/v1/exams/attempts/${attempt.id}/submit`, {}, b.member.accessToken)).body.score).toBe(10);
    expectProblem(await put({ answer: ["A"], rev: 4 }), 409, "exam_attempt.submitted");
  });

  it("keeps an attempt's questions as they were when a question changes later", async () => {
    const t = await api.signUp();
    const q = await api.post("/v1/exams/questions", { type: "judge", stem: "党员应当按期交纳党费。", answer: ["T"], explanation: "旧解析" }, t.accessToken);
    const paper = (await api.post("/v1/exams/papers", paperBody([q.body.id], { passMark: 1 }), t.accessToken)).body;
    await api.post(`/v1/exams/papers/${paper.id}/publish`, {}, t.accessToken);
    const attempt = (await api.post(`/v1/exams/papers/${paper.id}/attempts`, {}, t.accessToken)).body;
    const changed = await api.patch(`/v1/exams/questions/${q.body.id}`, { stem: "党员必须按期交纳党费。", answer: ["F"] }, t.accessToken);
    expect(changed.body.version).toBe(2);
    expectProblem(await api.put(`/v1/exams/papers/${paper.id}`, paperBody([q.body.id]), t.accessToken), 409, "exam_paper.started");
    await api.put(`/v1/exams/attempts/${attempt.id}/answers/1`, { answer: ["T"], rev: 1 }, t.accessToken);
    const result = (await api.post(`/v1/exams/attempts/${attempt.id}/submit`, {}, t.accessToken)).body;
    expect(result.items[0]).toMatchObject({ stem: "党员应当按期交纳党费。", correct: true, answer: ["T"], explanation: "旧解析" });
  });

  it("counts nothing saved after the deadline (server clock), and closes and scores the attempt as it stands", async () => {
    const paperId = await publishedPaper(api, b, { closesAt: new Date(Date.now() + 2500).toISOString(), graceSeconds: 0, shuffleQuestions: false });
    const attempt = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.peer.accessToken)).body;
    expect(Date.parse(attempt.deadline)).toBeLessThanOrEqual(Date.now() + 2500);
    expect((await api.put(`/v1/exams/attempts/${attempt.id}/answers/1`, { answer: rightAnswers[attempt.items[0].stem], rev: 1 }, b.peer.accessToken)).status).toBe(200);
    await sleep(Math.max(0, Date.parse(attempt.deadline) - Date.now()) + 300);
    expectProblem(await api.put(`/v1/exams/attempts/${attempt.id}/answers/2`, { answer: ["A"], rev: 1 }, b.peer.accessToken), 409, "exam_attempt.time_up");
    const closed = await api.get(`/v1/exams/attempts/${attempt.id}`, b.peer.accessToken);
    expect(closed.body).toMatchObject({ status: "submitted", score: 2, submittedAt: attempt.deadline });
    expect(closed.body.items[1].myAnswer).toBeNull();
    expectProblem(await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.peer.accessToken), 409, "exam_paper.closed");
  });

  it("holds keys back until the window closes when the paper says so, and limits attempts", async () => {
    const paperId = await publishedPaper(api, b, { resultRelease: "after_close", attemptsAllowed: 1 });
    const attempt = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.outsider.accessToken)).body;
    await answerAll(api, b.outsider.accessToken, attempt, () => true);
    const result = (await api.post(`/v1/exams/attempts/${attempt.id}/submit`, {}, b.outsider.accessToken)).body;
    expect(result).toMatchObject({ score: 12, passed: true, released: false });
    expect(JSON.stringify(result)).not.toContain("党章第十条");
    for (const item of result.items) expect(item).not.toHaveProperty("answer");
    expectProblem(await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.outsider.accessToken), 409, "exam_attempt.none_left");
    expectProblem(await api.get(`/v1/exams/papers/${paperId}/rankings`, b.outsider.accessToken), 409, "exam_paper.results_hidden");
    expect((await api.get(`/v1/exams/papers/${paperId}/rankings`, b.admin)).body.data[0]).toMatchObject({ rank: 1, name: "李党员", score: 12 });
  });

  it("draws a random paper per member by type and tags, refusing a draw the bank cannot fill", async () => {
    const draws = [{ type: "single", tags: ["党章", "安全生产"], count: 2 }, { type: "judge", tags: [], count: 1 }];
    const short = expectProblem(await api.post("/v1/exams/papers", paperBody([], { mode: "random", draws: [{ type: "single", tags: ["党章"], count: 3 }] }), b.admin), 400);
    expect(short.errors!.map((e) => e.path)).toEqual(["draws.0.count"]);
    const paperId = (await api.post("/v1/exams/papers", paperBody([], { mode: "random", draws, passMark: 3 }), b.admin)).body.id;
    await api.post(`/v1/exams/papers/${paperId}/publish`, {}, b.admin);
    const attempt = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.member.accessToken)).body;
    expect(attempt.items.map((i: { type: string }) => i.type).sort()).toEqual(["judge", "single", "single"]);
    expect(new Set(attempt.items.map((i: { questionId: string }) => i.questionId)).size).toBe(3);
    expect(attempt.maxScore).toBe(5);
  });
});

describe("results", () => {
  it("ranks members (ties share a rank) and branches, and puts the most-missed questions first", async () => {
    const paperId = await publishedPaper(api, b);
    const take = async (token: string, right: (stem: string) => boolean) => {
      const attempt = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, token)).body;
      await answerAll(api, token, attempt, right);
      return (await api.post(`/v1/exams/attempts/${attempt.id}/submit`, {}, token)).body;
    };
    const hard = "安全生产工作坚持什么方针？";
    expect((await take(b.member.accessToken, (s) => s !== hard)).score).toBe(10);
    expect((await take(b.peer.accessToken, (s) => s !== hard)).score).toBe(10);
    expect((await take(b.outsider.accessToken, (s) => s === hard)).score).toBe(2);

    const members = await api.get(`/v1/exams/papers/${paperId}/rankings`, b.member.accessToken);
    expect(members.status).toBe(200);
    expect(members.body.data.map((r: { rank: number; name: string; score: number }) => [r.rank, r.name, r.score])).toEqual([
      [1, "孙党员", 10],
      [1, "钱小明", 10],
      [3, "李党员", 2],
    ]);
    const branches = await api.get(`/v1/exams/papers/${paperId}/rankings?groupBy=branch`, b.admin);
    expect(branches.body.data.map((r: { rank: number; name: string; score: number; participants: number; passed: number }) => [r.rank, r.name, r.score, r.participants, r.passed])).toEqual([
      [1, "第一支部", 10, 2, 2],
      [2, "第二支部", 2, 1, 0],
    ]);
    // A secretary sees the rows of the subtree they lead.
    const secretary = await api.get(`/v1/exams/papers/${paperId}/rankings`, b.secretary.accessToken);
    expect(secretary.body.data.map((r: { name: string }) => r.name).sort()).toEqual(["孙党员", "钱小明"]);

    const stats = await api.get(`/v1/exams/papers/${paperId}/statistics`, b.admin);
    expect(stats.body).toMatchObject({ attempts: 3, submitted: 3, passed: 2, averageScore: 7.3 });
    expect(stats.body.questions[0]).toMatchObject({ stem: hard, presented: 3, answered: 3, correct: 1, correctRate: 0.333 });
    expect(stats.body.questions).toHaveLength(5);
    // A secretary counts the attempts of the subtrees they lead (钱 and 孙, not 李); a member none.
    expect((await api.get(`/v1/exams/papers/${paperId}/statistics`, b.secretary.accessToken)).body).toMatchObject({ attempts: 2, submitted: 2 });
    expectProblem(await api.get(`/v1/exams/papers/${paperId}/statistics`, b.member.accessToken), 403, "auth.forbidden");
  });
});

describe("a paper as the evidence of a 学习清单 item", () => {
  it("records a pass on the member's task, counting toward its minimum", async () => {
    const year = new Date().getUTCFullYear();
    const checklist = (await api.post("/v1/checklists", { title: `${year}年度学习清单`, kind: "learning", year, branchId: b.committee.id }, b.admin)).body;
    const item = (await api.post(`/v1/checklists/${checklist.id}/items`, { module: "理论学习", title: "党章党规知识测试", recurrence: "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", assignees: [{ type: "each_member" }], minCount: 2, points: 5 }, b.admin)).body;
    expect((await api.post(`/v1/checklists/${checklist.id}/publish`, {}, b.admin)).status).toBeLessThan(300);
    const paperId = await publishedPaper(api, b, { checklistItemId: item.id });
    const attempt = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.member.accessToken)).body;
    await answerAll(api, b.member.accessToken, attempt, () => true);
    const result = (await api.post(`/v1/exams/attempts/${attempt.id}/submit`, {}, b.member.accessToken)).body;
    expect(result.passed).toBe(true);
    expect(result.taskId).toMatch(/^tsk_/);
    const task = (await api.get(`/v1/tasks/${result.taskId}`, b.member.accessToken)).body;
    expect(task).toMatchObject({ doneCount: 1, minCount: 2, status: "open" });
    expect(task.records[0].summary).toBe("考试通过：党务知识在线竞技（12/12 分）");

    // An attempt left running past its cut is scored when the results are first counted, and its pass counts too.
    const quick = await publishedPaper(api, b, { checklistItemId: item.id, closesAt: new Date(Date.now() + 2500).toISOString(), graceSeconds: 0 });
    const left = (await api.post(`/v1/exams/papers/${quick}/attempts`, {}, b.peer.accessToken)).body;
    await answerAll(api, b.peer.accessToken, left, () => true);
    await sleep(Math.max(0, Date.parse(left.deadline) - Date.now()) + 300);
    const ranked = await api.get(`/v1/exams/papers/${quick}/rankings?groupBy=member`, b.admin);
    expect(ranked.body.data).toEqual([expect.objectContaining({ name: "孙党员", score: 12, rank: 1 })]);
    const expired = (await api.get(`/v1/exams/attempts/${left.id}`, b.peer.accessToken)).body;
    expect(expired).toMatchObject({ status: "submitted", passed: true, submittedAt: left.deadline });
    expect(expired.taskId).toMatch(/^tsk_/);
    expect((await api.get(`/v1/tasks/${expired.taskId}`, b.peer.accessToken)).body).toMatchObject({ doneCount: 1, records: [expect.objectContaining({ summary: "考试通过：党务知识在线竞技（12/12 分）" })] });

    // A failed attempt records nothing.
    const second = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.outsider.accessToken)).body;
    const failed = (await api.post(`/v1/exams/attempts/${second.id}/submit`, {}, b.outsider.accessToken)).body;
    expect(failed).toMatchObject({ passed: false, score: 0, taskId: null });
  });
});
