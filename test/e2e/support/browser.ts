import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { expect } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots of every page the journeys visit (git-ignored): look at them, Chinese text included. */
export const SCREENSHOTS = new URL("../../../e2e-screenshots/", import.meta.url).pathname;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A phone: 390×844 (or as wide as asked: 360 is the narrowest the console serves), touch, zh-CN, Shanghai time. */
export async function phone(browser: Browser, baseURL: string, width = 390): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
  });
}

/**
 * Collects what must never happen on a page: script errors, CSP violations (the console runs under
 * a policy with no inline script or style) and failed console messages. `assertClean` checks them.
 */
export function watch(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`csp: ${text}`);
  });
  return {
    problems,
    assertClean: () => expect(problems).toEqual([]),
  };
}

/** A screenshot for people to look at, and an axe check: no serious or critical issue. */
export async function checkPage(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A sheet or dialog still sliding in or out would be photographed half-drawn (and axe would judge
  // a half-gone title): wait for Vue's transitions to settle first.
  await page.locator('[class*="-enter-active"], [class*="-leave-active"]').first().waitFor({ state: "detached", timeout: 5_000 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), `axe on ${name}`).toEqual([]);
}
