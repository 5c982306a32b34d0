import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Api } from "../support/api.js";
import { apiOf } from "./support/bureau.js";
import { checkPage, launchBrowser, phone, watch } from "./support/browser.js";
import { office as makeOffice, poll, signIn } from "./support/office.js";
import { S0_ITEMS, S0_MODULES, type S0Item } from "./support/s0-party-affairs.js";
import { type RunningApp, startApp } from "./support/server.js";

// Each file runs its own app: signups are limited per client (5, then a wait), and each journey signs up a bureau.
let app: RunningApp;
let browser: Browser;
let api: Api;
const office = () => makeOffice(api, app);

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  api = apiOf(app);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** One item as the officer types it: module, title, the schedule from the presets, who, how often, points. */
async function enterItem(page: Page, checklistId: string, item: S0Item) {
  await page.getByTestId("item-add").tap();
  await page.waitForURL(`**/checklists/${checklistId}/items/new`);
  // The form is ready when the default schedule's dates have come from the API.
  await poll(() => page.getByTestId("date").count()).toBeGreaterThan(0);
  await page.getByLabel("所属模块", { exact: true }).fill(item.module);
  await page.getByLabel("事项名称", { exact: true }).fill(item.title);
  if (item.dueDate) {
    await page.getByRole("radio", { name: "一次性" }).tap();
    await page.getByLabel("截止日期", { exact: true }).fill(item.dueDate);
  } else {
    await page.getByTestId("preset").selectOption(item.preset!.id);
    if (item.preset!.month) await page.getByLabel("月", { exact: true }).fill(String(item.preset!.month));
    if (item.preset!.day) await page.getByLabel("日", { exact: true }).fill(String(item.preset!.day));
    if (item.preset!.weekday) await page.getByLabel("星期", { exact: true }).selectOption(item.preset!.weekday);
  }
  await page.getByLabel("责任对象 1", { exact: true }).selectOption(item.assignee);
  if (item.minCount) await page.getByLabel("最少次数", { exact: true }).fill(String(item.minCount));
  await page.getByLabel("分值", { exact: true }).fill(String(item.points));
  if (item.evidence) await page.getByRole("switch", { name: "须上传佐证材料" }).tap();
  // The API's dates for the year appear before saving.
  await poll(() => page.getByTestId("date").count()).toBeGreaterThan(0);
  await page.getByTestId("item-save").tap();
  await page.waitForURL(`**/checklists/${checklistId}`);
  await page.getByTestId("item").filter({ hasText: item.title }).waitFor();
}

describe("the bureau's office in the console: lists and people", () => {
  it("builds S0's 党务清单 (6 modules, 25 items) in the editor without writing a rule, sees the year's dates, and publishes it", async () => {
    const b = await office();
    const context = await phone(browser, app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    await signIn(page, b.t.tenant.slug, b.t.member.email, "/office");
    await checkPage(page, "office");

    await page.getByTestId("office-checklists").tap();
    await page.waitForURL("**/checklists");
    await page.getByTestId("checklist-new").tap();
    await page.getByLabel("清单名称", { exact: true }).fill("2026年度党务清单");
    await page.getByLabel("年度", { exact: true }).fill("2026");
    await page.getByTestId("checklist-create").tap();
    await page.waitForURL(/\/checklists\/cl_[^/]+$/);
    const checklistId = new URL(page.url()).pathname.split("/").at(-1)!;

    // The item form: 每月5日 falls on 国庆节 in October and moves to the next working day, saying so.
    await page.getByTestId("item-add").tap();
    await poll(() => page.getByTestId("date").count()).toBeGreaterThan(0);
    await page.getByTestId("preset").selectOption("monthly_day");
    await page.getByLabel("日", { exact: true }).fill("5");
    await page.getByText("原定 10月5日（国庆节），调整到 10月8日").waitFor();
    await checkPage(page, "checklist-item-form");
    await page.goBack();

    for (const item of S0_ITEMS) await enterItem(page, checklistId, item);

    await poll(() => page.getByTestId("module").locator("h2").allTextContents()).toEqual([...S0_MODULES]);
    await expect(page.getByTestId("item").count()).resolves.toBe(25);
    const saved = (await api.get(`/v1/checklists/${checklistId}`, b.admin)).body;
    expect(saved.items).toHaveLength(25);
    expect(saved.items.every((i: { recurrence: string | null; dueDate: string | null }) => i.recurrence || i.dueDate)).toBe(true);
    expect(saved.items.find((i: { title: string }) => i.title === "领办微心愿")).toMatchObject({ minCount: 2, evidenceRequired: true, points: 5, preset: { id: "yearly_date", month: 12, day: 31 } });
    expect(saved.items.find((i: { title: string }) => i.title === "党建信息报送")).toMatchObject({ preset: { id: "weekly_day", weekday: "FR" }, recurrence: "FREQ=WEEKLY;BYDAY=FR" });

    // The year's dates under each item: 主题党日 on the month's last day, January's (a Saturday) moved back.
    await page.getByTestId("dates-toggle").tap();
    await page.getByText("原定 1月31日（周末），调整到 1月30日").first().waitFor();
    await checkPage(page, "checklist-editor");

    await page.getByTestId("publish").tap();
    const confirm = page.getByRole("dialog");
    const asked = Number((await confirm.textContent())!.match(/将为 (\d+) 项/)![1]);
    await confirm.getByRole("button", { name: "确认" }).tap();
    // As many tasks as the confirmation said (from today on: how many depends on the date the test runs).
    await page.getByText(`已发布，生成任务 ${asked} 项`).waitFor();
    await poll(() => page.getByTestId("checklist-status").textContent()).toBe("已发布");
    page$.assertClean();
    await context.close();
  }, 300_000);


  it("copies last year's checklist into 2027 in one step and shows the 2027 dates", async () => {
    const b = await office();
    const list = (await api.post("/v1/checklists", { title: "2026年度党务清单", kind: "party_affairs", year: 2026 }, b.admin)).body;
    await api.post(`/v1/checklists/${list.id}/items`, { module: "基层组织建设", title: "主题党日", preset: { id: "month_end" }, rollPolicy: "previous", assignees: [{ type: "each_branch", branchKind: "branch" }], points: 10 }, b.admin);
    await api.post(`/v1/checklists/${list.id}/items`, { module: "党建工作责任", title: "七一表彰", dueDate: "2026-07-01", assignees: [{ type: "each_secretary" }], points: 5 }, b.admin);
    expect((await api.post(`/v1/checklists/${list.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);

    const context = await phone(browser, app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    await signIn(page, b.t.tenant.slug, b.t.member.email, `/checklists/${list.id}`);
    await page.getByTestId("copy-start").tap();
    await expect(page.getByTestId("copy-year").locator("input").inputValue()).resolves.toBe("2027");
    await checkPage(page, "checklist-copy");
    await page.getByTestId("copy-run").tap();
    await page.waitForURL((url) => /\/checklists\/cl_/.test(url.pathname) && !url.pathname.endsWith(list.id));
    await page.getByTestId("copied-note").waitFor();
    await poll(() => page.getByTestId("checklist-status").textContent()).toBe("草稿");
    await page.getByText("2027年度党务清单").first().waitFor();
    // 2027's calendar: 31 January is a Sunday (back to Friday the 29th); 1 July stays (a Thursday).
    await page.getByText("原定 1月31日（周末），调整到 1月29日").waitFor();
    await poll(() => page.getByTestId("date").allTextContents()).toContain("7月1日");
    await checkPage(page, "checklist-copied");
    const copyId = new URL(page.url()).pathname.split("/").at(-1)!;
    expect((await api.get(`/v1/checklists/${copyId}`, b.admin)).body).toMatchObject({ title: "2027年度党务清单", year: 2027, status: "draft", items: [expect.objectContaining({ title: "主题党日" }), expect.objectContaining({ title: "七一表彰", dueDate: "2027-07-01" })] });
    page$.assertClean();
    await context.close();
  });


  it("hands a leaving member's open work to a successor in one step", async () => {
    const b = await office();
    const list = (await api.post("/v1/checklists", { title: "2026年度党务清单", kind: "party_affairs", year: 2026 }, b.admin)).body;
    const leaving = b.branches[0]!.members[1]!;
    const successor = b.branches[0]!.members[0]!;
    await api.post(`/v1/checklists/${list.id}/items`, { module: "基层党员管理", title: "党员思想汇报", dueDate: "2026-12-31", assignees: [{ type: "member", memberId: leaving.id }], points: 3 }, b.admin);
    expect((await api.post(`/v1/checklists/${list.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);

    const context = await phone(browser, app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    await signIn(page, b.t.tenant.slug, b.t.member.email, "/office");
    await page.getByTestId("office-people").tap();
    await page.getByTestId("people-search").locator("input").fill(leaving.name);
    const row = page.getByTestId("person").filter({ hasText: leaving.name });
    await poll(() => page.getByTestId("person").count()).toBe(1);
    await row.getByRole("button", { name: "停用并交接" }).tap();
    const sheet = page.getByTestId("handover");
    // Listed as the task and as the item naming them.
    await poll(() => sheet.getByText("党员思想汇报").count()).toBe(2);
    await sheet.getByRole("radio", { name: successor.name }).tap();
    await checkPage(page, "people-handover");
    await sheet.getByTestId("handover-run").tap();
    await poll(() => row.textContent()).toContain("已停用");

    const work = async (id: string) => (await api.get(`/v1/members/${id}/open-work`, b.admin)).body as { total: number; tasks: { title: string }[] };
    expect((await work(leaving.id)).total).toBe(0);
    expect((await work(successor.id)).tasks.map((t) => t.title)).toContain("党员思想汇报");
    page$.assertClean();
    await context.close();
  });

});
