import { readSheet } from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { Api } from "../support/api.js";
import { apiOf } from "./support/bureau.js";
import { checkPage, launchBrowser, phone, watch } from "./support/browser.js";
import { office as makeOffice, poll, signIn } from "./support/office.js";
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

describe("the bureau's office in the console: ledgers, reports, the org tree", () => {
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
