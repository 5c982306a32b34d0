import { describe, expect, it } from "vitest";
import { checkPage, phone, watch } from "./support/browser.js";
import { outbox } from "./support/outbox.js";
import { journey } from "./support/journey.js";
import { PASSWORD, signUp as signUpBureau } from "./support/people.js";

const j = journey();
const signUp = (slug: string) => signUpBureau(j.app, slug);

describe("getting in", () => {
  it("a deep link goes through login and back; a reload keeps the session (refresh cookie); logout ends it", async () => {
    const admin = await signUp("jtj-login");
    const context = await phone(j.browser, j.app.url);
    const page = await context.newPage();
    const page$ = watch(page);

    await page.goto("/me");
    await page.waitForURL(/\/login\?next=(%2F|\/)me$/);
    await expect.poll(() => page.title()).toContain("登录");
    await checkPage(page, "login");

    await page.getByLabel("单位标识").fill(admin.slug);
    await page.getByLabel("邮箱").fill(admin.email);
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "登录" }).tap();
    await page.waitForURL(/\/me$/);
    await page.getByText("王局长").waitFor();

    // The refresh token is an HttpOnly cookie: script cannot read it, the browser sends it to /v1/auth only.
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === "qd_refresh");
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/v1/auth" });
    expect(await page.evaluate("document.cookie")).not.toContain("qd_refresh");

    await page.reload();
    await page.getByText("王局长").waitFor();
    await checkPage(page, "me");

    await page.getByRole("button", { name: "退出登录" }).tap();
    await page.getByRole("button", { name: "确认" }).or(page.getByRole("button", { name: "确定" })).first().tap();
    await page.waitForURL(/\/login/);
    // The slug and email are remembered for next time.
    await expect.poll(() => page.getByLabel("单位标识").inputValue()).toBe(admin.slug);
    await page.goto("/me");
    await page.waitForURL(/\/login/);
    // Signed out means signed out offline too: no last person kept to show without a network.
    expect(await page.evaluate("localStorage.getItem('qd.session')")).toBeNull();
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    await context.setOffline(true);
    await page.goto("/me");
    await page.waitForURL(/\/login/);
    await context.setOffline(false);
    page$.assertClean();
    await context.close();
  });

  it("the emails' links open console pages: signup confirmation, then a forgotten password reset", async () => {
    const admin = await signUp("jtj-mail");
    const context = await phone(j.browser, j.app.url);
    const page = await context.newPage();
    const page$ = watch(page);
    const linkTo = async (path: string) => {
      let link: string | undefined;
      await expect.poll(async () => (link = (await outbox(j.app.dataDir)).filter((m) => m.to.includes(admin.email)).flatMap((m) => m.links).find((l) => l.startsWith(`${j.app.url}${path}#token=`))), { timeout: 10_000 }).toBeDefined();
      return link!;
    };

    await page.goto(await linkTo("/confirm"));
    await page.getByText("邮箱已确认").waitFor();
    await checkPage(page, "confirm");

    // What was typed on the login page goes with the person to 忘记密码.
    await page.goto("/login");
    await page.getByLabel("单位标识").fill(admin.slug);
    await page.getByLabel("邮箱或手机号").fill(admin.email);
    await page.getByRole("link", { name: "忘记密码？" }).tap();
    // The forgot page is a lazy chunk: wait for it, or the login page's fields are the ones read.
    await page.waitForURL(/\/forgot$/);
    await page.getByRole("button", { name: "发送重置邮件" }).waitFor();
    expect(await page.getByLabel("单位标识").inputValue()).toBe(admin.slug);
    expect(await page.getByLabel("邮箱").inputValue()).toBe(admin.email);
    await page.getByRole("button", { name: "发送重置邮件" }).tap();
    await page.getByText("重置邮件已发出").waitFor();
    await checkPage(page, "forgot");

    await page.goto(await linkTo("/reset"));
    const fresh = "Xin-mima-2026-qingdan";
    await page.getByLabel("新密码").fill(fresh);
    await page.getByLabel("再次输入").fill(fresh);
    await page.getByText(/密码强度：(强|很强)/).waitFor();
    await checkPage(page, "reset");
    await page.getByRole("button", { name: "设置新密码" }).tap();
    await page.getByText("密码已重置").waitFor();
    const login = await fetch(`${j.app.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tenant: admin.slug, email: admin.email, password: fresh }) });
    expect(login.status).toBe(200);
    page$.assertClean();
    await context.close();
  });

  it("the shell starts with no network once the service worker has it", async () => {
    const context = await phone(j.browser, j.app.url);
    const page = await context.newPage();
    await page.goto("/login");
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { name: "清单工作台" }).waitFor();
    await context.setOffline(false);
    await context.close();
  });

  it("the console's files carry a CSP with no inline script, and unknown paths are console pages", async () => {
    const index = await fetch(`${j.app.url}/tasks/tsk_unknown`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await index.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await fetch(`${j.app.url}/assets/missing.js`)).status).toBe(404);
    const api = await fetch(`${j.app.url}/v1/nothing-here`);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
    expect((await fetch(`${j.app.url}/healthz`)).status).toBe(200);
  });
});
