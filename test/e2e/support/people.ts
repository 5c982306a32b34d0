import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { phone } from "./browser.js";
import { mailTo } from "./outbox.js";
import type { RunningApp } from "./server.js";

export const PASSWORD = "Qingdan-2026-secure";

/** The API as a setup tool: the journeys drive the console, the fixtures are made over HTTP. */
export function http(base: string) {
  return async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return json;
  };
}

/** A bureau just signed up (its admin 王局长, admin@<slug>.example.cn, signup not yet confirmed). */
export async function signUp(app: RunningApp, slug: string, name = "某市交通运输局") {
  const email = `admin@${slug}.example.cn`;
  const signup = await http(app.url)("POST", "/v1/tenants", { slug, name, admin: { email, name: "王局长", password: PASSWORD } });
  return { slug, email, admin: signup.accessToken as string };
}

/**
 * A bureau whose admin confirmed the signup email (its link from the outbox, as the /confirm page
 * posts it), and members who accepted their invitations (over the API).
 */
export async function bureau(app: RunningApp, slug: string, name: string) {
  const call = http(app.url);
  const { admin, email: adminEmail } = await signUp(app, slug, name);
  const confirmation = await mailTo(app.dataDir, adminEmail);
  const token = decodeURIComponent(/\/confirm#token=([^\s"<]+)/.exec(confirmation.text)?.[1] ?? "");
  await call("POST", "/v1/tenants/confirm", { token });
  const branch = await call("POST", "/v1/branches", { name: "机关第一支部", kind: "branch" }, admin);
  const member = async (person: string, email: string, role = "member") => {
    const invited = await call("POST", "/v1/members", { email, name: person, role, branchId: branch.id }, admin);
    const accepted = await call("POST", "/v1/invitations/accept", { token: invited.invitation.token, password: PASSWORD });
    return { id: invited.member.id as string, name: person, email, token: accepted.accessToken as string };
  };
  return { slug, call, admin, branch, member };
}

/** One person on their own phone, signed in through the login page. */
export async function signIn(browser: Browser, base: string, slug: string, email: string, landing = "/", options: { password?: string; width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phone(browser, base, options.width);
  const page = await context.newPage();
  await page.goto(`/login?next=${encodeURIComponent(landing)}`);
  await page.getByLabel("单位标识").fill(slug);
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(options.password ?? PASSWORD);
  await page.getByRole("button", { name: "登录" }).tap();
  await page.waitForURL((url) => url.pathname === landing.split("?")[0]);
  expect(new URL(page.url()).pathname).toBe(landing.split("?")[0]);
  return { context, page };
}
