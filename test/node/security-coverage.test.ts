import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { startNodeTarget } from "../support/node-target.js";

/**
 * Every authenticated route is in some test's security matrix (test/support/security.ts): 401, 403,
 * 404 for another tenant, hostile bodies. Routes come from Hono's router; a route is authenticated
 * when it answers 401 without credentials and /openapi.json does not document it as public (refresh
 * and the confirmation resend answer 401 to a missing cookie or token of their own). Matrix entries are read from the test files' `routes`
 * tables (`{ method: "POST", path: `/v1/tasks/${task.id}/review`, … minRole … }`).
 */

/** Routes that refuse every caller alike (405: service logs are append-only), so no role matrix applies. */
const REFUSE_EVERYONE = new Set(["PUT /v1/projects/:id/logs/:logId", "PATCH /v1/projects/:id/logs/:logId", "DELETE /v1/projects/:id/logs/:logId"]);

const testRoot = new URL("..", import.meta.url).pathname;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "e2e" ? [] : testFiles(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

/**
 * `{ method: "GET", path: `/v1/x/${a.id}?q=1`, …, minRole: … }` → ["GET", /^\/v1\/x\/[^/]+$/]. A path
 * given as a variable (`path: p`, `${p}/logs`) is resolved from its `const p = `…`` in the same file.
 */
function matrixEntries(): { method: string; path: RegExp; sample: string }[] {
  const entry = /\{\s*method:\s*"(GET|POST|PUT|PATCH|DELETE)",\s*path:\s*(`[^`]*`|"[^"]*"|\w+)(?:(?!method:)[\s\S])*?minRole/g;
  const out: { method: string; path: RegExp; sample: string }[] = [];
  for (const file of testFiles(testRoot)) {
    const text = readFileSync(file, "utf8");
    const constant = (name: string) => text.match(new RegExp(`(?:const|let)\\s+${name}\\s*=\\s*(\`[^\`]*\`|"[^"]*")`))?.[1]?.slice(1, -1) ?? "";
    for (const m of text.matchAll(entry)) {
      // A `${name}` naming a path constant of the file is inlined; any other `${…}` is one id segment.
      const inline = (t: string): string => t.replace(/\$\{(\w+)\}/g, (whole, name: string) => (constant(name).startsWith("/") ? inline(constant(name)) : whole));
      const raw = inline(/^\w+$/.test(m[2]!) ? constant(m[2]!) : m[2]!.slice(1, -1)).split("?")[0]!;
      if (!raw) continue;
      const pattern = raw
        .split(/\$\{[^}]*\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]+");
      out.push({ method: m[1]!, path: new RegExp(`^${pattern}/?$`), sample: raw.replace(/\$\{[^}]*\}/g, "x") });
    }
  }
  return out;
}

/** A concrete path for a route pattern: each `:param` becomes a well-formed id or token. */
const concrete = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => (name === "key" ? "safety" : name === "date" ? "2026-03-02" : name === "feedToken" ? "x" : "x_00000000000000000000000000"));

describe("security matrix coverage", () => {
  it("every route that answers 401 without credentials is in a security matrix", async () => {
    const target = await startNodeTarget();
    const app = createApp(target.ports);
    const entries = matrixEntries();
    const doc = (await (await target.fetch("/openapi.json")).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const isPublic = (method: string, path: string) => doc.paths[path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}").replace(/\/$/, "")]?.[method.toLowerCase()]?.security?.length === 0;
    const seen = new Set<string>();
    expect(entries.length).toBeGreaterThan(50);
    const uncovered: string[] = [];
    let authenticated = 0;
    for (const route of app.routes) {
      if (route.method === "ALL" || seen.has(`${route.method} ${route.path}`) || isPublic(route.method, route.path)) continue;
      seen.add(`${route.method} ${route.path}`);
      const path = concrete(route.path);
      const reply = await target.fetch(path, { method: route.method, headers: { "content-type": "application/json" }, body: ["GET", "HEAD"].includes(route.method) ? undefined : "{}" });
      if (reply.status !== 401) continue;
      authenticated++;
      // An entry covers the route when its `${…}` ids line up with the route's `:param`s, or its literal
      // values (`/v1/calendar/days/2026-03-02`) fill them.
      const routePattern = new RegExp(`^${route.path.replace(/\/$/, "").replace(/:(\w+)(\{[^}]*\})?/g, "[^/]+")}/?$`);
      const covered = entries.some((e) => e.method === route.method && (e.path.test(route.path.replace(/\/$/, "")) || routePattern.test(e.sample)));
      if (!covered && !REFUSE_EVERYONE.has(`${route.method} ${route.path}`)) uncovered.push(`${route.method} ${route.path}`);
    }
    expect(authenticated).toBeGreaterThan(60);
    expect(uncovered).toEqual([]);
    await target.close();
  }, 120_000);
});
