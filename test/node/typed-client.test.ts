import { hc } from "hono/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppType } from "../../src/app.js";
import { STRONG_PASSWORD, unique } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

let target: NodeTarget;
beforeAll(async () => {
  target = await startNodeTarget();
});
afterAll(() => target.close());

describe("the exported AppType", () => {
  it("types Hono's client end to end: request bodies in, response fields out", async () => {
    const client = hc<AppType>("http://qingdan.test", { fetch: (input: RequestInfo | URL, init?: RequestInit) => target.fetch(String(input).replace("http://qingdan.test", ""), init) });
    const slug = unique("hc");
    const signup = await client.v1.tenants.$post({ json: { slug, name: "类型化客户端测试局", admin: { email: `a@${slug}.cn`, name: "管理员", password: STRONG_PASSWORD } } });
    expect(signup.status).toBe(201);
    if (signup.status !== 201) return;
    const body = await signup.json();
    const me = await client.v1.me.$get({}, { headers: { authorization: `Bearer ${body.accessToken}` } });
    const meBody = await me.json();
    // Compile-time: `member.email` exists on the typed response; run-time: it is the admin's.
    expect("member" in meBody && meBody.member.email).toBe(`a@${slug}.cn`);
  });
});
