import writeXlsxFile from "write-excel-file/node";
import { describe, expect, it } from "vitest";
import { TEMPLATE_HEADER } from "../../web/src/pages/people/rows.js";
import { checkPage } from "./support/browser.js";
import { journey } from "./support/journey.js";
import { http, signIn, signUp } from "./support/people.js";

const j = journey();

describe("the office imports people", () => {
  it("an .xlsx with a bad row is shown line by line; fixed, it imports, and pinyin initials find the people", async () => {
    const slug = "zjj-people";
    const { admin, email } = await signUp(j.app, slug, "某市住建局");
    const call = http(j.app.url);
    const root = await call("POST", "/v1/branches", { name: "机关党委", kind: "party_committee" }, admin);
    const general = await call("POST", "/v1/branches", { name: "第一党总支", kind: "general_branch", parentId: root.id }, admin);
    await call("POST", "/v1/branches", { name: "第三党支部", kind: "branch", parentId: general.id }, admin);

    const sheet = (rows: string[][]) => writeXlsxFile([[...TEMPLATE_HEADER], ...rows]).toBuffer();
    const good = [
      ["马西", "13800138001", "maxi@zjj.example.cn", "机关党委/第一党总支/第三党支部", "党员", ""],
      ["单田芳", "13800138002", "", "第三党支部", "书记", ""],
    ];
    const { page } = await signIn(j.browser, j.app.url, slug, email, "/people/import");

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
