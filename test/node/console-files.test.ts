import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { API_PATHS, CONSOLE_CSP, isApiPath } from "../../src/http/console-csp.js";
import { consoleFiles } from "../../src/platform/node/console-files.js";

describe("the split between the API and the console", () => {
  it("wrangler.toml's run_worker_first lists exactly the API's paths", () => {
    const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    const listed = JSON.parse(/run_worker_first\s*=\s*(\[[^\]]*\])/.exec(toml)![1]!);
    expect(listed).toEqual([...API_PATHS]);
    expect(toml).toMatch(/not_found_handling\s*=\s*"single-page-application"/);
  });

  it("API paths go to the app; pages, assets and the docs script to the files", () => {
    for (const path of ["/v1/tasks", "/v1/auth/login", "/openapi.json", "/docs", "/healthz", "/docs/scalar.js"]) expect(isApiPath(path), path).toBe(true);
    for (const path of ["/", "/login", "/tasks/tsk_1", "/assets/index-abc.js", "/v1", "/docsx", "/sw.js"]) expect(isApiPath(path), path).toBe(false);
  });
});

describe("consoleFiles (Node)", () => {
  const dir = mkdtempSync(join(tmpdir(), "qingdan-console-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>清单</title>");
  writeFileSync(join(dir, "assets/app-1.js"), `console.log(${JSON.stringify("x".repeat(5000))});`);
  writeFileSync(join(dir, "_headers"), "/*\n  X: y\n");
  writeFileSync(join(dir, ".secret"), "no");
  const serve = consoleFiles(dir);
  const get = (path: string, headers: Record<string, string> = {}) => serve(new Request(`http://localhost${path}`, { headers }));

  it("serves a file with the CSP, immutable caching for hashed assets, gzip when accepted", async () => {
    const res = await get("/assets/app-1.js", { "accept-encoding": "gzip, br" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toContain("console.log");
    expect((await get("/assets/app-1.js")).headers.get("content-encoding")).toBeNull();
  });

  it("answers index.html (not cached) for any page path, 404 for a missing file", async () => {
    for (const path of ["/", "/tasks/tsk_1", "/login?next=%2Fme"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain("<title>清单</title>");
      expect(res.headers.get("cache-control")).toBe("no-cache");
    }
    expect((await get("/assets/gone-2.js")).status).toBe(404);
    expect((await get("/favicon.ico")).status).toBe(404);
  });

  it("never serves outside its folder, dotfiles or the Workers _headers file", async () => {
    for (const path of ["/../package.json", "/%2e%2e/package.json", "/.secret", "/_headers", "/assets/%2e%2e/%2e%2e/package.json"]) {
      const res = await get(path);
      expect(await res.text(), path).not.toMatch(/"name": "qingdan"|^no$|X: y/);
    }
    expect((await get("/%E0%A4%A")).status).toBe(400);
    expect((await serve(new Request("http://localhost/", { method: "POST" }))).status).toBe(405);
  });
});
