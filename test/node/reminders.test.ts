import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledMigrations } from "../../src/db/migrations.generated.js";
import { ReminderJobFailed, runReminderJob } from "../../src/jobs/run-job.js";
import { smtpMailer } from "../../src/platform/node/smtp-mailer.js";
import { bureauWithChecklist } from "../checklists/fixture.js";
import { approvedPledge, bureau as pledgeBureau, pledgeBody } from "../pledges/fixture.js";
import { bureau as projectBureau } from "../projects/fixture.js";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";
import { startSmtpServer } from "../support/smtp.js";

/** Reminders through a real SMTP server, on a clock the test sets. */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let clock = new Date("2026-12-24T01:00:00Z");

/** The app on the test's clock, its mail through the SMTP server (signup's confirmation letter is read from there too). */
async function smtpTarget(): Promise<NodeTarget> {
  const target = await startNodeTarget({ portsOverride: (ports) => ({ ...ports, now: () => clock, mailer: smtpMailer(smtp.url, "qingdan <noreply@qingdan.test>") }) });
  return Object.assign(target, { mail: smtp.received });
}

async function bureau() {
  const target = await smtpTarget();
  const api = new Api(target);
  const b = await bureauWithChecklist(api);
  await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
  return { target, api, b, run: (at: Date) => runReminderJob(target.ports, { tenantId: b.t.tenant.id, at: at.toISOString() }) };
}

/** Reminder digests only (invitations go through the same server). */
const reminders = () => smtp.received.filter((m) => !m.subject.includes("邀请您") && !m.subject.includes("注册邮箱"));
const mailsTo = (email: string) => reminders().filter((m) => m.to === email);

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

describe("the morning digest", () => {
  let env: Awaited<ReturnType<typeof bureau>>;
  beforeAll(async () => {
    clock = new Date("2026-12-24T01:00:00Z"); // Thursday 09:00 in Shanghai
    env = await bureau();
  }, 60_000);
  afterAll(() => env.target.close());

  it("previews exactly what it then sends: one email per person, with the counts in the subject", async () => {
    const { api, b } = env;
    const preview = await api.get("/v1/reminders/preview?date=2026-12-24", b.admin);
    expect(preview.body.sendsOnThisDay).toBe(true);
    const run = await env.run(clock);
    expect(run).toMatchObject({ day: "2026-12-24", planned: 5, sent: 5, failed: 0 });
    const members = [b.m1, b.m2, b.m3, b.sec1, b.sec2];
    for (const m of members) expect(mailsTo(m.email)).toHaveLength(1);
    expect(preview.body.emails.map((e: any) => [e.to, e.subject]).sort()).toEqual(reminders().filter((r) => members.some((m) => m.email === r.to)).map((r) => [r.to, r.subject]).sort());

    const m1 = mailsTo(b.m1.email)[0]!;
    expect(m1.subject).toBe("今日待办 1 项，逾期 0 项");
    expect(m1.text).toContain("领办微心愿");
    expect(m1.text).toContain("截止 2026-12-31，7 天后到期");
    expect(m1.text).toContain("完成 0/2");
    expect(m1.html).toContain("领办微心愿");
    // Every link opens a console page: the task itself, the one button, settings and unsubscribe.
    const base = env.target.ports.config.publicUrl;
    const wish = ((await api.get("/v1/tasks?limit=200", b.m1.accessToken)).body.data as any[]).find((t) => t.title === "领办微心愿");
    expect(m1.text).toContain(`${base}/tasks/${wish.id}`);
    expect(m1.html).toContain(`href="${base}/tasks/${wish.id}"`);
    expect(m1.text).toContain(`办理这项任务：${base}/tasks/${wish.id}`);
    expect(m1.text).toContain(`${base}/me/notifications`);
    expect(m1.text).toContain(`${base}/unsubscribe#token=qdu.`);
    for (const part of [m1.text, m1.html]) expect(part).not.toContain("/v1/");
    expect(m1.raw["list-unsubscribe"]).toMatch(/<http:\/\/.+\/v1\/unsubscribe\?token=qdu\./);
    expect(m1.raw["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    // The secretary hears of the 支部's own overdue 主题党日 (11 months) and the National Day talk.
    const sec1 = mailsTo(b.sec1.email)[0]!;
    expect(sec1.subject).toBe("今日待办 2 项，逾期 12 项"); // + December's 主题党日, due in 7 days
    expect(sec1.text).toContain("国庆主题宣讲");
  });

  it("sends nothing twice: the cron fires again and every job is redelivered three times", async () => {
    const before = reminders().length;
    const again = await Promise.all([env.run(clock), env.run(clock), env.run(clock), env.run(new Date(clock.getTime() + 60_000))]);
    for (const r of again) expect(r).toMatchObject({ sent: 0, failed: 0 });
    expect(reminders().length).toBe(before);
    const preview = await env.api.get("/v1/reminders/preview?date=2026-12-24", env.b.admin);
    expect(preview.body.emails.every((e: any) => e.alreadySent)).toBe(true);
  });

  it("honours one-click unsubscribe and per-category preferences", async () => {
    const { api, b } = env;
    const link = mailsTo(b.m1.email)[0]!.raw["list-unsubscribe"]!.slice(1, -1);
    const path = link.slice(link.indexOf("/v1/"));
    // A browser opening the header's URL is sent to the console's page; the page reads the JSON.
    const opened = await env.target.fetch(path, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }, redirect: "manual" });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toMatch(/^http:\/\/[^/]+\/unsubscribe#token=qdu\./);
    const info = await env.target.fetch(path);
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ tenant: { name: expect.any(String) }, mutedCategories: [] });
    const oneClick = await env.target.fetch(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    expect((await api.get("/v1/me/notifications", b.m1.accessToken)).body.mutedCategories.sort()).toEqual(["pledges", "problems", "summary", "tasks", "worklog"]);
    const forged = `${path.slice(0, -10)}${path.at(-10) === "x" ? "y" : "x"}${path.slice(-9)}`;
    expect((await env.target.fetch(forged, { method: "POST" })).status).toBe(404);
    expect((await api.put("/v1/me/notifications", { mutedCategories: ["tasks"] }, b.m2.accessToken)).status).toBe(200);

    clock = new Date("2026-12-28T01:00:00Z"); // Monday: 3 days left, and the secretaries' weekly summary
    const before = reminders().length;
    await env.run(clock);
    const fresh = reminders().slice(before);
    expect(fresh.map((m) => m.to)).not.toContain(b.m1.email);
    expect(fresh.map((m) => m.to)).not.toContain(b.m2.email);
    expect(fresh.find((m) => m.to === b.m3.email)?.text).toContain("3 天后到期");
    const summary = fresh.find((m) => m.to === b.sec1.email)!;
    expect(summary.subject).toMatch(/本周下属逾期 \d+ 项/);
    expect(summary.text).toContain("本周汇总：您所辖支部的逾期事项");
  });
});

describe("delivery keys", () => {
  it("keep a morning's digests side by side; migration 0017 moves earlier keys there without sending anything twice", async () => {
    clock = new Date("2026-12-24T01:00:00Z");
    const env = await bureau();
    const file = env.target.tenantDatabases.client(env.b.t.tenant.id, `file:${env.target.dataDir}/tenants/${env.b.t.tenant.id}.db`);
    const keys = async () => (await file.execute("SELECT key FROM reminder_deliveries ORDER BY key")).rows.map((r) => r.key as string);
    expect(await env.run(clock)).toMatchObject({ sent: 5 });
    const members = [env.b.m1, env.b.m2, env.b.m3, env.b.sec1, env.b.sec2];
    // The form before 0017, member first, as a database upgraded from it holds that morning.
    await file.execute("UPDATE reminder_deliveries SET key = 'digest:' || member_id || ':' || day");
    expect((await keys()).every((k) => /^digest:mem_\w+:2026-12-24$/.test(k))).toBe(true);
    for (const statement of bundledMigrations.tenant.find((m) => m.tag.startsWith("0017_"))!.statements) await file.execute(statement);
    expect((await keys()).every((k) => /^digest:2026-12-24:mem_\w+$/.test(k))).toBe(true);
    // The morning re-run after the upgrade knows every digest as sent.
    expect(await env.run(clock)).toMatchObject({ sent: 0, alreadySent: 5 });
    for (const m of members) expect(mailsTo(m.email)).toHaveLength(1);
    // The next morning's claims follow the first's in the key's order, not interleaved member by member.
    const next = await env.run(new Date("2026-12-25T01:00:00Z"));
    expect(next!.sent).toBeGreaterThan(1);
    const days = (await file.execute("SELECT day FROM reminder_deliveries ORDER BY key")).rows.map((r) => r.day as string);
    expect(days).toEqual([...Array(5).fill("2026-12-24"), ...Array(next!.sent).fill("2026-12-25")]);
    await env.target.close();
  }, 60_000);
});

describe("failures and holidays", () => {
  it("retries a failed send without missing anyone or sending anyone a second email", async () => {
    clock = new Date("2026-12-24T01:00:00Z");
    const env = await bureau();
    smtp.rejectNext(env.b.m2.email, 1);
    await expect(env.run(clock)).rejects.toBeInstanceOf(ReminderJobFailed);
    expect(mailsTo(env.b.m2.email)).toHaveLength(0);
    expect(mailsTo(env.b.m1.email)).toHaveLength(1);
    const retry = await env.run(clock);
    expect(retry).toMatchObject({ sent: 1, alreadySent: 4 });
    for (const m of [env.b.m1, env.b.m2, env.b.m3, env.b.sec1, env.b.sec2]) expect(mailsTo(m.email)).toHaveLength(1);
    await env.target.close();
  }, 60_000);

  it("loses the relay mid-morning: what it had not acknowledged goes with the next run, under the same Message-ID, nobody gets two", async () => {
    clock = new Date("2026-12-24T01:00:00Z");
    const env = await bureau();
    const members = [env.b.m1, env.b.m2, env.b.m3, env.b.sec1, env.b.sec2];
    // Taken in and never acknowledged: the pipelined messages behind it were not acknowledged either.
    smtp.dropAt(env.b.m3.email);
    await expect(env.run(clock)).rejects.toBeInstanceOf(ReminderJobFailed);
    expect(mailsTo(env.b.m3.email)).toHaveLength(0);
    const arrived = members.filter((m) => mailsTo(m.email).length === 1).length;
    expect(arrived).toBeLessThan(5);
    const retry = await env.run(clock);
    expect(retry).toMatchObject({ sent: 5 - arrived, alreadySent: arrived, failed: 0 });
    for (const m of members) expect(mailsTo(m.email)).toHaveLength(1);
    expect(smtp.dropped.find((d) => d.to === env.b.m3.email)!.messageId).toBe(mailsTo(env.b.m3.email)[0]!.messageId);
    await env.target.close();
  }, 60_000);

  it("sends nothing on a holiday, and the next working day carries what fell on it", async () => {
    clock = new Date("2026-10-01T01:00:00Z"); // 国庆节
    const env = await bureau();
    const holiday = await env.run(clock);
    expect(holiday).toMatchObject({ sendsToday: false, planned: 0 });
    const preview = await env.api.get("/v1/reminders/preview?date=2026-10-01", env.b.admin);
    expect(preview.body).toMatchObject({ sendsOnThisDay: false, emails: [] });
    clock = new Date("2026-10-08T01:00:00Z");
    const next = await env.run(clock);
    expect(next!.sent).toBeGreaterThan(0);
    expect(mailsTo(env.b.sec2.email).at(-1)!.text).toContain("国庆主题宣讲（2026年度党务清单 · 宣传教育） 截止 2026-10-08，今天到期");
    await env.target.close();
  }, 60_000);

  it("runs one sweep from the command line as if it were a given time", async () => {
    clock = new Date("2026-12-24T01:00:00Z");
    const env = await bureau();
    const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/reminders.ts", "--at", "2026-12-24T09:00:00+08:00", "--tenant", env.b.t.tenant.slug], {
      env: { ...process.env, DATA_DIR: env.target.dataDir, SMTP_URL: smtp.url, JWT_SECRET: "test-secret-test-secret-test-secret-0123" },
    });
    expect(stdout).toContain("5 planned, 5 sent");
    expect(mailsTo(env.b.m3.email).filter((m) => m.subject === "今日待办 1 项，逾期 0 项").length).toBeGreaterThanOrEqual(1);
    await env.target.close();
  }, 60_000);
});

describe("吹哨报到 clocks in the digest", () => {
  it("reminds the handler of the acknowledge-by day, and climbs the escalation ladder every N days, each step once", async () => {
    clock = new Date("2026-11-02T02:00:00Z"); // Monday 10:00 in Shanghai
    const target = await smtpTarget();
    const api = new Api(target);
    const p = await projectBureau(api);
    // utility: acknowledge within 1 working day, resolve within 5.
    const problem = await p.raise({ raisedAt: "2026-11-02T10:00:00+08:00" });
    const run = (at: string) => runReminderJob(target.ports, { tenantId: p.t.tenant.id, at });
    const escalations = () => reminders().filter((m) => m.text.includes("需要您督办") && m.text.includes("电信人孔井需抬升"));
    const adminEmail = (await api.get("/v1/me", p.admin)).body.member.email as string;

    await run("2026-11-03T01:00:00Z"); // the acknowledge-by day
    const handlerMail = reminders().filter((m) => m.to === p.handler.email).at(-1)!;
    expect(handlerMail.text).toContain("电信人孔井需抬升（地铁3号线配套道路） 截止 2026-11-03，今天到期，待签收");
    expect(reminders().some((m) => m.to === p.supervisor.email)).toBe(false);

    await run("2026-11-05T01:00:00Z"); // two days overdue (default 2): the first rung, the supervisor
    expect(escalations().map((m) => m.to)).toEqual([p.supervisor.email]);
    expect(escalations()[0]!.text).toContain(`查看并督办：${target.ports.config.publicUrl}/problems/${problem.id}`);
    await run("2026-11-06T01:00:00Z"); // still overdue for the handler; the step is told, nothing repeats
    expect(escalations()).toHaveLength(1);
    expect(reminders().filter((m) => m.to === p.handler.email && m.text.includes("逾期 3 天")).length).toBe(1);
    // Step 1 (road chief) falls on Saturday 11-07, no email on weekends: Monday 11-09 carries the step
    // reached by then (step 2: supervisor, road chief, admin), once.
    await run("2026-11-07T01:00:00Z");
    expect(escalations()).toHaveLength(1);
    await run("2026-11-09T01:00:00Z");
    expect(escalations().slice(1).map((m) => m.to).sort()).toEqual([p.supervisor.email, p.roadChief.email, adminEmail].sort());
    await run("2026-11-09T01:00:00Z");
    await run("2026-11-10T01:00:00Z");
    expect(escalations()).toHaveLength(4);
    await target.close();
  }, 60_000);

  it("a problem whose escalation day passed before it was raised (backdated) escalates on the first sending day, up a configured ladder", async () => {
    clock = new Date("2026-11-16T02:00:00Z"); // Monday
    const target = await smtpTarget();
    const api = new Api(target);
    const p = await projectBureau(api);
    expect((await api.put("/v1/reminders/settings", { escalateAfterDays: 3, escalationLadder: ["road_chief", "supervisor"] }, p.admin)).status).toBe(200);
    // Raised today, backdated to a visit two weeks ago: its step days all passed unseen.
    await p.raise({ raisedAt: "2026-11-02T10:00:00+08:00" });
    await runReminderJob(target.ports, { tenantId: p.t.tenant.id, at: "2026-11-16T01:00:00Z" });
    const escalated = reminders().filter((m) => m.text.includes("需要您督办") && m.text.includes("电信人孔井需抬升") && [p.roadChief.email, p.supervisor.email].includes(m.to));
    expect(escalated.map((m) => m.to).sort()).toEqual([p.roadChief.email, p.supervisor.email].sort());
    await target.close();
  }, 60_000);
});

describe("承诺践诺 in the digest", () => {
  it("reminds the member of a pledge due soon, and the secretary of one awaiting review", async () => {
    clock = new Date("2026-12-17T01:00:00Z"); // Thursday; due 2026-12-20 is 3 days away
    const target = await smtpTarget();
    const api = new Api(target);
    const b = await pledgeBureau(api);
    await approvedPledge(api, b, { year: 2026, dueDate: "2026-12-20" });
    const waiting = await api.post("/v1/pledges", pledgeBody({ year: 2026, dueDate: "2026-12-30", title: "为群众办实事十件" }), b.peer.accessToken);
    await api.post(`/v1/pledges/${waiting.body.id}/submit`, {}, b.peer.accessToken);

    await runReminderJob(target.ports, { tenantId: b.t.tenant.id, at: clock.toISOString() });
    const toMember = reminders().filter((m) => m.to === b.member.email).at(-1)!;
    expect(toMember.text).toContain("协调解决地铁3号线建设现场问题 截止 2026-12-20，3 天后到期，完成 0%");
    const toSecretary = reminders().filter((m) => m.to === b.secretary.email).at(-1)!;
    expect(toSecretary.text).toContain("【等您审核】");
    expect(toSecretary.text).toContain("为群众办实事十件");
    await target.close();
  }, 60_000);
});

describe("tasks awaiting review", () => {
  it("go to the nearest secretary above the doer who is not a doer", async () => {
    clock = new Date("2026-12-24T01:00:00Z");
    const env = await bureau();
    const { api, b } = env;
    const [wish] = ((await api.get("/v1/tasks?limit=200", b.m1.accessToken)).body.data as any[]).filter((t) => t.title === "领办微心愿");
    // Make the member's own task need review, then submit it.
    await api.patch(`/v1/checklists/${b.checklist.id}/items/${b.items.wishes.id}`, { reviewRequired: true }, b.admin);
    for (const day of ["2026-12-01", "2026-12-02"]) await api.post(`/v1/tasks/${wish.id}/records`, { doneOn: day, summary: "帮扶" }, b.m1.accessToken);
    expect((await api.post(`/v1/tasks/${wish.id}/submit`, {}, b.m1.accessToken)).body.status).toBe("submitted");
    await env.run(clock);
    const toSecretary = reminders().filter((m) => m.to === b.sec1.email).at(-1)!;
    expect(toSecretary.text).toContain("【等您审核】");
    expect(toSecretary.text).toContain("领办微心愿");
    expect(reminders().filter((m) => m.to === b.sec2.email).at(-1)!.text).not.toContain("【等您审核】");
    await env.target.close();
  }, 60_000);
});
