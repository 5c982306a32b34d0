import writeXlsxFile from "write-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { TEMPLATE_HEADER } from "../../web/src/pages/people/rows.js";
import { checkPage, launchBrowser, phone } from "./support/browser.js";
import { type RunningApp, startApp } from "./support/server.js";

const PASSWORD = "Qingdan-2026-secure";
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function call(path: string, body: unknown, token?: string) {
  const res = await fetch(`${app.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, any>;
}

describe("the office imports people", () => {
  it("an .xlsx with a bad row is shown line by line; fixed, it imports, and pinyin initials find the people", async () => {
    const slug = "zjj-people";
    const admin = (await call("/v1/tenants", { slug, name: "某市住建局", admin: { email: `admin@${slug}.example.cn`, name: "王局长", password: PASSWORD } })).accessToken as string;
    const root = await call("/v1/branches", { name: "机关党委", kind: "party_committee" }, admin);
    const general = await call("/v1/branches", { name: "第一党总支", kind: "general_branch", parentId: root.id }, admin);
    await call("/v1/branches", { name: "第三党支部", kind: "branch", parentId: general.id }, admin);

    const sheet = (rows: string[][]) => writeXlsxFile([[...TEMPLATE_HEADER], ...rows]).toBuffer();
    const good = [
      ["马西", "13800138001", "maxi@zjj.example.cn", "机关党委/第一党总支/第三党支部", "党员", ""],
      ["单田芳", "13800138002", "", "第三党支部", "书记", ""],
    ];
    const context = await phone(browser, app.url);
    const page = await context.newPage();
    await page.goto("/login?next=/people/import");
    await page.getByLabel("单位标识").fill(slug);
    await page.getByLabel("邮箱或手机号").fill(`admin@${slug}.example.cn`);
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "登录" }).tap();
    await page.waitForURL(/\/people\/import$/);

    // A wrong phone and an unknown branch: the page's own check and the API's dry run, by line.
    await page.getByTestId("import-file").setInputFiles({ name: "成员.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: await sheet([...good, ["李四", "12345", "", "第九支部", "党员", ""]]) });
    await page.getByText("共 3 行，1 行有误").waitFor();
    await expect.poll(() => page.getByTestId("row-problem").allTextContents()).toEqual(["须为11位手机号"]);
    await expect(page.getByTestId("import-run").isDisabled()).resolves.toBe(true);
    await checkPage(page, "people-import");

    await page.getByTestId("import-file").setInputFiles({ name: "成员.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: await sheet(good) });
    await page.getByText("共 2 行，0 行有误").waitFor();
    await page.getByTestId("import-run").tap();
    await expect.poll(() => page.getByTestId("import-summary").textContent()).toContain("新增 2");

    await page.goto("/people");
    await page.getByTestId("people-search").locator("input").fill("mx");
    await expect.poll(() => page.getByTestId("person").allTextContents()).toEqual([expect.stringContaining("马西")]);
    await page.getByTestId("people-search").locator("input").fill("stf");
    await expect.poll(() => page.getByTestId("person").allTextContents()).toEqual([expect.stringContaining("单田芳")]);
    await checkPage(page, "people");
  });
});
