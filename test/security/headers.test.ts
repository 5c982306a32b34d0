import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();

/** Issue #10 §7: security headers on every answer, a CSP the docs page satisfies, HSTS only over https. */
describe("security headers", () => {
  it("are on every answer: success, problem and unknown route", async () => {
    for (const [path, status] of [["/healthz", 200], ["/v1/me", 401], ["/v1/nothing-here", 404], ["/openapi.json", 200]] as const) {
      const res = await api.target.fetch(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("unsafe-eval");
      expect(res.headers.get("strict-transport-security"), path).toBeNull();
      await res.text();
    }
  });

  it("allow exactly the docs page's own inline scripts, by hash, and scripts from our origin only", async () => {
    const res = await api.target.fetch("/docs");
    const html = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
    expect(scriptSrc).not.toContain("unsafe-inline");
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    for (const code of inline) expect(scriptSrc).toContain(`'sha256-${createHash("sha256").update(code).digest("base64")}'`);
    for (const src of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/gi)) expect(src[1]).toMatch(/^\/(?!\/)/);
  });

  it("send HSTS over https", async () => {
    const res = await api.target.fetch("/healthz", { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });
});
