import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { TrustProxy } from "../../src/http/client-address.js";
import type { AppEnv } from "../../src/http/env.js";
import { clientAddress } from "../../src/modules/public/rate-limit.js";

/** Issue #10 §2: on Node, proxy headers name the client only behind a configured proxy (TRUST_PROXY). */
function appTrusting(trustProxy: TrustProxy) {
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set("ports", { config: { trustProxy } } as never);
      await next();
    })
    .get("/who", (c) => c.text(clientAddress(c)));
}
const socket = { incoming: { socket: { remoteAddress: "203.0.113.9" } } };
const headers = { "x-forwarded-for": "1.2.3.4, 10.0.0.7", "cf-connecting-ip": "5.6.7.8" };
const who = async (trust: TrustProxy) => (await appTrusting(trust).request("/who", { headers }, socket)).text();

describe("client address", () => {
  it("is the socket's when no proxy is trusted, whatever the client writes in headers", async () => {
    expect(await who("none")).toBe("203.0.113.9");
  });
  it("is the last X-Forwarded-For entry behind our proxy, CF-Connecting-IP behind Cloudflare", async () => {
    expect(await who("forwarded")).toBe("10.0.0.7");
    expect(await who("cloudflare")).toBe("5.6.7.8");
  });
});
