import { describe, expect, it } from "vitest";
import { checkPage, phone, watch } from "./support/browser.js";
import { journey } from "./support/journey.js";
import { bureau, signIn } from "./support/people.js";

const j = journey();

describe("我的 → API 令牌", () => {
  it("an admin makes a token (shown once, copied), sees it used, revokes it; a member has no such page", async () => {
    const b = await bureau(j.app, "jtj-tokens", "某市交通运输局");
    const member = await b.member("钱党员", "qian@jtj-tokens.example.cn");
    const { context, page } = await signIn(j.browser, j.app.url, b.slug, `admin@${b.slug}.example.cn`, "/me");
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const page$ = watch(page);

    await page.getByText("API 令牌").tap();
    await page.waitForURL(/\/me\/api-tokens$/);
    await page.getByText("还没有令牌").waitFor();

    await page.getByLabel("用途").fill("数据同步脚本");
    await page.getByRole("radio", { name: "读写" }).tap();
    await page.getByRole("radio", { name: "30 天" }).tap();
    await page.getByRole("button", { name: "生成令牌" }).tap();
    const secretField = page.getByLabel("令牌", { exact: true });
    await expect.poll(() => secretField.inputValue()).toMatch(/^qd_/);
    const secret = await secretField.inputValue();
    await page.getByText("令牌只显示这一次").waitFor();
    await page.getByRole("button", { name: "复制令牌" }).tap();
    await expect.poll(() => page.evaluate("navigator.clipboard.readText()")).toBe(secret);

    const row = page.locator(".api-token", { hasText: "数据同步脚本" });
    await row.getByText("读写").waitFor();
    await row.getByText("从未使用").waitFor();
    await row.getByText("有效").waitFor();
    // 30 days from now, as the API stored it.
    const [listed] = (await b.call("GET", "/v1/api-tokens", undefined, b.admin)).data;
    expect(listed).toMatchObject({ name: "数据同步脚本", scope: "read_write", revokedAt: null });
    expect(Date.parse(listed.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.parse(listed.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    await checkPage(page, "api-tokens");

    // The token works; after a reload the page shows when it was used, and no longer the secret.
    expect((await b.call("GET", "/v1/me", undefined, secret)).member.name).toBe("王局长");
    await page.reload();
    await row.getByText(/最近使用/).waitFor();
    expect(await page.getByLabel("令牌", { exact: true }).count()).toBe(0);

    await row.getByRole("button", { name: "撤销 数据同步脚本" }).tap();
    await page.getByRole("dialog").getByText("数据同步脚本").waitFor();
    await page.getByRole("button", { name: "确认" }).tap();
    await row.getByText("已撤销").waitFor();
    expect(await row.getByRole("button", { name: /撤销/ }).count()).toBe(0);
    expect((await fetch(`${j.app.url}/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    page$.assertClean();
    await context.close();

    // A member holds no tokens (the API allows admins only): no link under 我的, and the page sends them home.
    const m = await signIn(j.browser, j.app.url, b.slug, member.email, "/me");
    await m.page.getByText("日历订阅").waitFor();
    expect(await m.page.getByText("API 令牌").count()).toBe(0);
    await m.page.goto("/me/api-tokens");
    await m.page.waitForURL((url) => url.pathname === "/" && url.searchParams.get("denied") === "1");
    await m.context.close();
  });

  it("reads in English for a phone set to English", async () => {
    const b = await bureau(j.app, "jtj-tokens-en", "某市交通运输局");
    const context = await phone(j.browser, j.app.url);
    await context.addInitScript("localStorage.setItem('qd.locale', 'en')");
    const page = await context.newPage();
    await page.goto(`/login?next=${encodeURIComponent("/me/api-tokens")}`);
    await page.getByLabel("Bureau").fill(b.slug);
    await page.getByLabel("Email").fill(`admin@${b.slug}.example.cn`);
    await page.getByLabel("Password").fill("Qingdan-2026-secure");
    await page.getByRole("button", { name: "Log in" }).tap();
    await page.waitForURL(/\/me\/api-tokens$/);
    await page.getByText("No tokens yet").waitFor();
    await page.getByRole("radio", { name: "Read only" }).waitFor();
    expect(await page.locator("body").innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    await context.close();
  });
});
