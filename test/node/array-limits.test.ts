import { describe, expect, it } from "vitest";
import { startNodeTarget } from "../support/node-target.js";

/**
 * Every array a request body may carry has a maxLength (maxItems in /openapi.json): validate()
 * refuses a longer one before looking at its items, so no body can make one error per item.
 */
describe("request body arrays", () => {
  it("all have a maximum length", async () => {
    const target = await startNodeTarget();
    const doc = (await (await target.fetch("/openapi.json")).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    const unbounded: string[] = [];
    const walk = (schema: unknown, where: string) => {
      if (!schema || typeof schema !== "object") return;
      if ((schema as { type?: unknown }).type === "array" && (schema as { maxItems?: unknown }).maxItems === undefined) unbounded.push(where);
      for (const [key, inner] of Object.entries(schema)) walk(inner, `${where}/${key}`);
    };
    let bodies = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.requestBody) bodies++;
        walk(operation.requestBody, `${method.toUpperCase()} ${path}`);
      }
    }
    expect(bodies).toBeGreaterThan(30);
    expect(unbounded).toEqual([]);
    await target.close();
  });
});
