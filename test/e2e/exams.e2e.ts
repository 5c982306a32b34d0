import writeXlsxFile from "write-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { TEMPLATE_HEADER } from "../../web/src/pages/exams/rows.js";
import { STRONG_PASSWORD } from "../support/api.js";
import { checkPage, launchBrowser, phone, watch } from "./support/browser.js";
import { apiOf, bureau } from "./support/bureau.js";
import { type RunningApp, startApp } from "./support/server.js";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const row = (type: string, stem: string, options: string[], answer: string, explanation: string, tags: string) => [type, stem, ...options, ...Array(6 - options.length).fill(""), answer, explanation, tags, ""];
const GOOD = [
  row("单选", "党的最高领导机关是？", ["党的全国代表大会和它所产生的中央委员会", "中央纪律检查委员会"], "A", "党章第十条。", "党章"),
  row("多选", "“四个意识”包括哪些？", ["政治意识", "大局意识", "核心意识", "看齐意识", "服务意识"], "ABCD", "", "党章，理论"),
  row("判断", "党员有权对党的决议和政策提出建议。", [], "对", "党章第四条规定的党员权利。", "党章"),
  row("填空", "中国共产党成立于____年。", [], "1921", "1921 年 7 月。", "党史"),
];
/** What the member taps or types for each stem; the judge question is answered wrong on purpose. */
const ANSWERS: Record<string, string[]> = {
  "党的最高领导机关是？": ["党的全国代表大会和它所产生的中央委员会"],
  "“四个意识”包括哪些？": ["政治意识", "大局意识", "核心意识", "看齐意识"],
  "党员有权对党的决议和政策提出建议。": ["错误"],
  "中国共产党成立于____年。": ["1921"],
};

async function login(page: Page, slug: string, email: string, next: string) {
  await page.goto(`/login?next=${next}`);
  await page.getByLabel("单位标识").fill(slug);
  await page.getByLabel("邮箱或手机号").fill(email);
  await page.getByLabel("密码").fill(STRONG_PASSWORD);
  await page.getByRole("button", { name: "登录" }).tap();
  await page.waitForURL(new RegExp(`${next}$`));
}

async function answerCurrent(page: Page) {
  const stem = (await page.getByTestId("exam-stem").textContent())!.trim();
  const answer = ANSWERS[stem]!;
  if (stem.includes("____")) {
    await page.getByTestId("blank-1").fill(answer[0]!);
    await page.getByTestId("blank-1").press("Tab");
  } else for (const text of answer) await page.getByTestId("exam-option").filter({ hasText: text }).tap();
}

describe("在线考试", () => {
  it("an admin imports a bank from an .xlsx and makes a paper; a member takes it on the clock, reloads mid-paper, and sees the score and ranking", async () => {
    const api = apiOf(app);
    const b = await bureau(api, app);
    const member = await api.addMember(b.admin, { branchId: b.branch.id, name: "钱党员" });
    const sheet = (rows: string[][]) => writeXlsxFile([[...TEMPLATE_HEADER], ...rows]).toBuffer();

    const admin = await (await phone(browser, app.url)).newPage();
    const adminWatch = watch(admin);
    await login(admin, b.t.tenant.slug, b.t.member.email, "/exams/bank");
    await admin.getByTestId("bank-file").setInputFiles({ name: "题库.xlsx", mimeType: XLSX, buffer: await sheet([...GOOD, row("判断", "地球是平的。", [], "也许", "", "")]) });
    await admin.getByText("共 5 行，1 行有误").waitFor();
    await expect.poll(() => admin.getByTestId("bank-problem").allTextContents()).toEqual([expect.stringContaining("第 6 行：判断题答案须为「对」或「错」")]);
    await expect(admin.getByTestId("bank-run").isDisabled()).resolves.toBe(true);
    await checkPage(admin, "exams-bank-import");
    await admin.getByTestId("bank-file").setInputFiles({ name: "题库.xlsx", mimeType: XLSX, buffer: await sheet(GOOD) });
    await admin.getByText("共 4 行，0 行有误").waitFor();
    await admin.getByTestId("bank-run").tap();
    await expect.poll(() => admin.getByTestId("bank-summary").textContent()).toContain("新增 4");

    await admin.goto("/exams/new");
    await admin.getByTestId("paper-title").fill("党务知识在线竞技");
    await expect.poll(() => admin.getByTestId("paper-question").count()).toBe(4);
    for (const box of await admin.getByTestId("paper-question").all()) await box.check();
    await admin.getByTestId("paper-pass").fill("4");
    await admin.getByTestId("paper-minutes").fill("30");
    await checkPage(admin, "exams-editor");
    await admin.getByTestId("paper-save").tap();
    await admin.waitForURL(/\/exams\/ppr_[0-9A-Z]+$/);
    const paperUrl = new URL(admin.url()).pathname;
    adminWatch.assertClean();

    // The member finds it: a line on 我的待办 and an entry under 更多 (the bar holds five), at 360 and 390 px.
    const narrow = await phone(browser, app.url, 360);
    const small = await narrow.newPage();
    await login(small, b.t.tenant.slug, member.email, "/");
    await small.locator(".exams .van-cell", { hasText: "党务知识在线竞技" }).waitFor();
    await checkPage(small, "exams-todo-360");
    await small.goto("/more");
    await small.getByRole("navigation", { name: "更多" }).getByRole("link", { name: "在线考试" }).waitFor();
    await checkPage(small, "exams-more-360");
    await narrow.close();

    const page = await (await phone(browser, app.url)).newPage();
    const memberWatch = watch(page);
    await login(page, b.t.tenant.slug, member.email, "/more");
    const entry = page.getByRole("navigation", { name: "更多" }).getByRole("link", { name: "在线考试" });
    await entry.waitFor();
    await checkPage(page, "exams-more-390");
    await entry.tap();
    await page.waitForURL(/\/exams$/);
    await page.getByRole("link", { name: /党务知识在线竞技/ }).or(page.locator(".van-cell", { hasText: "党务知识在线竞技" })).first().waitFor();
    await page.goto("/");
    const line = page.locator(".exams .van-cell", { hasText: "党务知识在线竞技" });
    await line.waitFor();
    await checkPage(page, "exams-todo-390");
    await line.tap();
    await page.waitForURL(new RegExp(`${paperUrl}$`));
    await page.getByText("4 题 · 满分 6 · 及格 4 · 限时 30 分钟").waitFor();
    await checkPage(page, "exams-paper");
    await page.getByTestId("exam-start").tap();
    await page.waitForURL(/\/exams\/attempts\/att_/);
    await expect.poll(() => page.getByTestId("exam-clock").textContent()).toMatch(/剩余时间 (29:5\d|30:00)/);
    await answerCurrent(page);
    await page.getByTestId("exam-next").tap();
    await answerCurrent(page);
    await expect.poll(() => page.getByText("保存中…").count()).toBe(0);
    await checkPage(page, "exams-attempt");

    // The signal drops and the page reloads: the same attempt, the answers kept, the clock still running.
    await page.reload();
    await expect.poll(() => page.getByTestId("exam-sheet").textContent()).toContain("未答 2 题");
    await expect.poll(async () => (await page.getByTestId("exam-option").evaluateAll((els) => els.some((e) => e.getAttribute("aria-checked") === "true"))) || (await page.getByTestId("blank-1").count()) > 0).toBe(true);
    await page.getByTestId("exam-sheet").tap();
    await checkPage(page, "exams-answer-sheet");
    await page.getByRole("button", { name: "第 3 题 / 共 4 题" }).tap();
    await answerCurrent(page);
    await page.getByTestId("exam-next").tap();
    await answerCurrent(page);
    await expect.poll(() => page.getByTestId("exam-sheet").textContent()).toContain("未答 0 题");
    await page.getByTestId("exam-submit").tap();
    await page.getByText("全部已作答，交卷后不能修改。").waitFor();
    await page.getByRole("button", { name: "确认" }).tap();
    await page.getByTestId("exam-result").waitFor();
    await expect.poll(() => page.getByTestId("exam-score").textContent()).toBe("5");
    await page.getByText("党章第四条规定的党员权利。").waitFor();
    await page.getByText("你的答案：错误").waitFor();
    await page.locator(".van-dialog").waitFor({ state: "hidden" });
    await checkPage(page, "exams-result");

    await page.goto(`${paperUrl}/results`);
    await expect.poll(() => page.getByTestId("ranking-members").textContent()).toContain("第 1 名 · 钱党员");
    await checkPage(page, "exams-ranking");
    memberWatch.assertClean();
  });
});
