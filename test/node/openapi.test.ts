import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { startNodeTarget } from "../support/node-target.js";

/** Every route a client can call is in /openapi.json, with its parameters, except the docs themselves. */
describe("the OpenAPI document", () => {
  it("lists every route of the app", async () => {
    const target = await startNodeTarget();
    const doc = (await (await target.fetch("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const app = createApp(target.ports);
    const undocumented: string[] = [];
    for (const route of app.routes) {
      if (route.method === "ALL" || ["/healthz", "/openapi.json", "/docs", "/docs/scalar.js"].includes(route.path)) continue;
      // Hono's `:id` and `:feedToken{regex}` become OpenAPI's `{id}` and `{feedToken}`.
      const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}").replace(/\/$/, "") || "/";
      if (!doc.paths[path]?.[route.method.toLowerCase()]) undocumented.push(`${route.method} ${path}`);
    }
    expect(undocumented).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(60);
    await target.close();
  });
});
