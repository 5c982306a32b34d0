import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { STRONG_PASSWORD } from "../support/api.js";
import { apiOf, bureau, publishItem } from "./support/bureau.js";
import { checkPage, phone, watch } from "./support/browser.js";
import { mailTo } from "./support/outbox.js";
import { journey } from "./support/journey.js";
import { signIn } from "./support/people.js";

const j = journey();

/** A real JPEG drawn by the browser itself (no fixture files): a red-and-white scene with noise. */
async function makePhoto(page: Page, path: string, width = 1200, height = 900) {
  // A string, not a function: the test's TypeScript has no DOM types.
  const base64 = await page.evaluate<string>(`(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = ${width};
    canvas.height = ${height};
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(${width}, ${height});
    for (let i = 0; i < img.data.length; i += 4) {
      img.data[i] = 180 + ((i * 7) % 70);
      img.data[i + 1] = (i * 13) % 255;
      img.data[i + 2] = (i * 31) % 200;
      img.data[i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    const blob = await new Promise((r) => canvas.toBlob(r, "image/jpeg", 0.92));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  })()`);
  writeFileSync(path, Buffer.from(base64, "base64"));
}

/** The bar shows 待办 审核 吹哨 更多 我的, each label on one line within its item. */
async function tabBarFits(page: Page, name: string) {
  const items = page.locator(".van-tabbar-item");
  await expect.poll(() => items.allTextContents()).toEqual(["待办", "审核", "吹哨", "更多", "我的"].map((label) => expect.stringContaining(label)));
  const overflowing = await page.evaluate<number>(`[...document.querySelectorAll(".van-tabbar-item__text")].filter((el) => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().height > 24).length`);
  expect(overflowing).toBe(0);
  await checkPage(page, name);
}

describe("a member's task, from the invitation email to the ledger", () => {
  it("invite → emailed link → set password → records (one with a photo, one written offline) → submit → the secretary approves → the ledger counts it", async () => {
    const api = apiOf(j.app);
    const b = await bureau(api, j.app);
    const email = "qian@jtj.example.cn";
    const invited = await api.post("/v1/members", { email, name: "钱党员", role: "member", branchId: b.branch.id }, b.admin);
    expect(invited.status).toBe(201);
    await publishItem(api, b, "12月主题党日");

    // The member's phone: the invitation email's one button opens the console page.
    const member = await phone(j.browser, j.app.url);
    const page = await member.newPage();
    const page$ = watch(page);
    const mail = await mailTo(j.app.dataDir, email);
    const link = mail.links.find((l) => l.startsWith(`${j.app.url}/invite#token=`));
    expect(link, mail.text).toBeDefined();
    await page.goto(link!);
    await page.getByText("欢迎加入某市交通运输局").waitFor();
    await page.getByLabel("新密码").fill("qwerty1234");
    await page.getByText("密码强度：").filter({ hasText: /很弱|弱/ }).waitFor();
    await page.getByLabel("新密码").fill(STRONG_PASSWORD);
    await page.getByLabel("再次输入").fill(STRONG_PASSWORD);
    await page.getByText(/密码强度：(强|很强)/).waitFor();
    await checkPage(page, "invite");
    await page.getByRole("button", { name: "设置密码并进入" }).tap();

    // 我的待办, grouped by urgency, with the count toward the minimum.
    await page.getByRole("heading", { name: "我的待办" }).waitFor();
    const cell = page.locator(".task-cell", { hasText: "12月主题党日" });
    await expect.poll(() => cell.textContent()).toContain("0/1 次");
    await checkPage(page, "tasks");
    // The service worker keeps the shell and, once it controls the page, each page's code it fetches.
    await expect.poll(() => page.evaluate("!!navigator.serviceWorker.controller")).toBe(true);
    await cell.tap();
    await page.getByRole("heading", { name: "12月主题党日" }).waitFor();

    // A record with a photo from the album (compressed on the phone, uploaded through /v1/files).
    const photo = join(j.app.dataDir, "site.jpg");
    await makePhoto(page, photo);
    await page.getByRole("button", { name: "添加记录" }).tap();
    await page.getByLabel("做了什么").fill("召开12月主题党日，学习全会精神");
    await page.locator("input[type=file]").setInputFiles(photo);
    await page.locator(".picked img").first().waitFor();
    await checkPage(page, "task-record-form");
    await page.getByRole("button", { name: "保存记录" }).tap();
    await page.locator(".record", { hasText: "召开12月主题党日" }).locator(".photo-grid img").first().waitFor();

    // No signal: the second record waits on the phone, the page says so, and it lands once when back.
    await member.setOffline(true);
    await page.getByRole("button", { name: "添加记录" }).tap();
    await page.getByLabel("做了什么").fill("会后走访困难党员");
    await page.getByRole("button", { name: "保存记录" }).tap();
    await page.getByText("1 条记录等待网络").waitFor();
    await page.locator(".van-tag", { hasText: "等待发送" }).waitFor();
    await checkPage(page, "task-offline");

    // A reload with no signal (the access token lived in memory only): still this member's console,
    // marked 离线, with the record still waiting — not a login page that could not work offline either.
    await page.reload();
    await page.getByText("离线", { exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/tasks\/tsk_/);
    await page.locator(".network-bar .waiting-write", { hasText: "会后走访困难党员" }).waitFor();
    await checkPage(page, "task-offline-reload");
    await member.setOffline(false);
    await page.locator(".record", { hasText: "会后走访困难党员" }).waitFor();
    await expect.poll(() => page.getByText("条记录等待网络").count()).toBe(0);
    const taskId = page.url().split("/").pop()!;
    const records = (await api.get(`/v1/tasks/${taskId}`, b.admin)).body.records as { summary: string }[];
    expect(records.map((r) => r.summary).sort()).toEqual(["会后走访困难党员", "召开12月主题党日，学习全会精神"]);

    await page.getByRole("button", { name: "提交完成" }).tap();
    await page.getByRole("button", { name: "确认" }).tap();
    await page.locator(".van-tag", { hasText: "待审核" }).first().waitFor();
    page$.assertClean();

    // The secretary's phone: 审核 tab, evidence photo full screen, approve.
    const { context: secretary, page: spage } = await signIn(j.browser, j.app.url, b.t.tenant.slug, b.secretary.email, "/reviews", { password: STRONG_PASSWORD });
    const spage$ = watch(spage);
    await spage.getByRole("heading", { name: "待我审核" }).waitFor();
    const card = spage.getByRole("article", { name: "12月主题党日" });
    await card.getByText("钱党员").waitFor();
    await checkPage(spage, "reviews");
    await card.getByRole("button", { name: "第 1 张照片" }).tap();
    await spage.getByRole("dialog", { name: "照片 1/1" }).waitFor();
    await checkPage(spage, "reviews-photo");
    await spage.getByRole("button", { name: "关闭" }).tap();
    await card.getByRole("button", { name: "通过" }).tap();
    await spage.getByText("没有待审核的任务").waitFor();

    // A secretary has more tabs than a phone's bar holds: five slots, the rest under 更多.
    await tabBarFits(spage, "tabbar-secretary-390");
    await spage.getByRole("tab", { name: "更多" }).tap();
    await spage.waitForURL("**/more");
    await spage.getByRole("navigation", { name: "更多" }).getByRole("link", { name: "承诺" }).tap();
    await spage.waitForURL("**/pledges");
    await expect.poll(() => spage.locator(".van-tabbar-item--active").textContent()).toContain("更多");
    const { context: narrow, page: npage } = await signIn(j.browser, j.app.url, b.t.tenant.slug, b.secretary.email, "/more", { password: STRONG_PASSWORD, width: 360 });
    await npage.getByRole("navigation", { name: "更多" }).getByRole("link", { name: "项目" }).waitFor();
    await tabBarFits(npage, "tabbar-secretary-360");
    await narrow.close();
    spage$.assertClean();

    // The ledger counts it, and the member sees it done.
    const ledger = await api.get("/v1/reports/checklists?period=2026", b.admin);
    const row = (ledger.body.data as { name: string; done: number }[]).find((r) => r.name === "钱党员");
    expect(row?.done).toBe(1);
    await page.goto("/");
    await page.locator("[data-urgency=done] .task-cell", { hasText: "12月主题党日" }).waitFor();
    await member.close();
    await secretary.close();
  }, 180_000);
});
