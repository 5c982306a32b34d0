import { beforeAll, expect, it } from "vitest";
import { runReminderJob } from "../../src/jobs/run-job.js";
import { STRONG_PASSWORD } from "../support/api.js";
import { nodeApiOnClock } from "../support/node-target.js";
import { answerAll, examBureau, publishedPaper, type ExamBureau } from "../exams/fixture.js";

/**
 * An attempt whose time runs out unsubmitted is still scored, and a pass still counts toward its
 * 学习清单 task, dated the day of its cut: on the member's next read, or in the tenant's morning job
 * when nobody reads. On a clock the test sets: 2026-06-15 09:00 in Shanghai, a paper of 30 minutes.
 */
let clock = new Date("2026-06-15T01:00:00Z");
const api = nodeApiOnClock(() => clock, { ACCESS_TOKEN_SECONDS: "604800" });
let b: ExamBureau;
let paperId: string;
let itemId: string;
beforeAll(async () => {
  b = await examBureau(api);
  const checklist = (await api.post("/v1/checklists", { title: "2026年度学习清单", kind: "learning", year: 2026, branchId: b.committee.id }, b.admin)).body;
  itemId = (await api.post(`/v1/checklists/${checklist.id}/items`, { module: "理论学习", title: "党章党规知识测试", recurrence: "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", assignees: [{ type: "each_member" }], minCount: 1, points: 5 }, b.admin)).body.id;
  expect((await api.post(`/v1/checklists/${checklist.id}/publish`, {}, b.admin)).status).toBeLessThan(300);
  paperId = await publishedPaper(api, b, { checklistItemId: itemId, timeLimitMinutes: 30, graceSeconds: 0, opensAt: "2026-06-15T00:00:00Z", closesAt: "2026-06-20T10:00:00Z" });
}, 60_000);

const taskOf = async (token: string) => ((await api.get("/v1/tasks?limit=200", token)).body.data as { id: string; itemId?: string; title: string; doneCount: number }[]).find((t) => t.title === "党章党规知识测试")!;
const recordsOf = async (token: string, taskId: string) => (await api.get(`/v1/tasks/${taskId}`, token)).body.records as { doneOn: string; summary: string }[];
const login = async (email: string) => (await api.post("/v1/auth/login", { tenant: b.t.tenant.slug, email, password: STRONG_PASSWORD })).body.accessToken as string;

it("scores a run-out attempt when its member next reads it, and counts the pass on the day of its cut", async () => {
  clock = new Date("2026-06-15T01:00:00Z");
  const attempt = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.member.accessToken)).body;
  expect(attempt.deadline).toBe("2026-06-15T01:30:00.000Z");
  await answerAll(api, b.member.accessToken, attempt, () => true);
  // Two days later, the phone comes back.
  clock = new Date("2026-06-17T02:00:00Z");
  const token = await login(b.member.email);
  const read = (await api.get(`/v1/exams/attempts/${attempt.id}`, token)).body;
  expect(read).toMatchObject({ status: "submitted", passed: true, score: 12, submittedAt: "2026-06-15T01:30:00.000Z" });
  expect(read.taskId).toMatch(/^tsk_/);
  expect(await recordsOf(token, read.taskId)).toEqual([expect.objectContaining({ doneOn: "2026-06-15", summary: "考试通过：党务知识在线竞技（12/12 分）" })]);
  // Reading again records nothing more.
  await api.get(`/v1/exams/attempts/${attempt.id}`, token);
  expect((await taskOf(token)).doneCount).toBe(1);
});

it("scores every run-out attempt in the morning job when nobody reads them: a pass counts, a fail does not", async () => {
  clock = new Date("2026-06-18T01:00:00Z");
  const passing = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.peer.accessToken)).body;
  await answerAll(api, b.peer.accessToken, passing, () => true);
  const failing = (await api.post(`/v1/exams/papers/${paperId}/attempts`, {}, b.outsider.accessToken)).body;
  await answerAll(api, b.outsider.accessToken, failing, () => false);
  const audit = await api.auditCount(b.admin);

  // Before the cut the job leaves them running.
  await runReminderJob(api.target.ports, { tenantId: b.t.tenant.id, at: "2026-06-18T01:20:00Z" });
  expect(await api.auditCount(b.admin)).toBe(audit);
  clock = new Date("2026-06-19T00:00:00Z");
  await runReminderJob(api.target.ports, { tenantId: b.t.tenant.id, at: "2026-06-19T00:00:00Z" });
  // Two scorings (no actor) and one record (the member's own); a second run changes nothing.
  const actions = (await api.get("/v1/audit?limit=10", b.admin)).body.data.slice(0, 3) as { action: string; actorId: string | null }[];
  expect(actions.map((a) => a.action).sort()).toEqual(["exam_attempt.expired", "exam_attempt.expired", "task.record_added"]);
  expect(actions.find((a) => a.action === "task.record_added")!.actorId).toBe(b.peer.id);
  expect(await api.auditCount(b.admin)).toBe(audit + 3);
  await runReminderJob(api.target.ports, { tenantId: b.t.tenant.id, at: "2026-06-19T00:05:00Z" });
  expect(await api.auditCount(b.admin)).toBe(audit + 3);

  const peer = await login(b.peer.email);
  const read = (await api.get(`/v1/exams/attempts/${passing.id}`, peer)).body;
  expect(read).toMatchObject({ status: "submitted", passed: true, submittedAt: "2026-06-18T01:30:00.000Z" });
  expect(read.taskId).toMatch(/^tsk_/);
  expect(await recordsOf(peer, read.taskId)).toEqual([expect.objectContaining({ doneOn: "2026-06-18" })]);
  const outsider = await login(b.outsider.email);
  expect((await api.get(`/v1/exams/attempts/${failing.id}`, outsider)).body).toMatchObject({ status: "submitted", passed: false, score: 0, taskId: null });
  expect((await taskOf(outsider)).doneCount).toBe(0);
});
