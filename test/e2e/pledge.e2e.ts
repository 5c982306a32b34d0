import { describe, expect, it } from "vitest";
import { makeUnsubscribeToken } from "../../src/modules/reminders/unsubscribe-token.js";
import { checkPage, phone, watch } from "./support/browser.js";
import { journey } from "./support/journey.js";
import { bureau, signIn } from "./support/people.js";

const j = journey();

describe("承诺践诺 from draft to the public board", () => {
  it("a member drafts and submits, the secretary approves, the member reports progress, the public sees it (name masked) and rates it", async () => {
    const b = await bureau(j.app, "jw-pledge", "某市城乡建设局");
    await b.call("PUT", "/v1/pledges/settings", { weights: { self: 20, leader: 40, peer: 20, public: 20 }, publicBoard: true, publicNames: "surname", publicRatings: true }, b.admin);
    const secretary = await b.member("周书记", "zhou@jw.example.cn", "secretary");
    await b.call("PATCH", `/v1/branches/${b.branch.id}`, { secretaryId: secretary.id }, b.admin);
    const member = await b.member("李建国", "li@jw.example.cn");

    // 1. The member drafts a pledge on the phone and submits it.
    const m = await signIn(j.browser, j.app.url, b.slug, member.email, "/pledges");
    const m$ = watch(m.page);
    await m.page.getByText("还没有承诺").waitFor();
    await checkPage(m.page, "pledges");
    await m.page.getByRole("button", { name: "写承诺" }).tap();
    await m.page.waitForURL("**/pledges/new");
    await m.page.getByLabel("承诺事项").fill("协调解决地铁3号线建设现场问题");
    await m.page.getByLabel("具体内容").fill("作为路长，每月至少走访两次工地，协调解决群众反映的围挡占道、夜间施工扰民等问题。");
    await m.page.getByLabel("完成时限").fill("2026-12-31");
    await m.page.getByLabel("目标 1").fill("协调解决现场问题");
    await m.page.getByLabel("数量").fill("10");
    await m.page.getByLabel("单位", { exact: true }).fill("个");
    await checkPage(m.page, "pledge-form");
    await m.page.getByRole("button", { name: "保存草稿" }).tap();
    await m.page.waitForURL(/\/pledges\/plg_/);
    const pledgeId = new URL(m.page.url()).pathname.split("/").pop()!;
    await m.page.locator(".pledge-tags").getByText("草稿").waitFor();
    await m.page.getByRole("button", { name: "提交审核" }).tap();
    await m.page.locator(".pledge-tags").getByText("待审核").waitFor();

    // 2. The secretary finds it under 待我审核 and approves it.
    const s = await signIn(j.browser, j.app.url, b.slug, secretary.email, "/pledges?view=review");
    const s$ = watch(s.page);
    await s.page.getByText("协调解决地铁3号线建设现场问题").tap();
    await s.page.waitForURL(`**/pledges/${pledgeId}`);
    await s.page.getByText("李建国").waitFor();
    await s.page.getByRole("button", { name: "审核通过" }).tap();
    await s.page.getByRole("dialog").getByLabel("审核意见（可不填）").fill("目标明确，同意。");
    await s.page.getByRole("dialog").getByRole("button", { name: "确定" }).tap();
    await s.page.locator(".pledge-tags").getByText("践诺中").waitFor();

    // 3. The member reports progress (4 of 10) and evaluates themself.
    await m.page.reload();
    await m.page.locator(".pledge-tags").getByText("践诺中").waitFor();
    await m.page.getByRole("button", { name: "报告进展" }).tap();
    await m.page.getByRole("dialog").getByLabel("协调解决现场问题").fill("4");
    await m.page.getByRole("dialog").getByLabel("说明").fill("走访工地3次，协调解决围挡占道2处、夜间施工扰民2起。");
    const site = await m.page.screenshot({ type: "jpeg", quality: 80 });
    await m.page.getByRole("dialog").locator("input[type=file]").setInputFiles({ name: "IMG_0003.jpg", mimeType: "image/jpeg", buffer: site });
    await m.page.getByRole("dialog").locator(".photo-field img").first().waitFor();
    await checkPage(m.page, "pledge-update");
    await m.page.getByRole("dialog").getByRole("button", { name: "确定" }).tap();
    await m.page.getByText("践诺进度 40%").waitFor();
    await m.page.getByText("走访工地3次").waitFor();
    const progressPhoto = m.page.locator(".pledge-updates img").first();
    await progressPhoto.waitFor();
    await expect.poll(() => progressPhoto.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await checkPage(m.page, "pledge");
    const updated = await b.call("GET", `/v1/pledges/${pledgeId}`, undefined, member.token);
    expect(updated).toMatchObject({ status: "approved", published: true, progress: { percent: 40 } });
    const reported = await b.call("GET", `/v1/pledges/${pledgeId}/updates`, undefined, member.token);
    expect(reported.data.map((u: { files: unknown[] }) => u.files.length)).toEqual([1]);

    // 4. Anyone, no login: the bureau's board, the name masked as configured; a rating; the QR poster.
    const visitor = await phone(j.browser, j.app.url);
    const v = await visitor.newPage();
    const v$ = watch(v);
    await v.goto(`/board/${b.slug}`);
    await v.getByText("协调解决地铁3号线建设现场问题").waitFor();
    await v.getByText(/^李\*\*/).waitFor();
    expect(await v.getByText("李建国").count()).toBe(0);
    await checkPage(v, "board");
    await v.getByText("协调解决地铁3号线建设现场问题").tap();
    await v.waitForURL(`**/board/${b.slug}/${pledgeId}`);
    await v.getByText("4 / 10 个").waitFor();
    await v.getByRole("button", { name: "5 星" }).tap();
    await v.getByText("感谢评价").waitFor();
    await checkPage(v, "board-pledge");
    await v.goto(`/board/${b.slug}/poster`);
    await v.getByText("某市城乡建设局").first().waitFor();
    const qr = v.locator("img.poster-qr");
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(await v.getByText(`${j.app.url}/board/${b.slug}`).count()).toBe(1);
    await checkPage(v, "board-poster");
    const rated = await b.call("GET", `/v1/public/${b.slug}/pledges/${pledgeId}`);
    expect(rated.rating).toMatchObject({ count: 1, averageStars: 5 });

    for (const w of [m$, s$, v$]) w.assertClean();
    for (const c of [m.context, s.context, visitor]) await c.close();
  }, 240_000);
});

describe("我的 and the unsubscribe page", () => {
  it("notification categories, the calendar feed link, and one-click unsubscribe from an email link", async () => {
    const b = await bureau(j.app, "jw-me", "某市城乡建设局");
    const member = await b.member("吴党员", "wu@jw.example.cn");
    const m = await signIn(j.browser, j.app.url, b.slug, member.email, "/me");
    const m$ = watch(m.page);
    await m.page.getByText("消息提醒").tap();
    await m.page.waitForURL("**/me/notifications");
    await m.page.getByRole("switch", { name: /每周下属逾期汇总/ }).tap();
    await expect.poll(async () => (await b.call("GET", "/v1/me/notifications", undefined, member.token)).mutedCategories).toEqual(["summary"]);
    await checkPage(m.page, "me-notifications");

    await m.page.goto("/me/calendar");
    await m.page.getByRole("button", { name: "生成订阅链接" }).tap();
    const feed = m.page.getByRole("textbox", { name: "日历订阅" });
    await expect.poll(() => feed.inputValue()).toMatch(/\/v1\/calendar\/qdc\..+\.ics$/);
    const ics = await fetch(await feed.inputValue());
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    await checkPage(m.page, "me-calendar");

    // The reminder email's 退订 link: /unsubscribe#token=… (made here as the digest makes it).
    const token = await makeUnsubscribeToken("e2e-secret-e2e-secret-e2e-secret-0123", (await b.call("GET", "/v1/me", undefined, member.token)).tenant.id, member.id);
    const anon = await phone(j.browser, j.app.url);
    const u = await anon.newPage();
    const u$ = watch(u);
    await u.goto(`/unsubscribe#token=${encodeURIComponent(token)}`);
    await u.getByText("退订后，您将不再收到「某市城乡建设局」清单工作台的提醒邮件").waitFor();
    await checkPage(u, "unsubscribe");
    await u.getByRole("button", { name: "确认退订" }).tap();
    await u.getByText("已退订").waitFor();
    await checkPage(u, "unsubscribed");
    expect((await b.call("GET", "/v1/me/notifications", undefined, member.token)).mutedCategories.sort()).toEqual(["pledges", "problems", "summary", "tasks", "worklog"]);
    for (const w of [m$, u$]) w.assertClean();
    await m.context.close();
    await anon.close();
  }, 180_000);
});
