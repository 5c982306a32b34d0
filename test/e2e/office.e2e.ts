import { readSheet } from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { type Api, STRONG_PASSWORD } from "../support/api.js";
import { apiOf } from "./support/bureau.js";
import { checkPage, launchBrowser, phone, watch } from "./support/browser.js";
import { confirmSignupFromOutbox } from "./support/outbox.js";
import { S0_ITEMS, S0_MODULES, type S0Item } from "./support/s0-party-affairs.js";
import { type RunningApp, startApp } from "./support/server.js";

/** The page waits on the API over a shared, busy machine: a second is too little. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });

let app: RunningApp;
let browser: Browser;
let api: Api;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  api = apiOf(app);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** 某市住建局: 机关党委 over 第一党支部 and 第二党支部, each with a secretary and two members. */
async function office() {
  const t = await api.signUp({ name: "某市住建局", confirm: false });
  await confirmSignupFromOutbox(app, t.member.email);
  const admin = t.accessToken;
  const committee = await api.createBranch(admin, { name: "机关党委", kind: "party_committee" });
  const branches = [];
  for (const [name, secretary, members] of [["第一党支部", "郭群", ["马西", "李醒尘"]], ["第二党支部", "黄文斌", ["王钏", "陈宣通"]]] as const) {
    const branch = await api.createBranch(admin, { name, kind: "branch", parentId: committee.id });
    const sec = await api.addMember(admin, { branchId: branch.id, name: secretary });
    await api.patch(`/v1/branches/${branch.id}`, { secretaryId: sec.id }, admin);
    const people = [];
    for (const m of members) people.push({ name: m, ...(await api.addMember(admin, { branchId: branch.id, name: m })) });
    branches.push({ ...branch, name, secretary: { name: secretary, ...sec }, members: people });
  }
  return { t, admin, committee, branches };
}

async function signIn(page: Page, slug: string, email: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("单位标识").fill(slug);
  await page.getByLabel("邮箱或手机号").fill(email);
  await page.getByLabel("密码").fill(STRONG_PASSWORD);
  await page.getByRole("button", { name: "登录" }).tap();
  await page.waitForURL((url) => url.pathname === next);
}

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

describe("the bureau's office in the console", () => {
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

  it("reads the 2026 ledger by member and branch with its chart, drills into a score, and downloads the .xlsx that reads back", async () => {
    const b = await office();
    const list = (await api.post("/v1/checklists", { title: "2026年度党务清单", kind: "party_affairs", year: 2026 }, b.admin)).body;
    await api.post(`/v1/checklists/${list.id}/items`, { module: "政治理论学习", title: "一季度专题学习", dueDate: "2026-03-31", assignees: [{ type: "each_member" }], points: 10, latePoints: 6 }, b.admin);
    expect((await api.post(`/v1/checklists/${list.id}/publish`, { from: "2026-01-01" }, b.admin)).status).toBe(200);
    const maxi = b.branches[0]!.members[0]!;
    const task = (await api.get(`/v1/tasks?checklistId=${list.id}`, maxi.accessToken)).body.data[0];
    expect((await api.post(`/v1/tasks/${task.id}/records`, { doneOn: "2026-03-20", summary: "学习党章" }, maxi.accessToken)).status).toBe(201);
    expect((await api.post(`/v1/tasks/${task.id}/submit`, {}, maxi.accessToken)).body.status).toBe("done");

    const context = await phone(browser, app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    // The year in the URL: the journey reads 2026 whatever today's date is.
    await signIn(page, b.t.tenant.slug, b.t.member.email, "/reports");
    await page.goto("/reports?year=2026&grain=year&part=1&by=member");
    await page.getByTestId("ledger-row").filter({ hasText: "马西" }).waitFor();
    await expect(page.getByTestId("ledger-row").filter({ hasText: "马西" }).textContent()).resolves.toMatch(/已完成 1.*完成率 100%/);
    await expect(page.getByTestId("ledger-row").filter({ hasText: "王钏" }).textContent()).resolves.toMatch(/已完成 0.*完成率 0%/);
    await page.getByTestId("chart").locator("canvas").waitFor();
    await checkPage(page, "reports-members");

    await page.getByTestId("ledger-row").filter({ hasText: "马西" }).tap();
    await page.getByTestId("score-task").filter({ hasText: "一季度专题学习" }).waitFor();
    await checkPage(page, "reports-scores");
    await page.goBack();

    await page.getByRole("button", { name: "按组织" }).tap();
    await page.getByTestId("ledger-row").filter({ hasText: "第一党支部" }).waitFor();
    await page.getByTestId("chart").locator("canvas").waitFor();
    await checkPage(page, "reports-branches");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("ledger-download").tap()]);
    expect(download.suggestedFilename()).toBe("台账-组织-2026.xlsx");
    const rows = await readSheet(await download.path());
    expect(String(rows[0]![0])).toContain("某市住建局");
    expect(String(rows[0]![0])).toContain("2026");
    expect(rows[1]).toEqual(["名次", "组织", "应完成", "已完成", "按时完成", "逾期完成", "已逾期", "未到期", "次数差额", "退回次数", "得分", "完成率"]);
    const first = rows.find((r) => r[1] === "第一党支部")!;
    expect(first.slice(2, 4)).toEqual([3, 1]);
    expect(first[11]).toBeCloseTo(1 / 3, 2);
    expect(rows.find((r) => r[1] === "第二党支部")!.slice(2, 4)).toEqual([3, 0]);
    page$.assertClean();
    await context.close();
  });

  it("keeps the org tree (adds a branch with its secretary) and shows the bureau overview", async () => {
    const b = await office();
    const context = await phone(browser, app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    await signIn(page, b.t.tenant.slug, b.t.member.email, "/office");
    await page.getByTestId("office-branches").tap();
    await page.getByTestId("branch").filter({ hasText: "第一党支部" }).waitFor();
    await page.getByTestId("branch-add").tap();
    await page.getByLabel("名称", { exact: true }).fill("第三党支部");
    await page.getByLabel("上级组织", { exact: true }).selectOption({ label: "机关党委" });
    await page.getByText("书记", { exact: true }).last().tap();
    await page.getByRole("dialog", { name: "选择书记" }).getByText("李醒尘").tap();
    await checkPage(page, "office-branch-form");
    await page.getByTestId("branch-save").tap();
    await poll(() => page.getByTestId("branch").filter({ hasText: "第三党支部" }).textContent()).toContain("李醒尘");
    await checkPage(page, "office-branches");
    const third = (await api.get("/v1/branches?limit=200", b.admin)).body.data.find((x: { name: string }) => x.name === "第三党支部");
    expect(third).toMatchObject({ kind: "branch", parentId: b.committee.id, secretaryId: b.branches[0]!.members[1]!.id });

    await page.goto("/office/overview");
    await page.getByTestId("figure-pledgesWaiting").waitFor();
    await expect(page.getByTestId("figure-problemsOpen").textContent()).resolves.toContain("0");
    await checkPage(page, "office-overview");
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

  it("shows the road chiefs' problem timeliness per project and downloads it as .xlsx", async () => {
    const b = await office();
    const chief = b.branches[0]!.members[0]!;
    const handler = b.branches[1]!.members[0]!;
    const project = await api.post("/v1/projects", { name: "文一西路提升改造工程", kind: "renovation", startDate: "2026-03-01", status: "under_construction", roadChiefId: chief.id, branchIds: [b.branches[0]!.id] }, b.admin);
    expect(project.status).toBe(201);
    const raised = await api.post(`/v1/projects/${project.body.id}/issues`, { title: "管线迁改滞后", category: "safety", responsibleUnits: ["市政管线办"], handlerId: handler.id }, chief.accessToken);
    expect(raised.status).toBe(201);

    const context = await phone(browser, app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    await signIn(page, b.t.tenant.slug, b.t.member.email, "/office");
    await page.getByTestId("office-projects").tap();
    // Open problems count whenever they were raised: the fixed year does not hide today's.
    await page.goto("/reports/projects?year=2026&grain=year&part=1&by=project");
    const row = page.getByTestId("project-row").filter({ hasText: "文一西路提升改造工程" });
    await poll(() => row.textContent()).toContain("未解决 1");
    await checkPage(page, "reports-projects");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("projects-download").tap()]);
    const rows = await readSheet(await download.path());
    expect(String(rows[0]![0])).toContain("某市住建局 路长制问题时效（2026，按项目）");
    expect(rows[1]!.slice(0, 3)).toEqual(["项目", "路长", "走访"]);
    const line = rows.find((r) => r[0] === "文一西路提升改造工程")!;
    expect(line[1]).toBe(chief.name);
    expect(line[11]).toBe(1); // 当前未解决
    expect(rows.at(-1)![0]).toBe("合计");
    page$.assertClean();
    await context.close();
  });

  it("counts pledges per branch for a year and downloads them as .xlsx", async () => {
    const b = await office();
    const maxi = b.branches[0]!.members[0]!;
    const pledge = await api.post("/v1/pledges", { year: 2026, title: "领办微心愿两件", content: "为结对社区困难群众领办微心愿不少于两件", category: "service", dueDate: "2026-12-31" }, maxi.accessToken);
    expect(pledge.status).toBe(201);

    const context = await phone(browser, app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    await signIn(page, b.t.tenant.slug, b.t.member.email, "/office");
    await page.getByTestId("office-pledges").tap();
    await page.goto("/reports/pledges?year=2026");
    await poll(() => page.getByTestId("pledge-row").filter({ hasText: "第一党支部" }).textContent()).toContain("承诺 1");
    await page.getByTestId("chart").locator("canvas").waitFor();
    await checkPage(page, "reports-pledges");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("pledges-download").tap()]);
    expect(download.suggestedFilename()).toBe("承诺践诺-2026.xlsx");
    const rows = await readSheet(await download.path());
    expect(String(rows[0]![0])).toBe("某市住建局 承诺践诺统计（2026）");
    expect(rows[1]!.slice(0, 3)).toEqual(["组织", "党员数", "承诺数"]);
    expect(rows.find((r) => r[0] === "第一党支部")!.slice(1, 3)).toEqual([3, 1]);
    expect(rows.at(-1)!.slice(0, 1)).toEqual(["合计"]);
    page$.assertClean();
    await context.close();
  });
});
