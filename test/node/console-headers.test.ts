import { describe, expect, it } from "vitest";
import { CONSOLE_HEADERS } from "../../src/http/console-csp.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/**
 * Issue #10 §7: the console's static files carry the security headers too, here as the Node entry
 * serves them (src/platform/node/site.ts). Workers static assets send the same constant from
 * public/_headers: test/tools/dev-worker.test.ts checks them on wrangler's dev server (vitest's
 * workerd pool calls the Worker directly, without the assets layer). Needs the console built
 * (`npm test` builds it first).
 */
describe("console files' security headers", () => {
  it("are on the page, its scripts and styles, the SPA fallback, the manifest and the service worker", async () => {
    const site = api.target.site!;
    const page = await site("/");
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    const paths = ["/", "/tasks/tsk_01JF0000000000000000000000", "/unsubscribe", "/manifest.webmanifest", "/sw.js", ...assets.slice(0, 4)];
    for (const path of paths) {
      const res = await site(path);
      expect(res.status, path).toBe(200);
      for (const [name, value] of Object.entries(CONSOLE_HEADERS)) expect(res.headers.get(name), `${path} ${name}`).toBe(value);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      await res.arrayBuffer();
    }
  });

  it("leave the API's own answers to the API's headers", async () => {
    const res = await api.target.site!("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    await res.text();
  });
});
