import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser.js";
import { type RunningApp, startApp } from "./server.js";

/**
 * A journey file's app (as `npm start` runs it, its own DATA_DIR) and Chromium, started before its
 * tests and stopped after: `const j = journey();` then `j.app.url`, `phone(j.browser, j.app.url)`.
 */
export function journey(): { readonly app: RunningApp; readonly browser: Browser } {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  return {
    get app() {
      if (!app) throw new Error("journey(): the app starts in beforeAll");
      return app;
    },
    get browser() {
      if (!browser) throw new Error("journey(): the browser starts in beforeAll");
      return browser;
    },
  };
}
