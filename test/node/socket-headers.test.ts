import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { serveApp } from "../../src/platform/node/serve-app.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

/**
 * Issue 19: on Node the common headers (security headers, X-Request-Id, Content-Language) go
 * straight onto the ServerResponse (src/http/middleware.ts, withHeaders) instead of into each
 * answer's Headers object. Over a real socket the answers must carry exactly what `app.request()`
 * (the Workers path) puts in them, a route's own header of the same name still winning.
 */
let target: NodeTarget;
let app: ReturnType<typeof createApp>;
let server: ReturnType<typeof serveApp>;
let base: string;

beforeAll(async () => {
  target = await startNodeTarget();
  app = createApp(target.ports);
  server = serveApp(app, { port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await target.close();
});

/** The headers an answer means, without those only a socket adds (date, connection, framing). */
const meaningful = (res: Response) =>
  Object.fromEntries([...res.headers].filter(([name]) => !["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(name)));

describe("answers over a Node socket carry the same headers as app.request()'s", () => {
  const cases: [string, string, Record<string, string>, number][] = [
    ["health check", "/healthz", {}, 200],
    ["a problem (no token)", "/v1/me", { "accept-language": "en" }, 401],
    ["an unknown route", "/v1/no-such-route", {}, 404],
    ["the OpenAPI document", "/openapi.json", {}, 200],
    ["the docs page (its inline scripts allowed by hash: the page's own CSP wins)", "/docs", {}, 200],
  ];
  for (const [name, path, headers, status] of cases) {
    it(name, async () => {
      const given = { ...headers, "x-request-id": "socket-headers-test" };
      const overSocket = await fetch(`${base}${path}`, { headers: given });
      const inProcess = await app.request(path, { headers: given });
      expect(overSocket.status).toBe(status);
      expect(inProcess.status).toBe(status);
      const [a, b] = [meaningful(overSocket), meaningful(inProcess)];
      expect(a).toEqual(b);
      expect(a["x-request-id"]).toBe("socket-headers-test");
      expect(a["x-content-type-options"]).toBe("nosniff");
      expect(a["content-security-policy"]).toMatch(/default-src 'self'/);
      if (path === "/docs") expect(a["content-security-policy"]).toMatch(/script-src 'self' 'sha256-/);
      await Promise.all([overSocket.arrayBuffer(), inProcess.arrayBuffer()]);
    });
  }
});
