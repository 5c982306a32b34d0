import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { localDate } from "../../src/calendar/zoned.js";
import { addDays } from "../../src/calendar/days.js";
import { checkPage, launchBrowser, watch } from "./support/browser.js";
import { type RunningApp, startApp } from "./support/server.js";
import { bureau, signIn } from "./field/people.js";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("电子日志 on the phone", () => {
  it("a cadre writes today's log with yesterday's categories prefilled and a photo; the leader comments on the team's day and scores a month", async () => {
    const b = await bureau(app, "jw-log", "某市住房和城乡建设局");
    const secretary = await b.member("赵书记", "zhao@jw-log.example.cn", "secretary");
    await b.call("PATCH", `/v1/branches/${b.branch.id}`, { secretaryId: secretary.id }, b.admin);
    const member = await b.member("李一", "li@jw-log.example.cn");
    const today = localDate(new Date(), "Asia/Shanghai");
    await b.call("PUT", `/v1/worklogs/days/${addDays(today, -1)}`, { items: [{ text: "主题党日", category: "party" }, { text: "走访群众", category: "service" }] }, member.token);

    // 1. 写日志: today's page opens with yesterday's two categories; two lines of text and a photo.
    const m = await signIn(browser, app.url, b.slug, member.email, `/worklog/day/${today}`);
    const m$ = watch(m.page);
    await m.page.getByText("已按上次日志预填分类").waitFor();
    const started = Date.now();
    const texts = m.page.getByLabel("做了什么");
    await expect.poll(() => texts.count()).toBe(2);
    await texts.nth(0).fill("参加支部主题党日，学习二十届四中全会精神");
    await texts.nth(1).fill("走访凉都大道沿线商户，收集意见 5 条");
    const photo = await m.page.screenshot({ type: "jpeg", quality: 80 });
    await m.page.locator("input[type=file]").first().setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: photo });
    await m.page.locator(".photo-field img").first().waitFor();
    await checkPage(m.page, "worklog-day");
    await m.page.getByRole("button", { name: "保存日志" }).tap();
    await m.page.getByText(/本月已写 \d+ \/ \d+ 个工作日/).waitFor();
    await expect.poll(async () => (await b.call("GET", `/v1/worklogs/members/${member.id}/months/${today.slice(0, 7)}`, undefined, member.token)).days.find((d: { date: string }) => d.date === today)?.items.length).toBe(2);
    console.log(`写日志 on the phone: ${((Date.now() - started) / 1000).toFixed(1)} s from the page to saved (typing by script)`);
    const day = (await b.call("GET", `/v1/worklogs/members/${member.id}/months/${today.slice(0, 7)}`, undefined, member.token)).days.find((d: { date: string }) => d.date === today);
    expect(day.items.map((i: { category: string }) => i.category)).toEqual(["party", "service"]);
    expect(day.files).toHaveLength(1);

    // 2. The leader's team day: who wrote, and a 点评.
    const s = await signIn(browser, app.url, b.slug, secretary.email, `/worklog/team`);
    const s$ = watch(s.page);
    await s.page.goto(`/worklog/team?date=${today}`);
    await s.page.getByText("参加支部主题党日，学习二十届四中全会精神").waitFor();
    await checkPage(s.page, "worklog-team");
    await s.page.getByRole("button", { name: "点评" }).tap();
    await s.page.getByRole("dialog").getByLabel("点评内容").fill("学习要联系实际，走访意见要有回音");
    await s.page.getByRole("dialog").getByRole("button", { name: "发送" }).tap();
    await s.page.getByRole("button", { name: "点评 1" }).waitFor();
    const reviewed = (await b.call("GET", `/v1/worklogs/members/${member.id}/months/${today.slice(0, 7)}`, undefined, member.token)).days.find((d: { date: string }) => d.date === today);
    expect(reviewed.comments.map((c: { body: string }) => c.body)).toEqual(["学习要联系实际，走访意见要有回音"]);

    // 3. 月度打分 of a month that is over, after the member's summary.
    await b.call("PUT", "/v1/worklogs/days/2026-06-15", { items: [{ text: "审核施工图", category: "business" }] }, member.token);
    await b.call("PUT", "/v1/worklogs/months/2026-06/summary", { summary: "六月完成审图 3 项。" }, member.token);
    await s.page.goto("/worklog/scoring/2026-06");
    await s.page.getByText("李一").tap();
    await s.page.getByText("六月完成审图 3 项。").waitFor();
    await s.page.getByRole("button", { name: /保存打分 · 合计 100 分/ }).waitFor();
    await checkPage(s.page, "worklog-scoring");
    await s.page.getByRole("button", { name: /保存打分/ }).tap();
    await expect.poll(async () => (await b.call("GET", `/v1/worklogs/members/${member.id}/months/2026-06`, undefined, member.token)).score).toBe(100);

    // 4. 交办: the leader hands a task; it is in the member's 待办 and is done from the log page.
    await b.call("POST", "/v1/worklogs/assignments", { memberId: member.id, title: "整理人民路项目问题台账" }, secretary.token);
    await m.page.goto("/");
    await m.page.getByText("领导交办").waitFor();
    await m.page.getByText("整理人民路项目问题台账").tap();
    await m.page.waitForURL(/\/worklog\/day\//);
    await m.page.getByRole("button", { name: "办结" }).tap();
    await expect.poll(async () => (await b.call("GET", "/v1/worklogs/assignments?status=done", undefined, member.token)).data.length).toBe(1);
    m$.assertClean();
    s$.assertClean();
  }, 180_000);
});
