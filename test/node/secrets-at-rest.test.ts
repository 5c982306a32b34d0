import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEASE_MS } from "../../src/http/idempotency.js";
import { redactTokens } from "../../src/http/middleware.js";
import { sha256Hex } from "../../src/platform/crypto.js";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

let target: NodeTarget;
const api = new Api();
beforeAll(async () => {
  target = await startNodeTarget();
  api.target = target;
});
afterAll(() => target.close());

const rowsOf = async (tenantId: string) => {
  const client = createClient({ url: `file:${target.dataDir}/tenants/${tenantId}.db` });
  try {
    return (await client.execute("SELECT key, status, body, created_at FROM idempotency_keys")).rows as unknown as { key: string; status: number; body: string; created_at: string }[];
  } finally {
    client.close();
  }
};

/** Issue #10 §5: secrets stay secret — in the idempotency store and in the request log. */
describe("idempotency store", () => {
  it("keeps no secret in clear: a replay still returns the API token, the database holds only a sealed answer", async () => {
    const t = await api.signUp();
    const headers = { "idempotency-key": "mint-1" };
    const first = await api.post("/v1/api-tokens", { name: "脚本" }, t.accessToken, headers);
    expect(first.status).toBe(201);
    const again = await api.post("/v1/api-tokens", { name: "脚本" }, t.accessToken, headers);
    expect(again.body.token).toBe(first.body.token);
    const rows = await rowsOf(t.tenant.id);
    expect(rows.length).toBe(1);
    expect(JSON.stringify(rows)).not.toContain(first.body.token.split(".")[1]);
    expect(JSON.stringify(rows)).not.toContain("mint-1");
  });

  it("a claim left by a dead request is a lease that runs out; answers older than a day are swept", async () => {
    const t = await api.signUp();
    const now = Date.now();
    const client = createClient({ url: `file:${target.dataDir}/tenants/${t.tenant.id}.db` });
    const insert = (key: string, status: number, at: number) =>
      client.execute({ sql: "INSERT INTO idempotency_keys (key, request_hash, status, body, created_at) VALUES (?, 'x', ?, '', ?)", args: [key, status, new Date(at).toISOString()] });
    await insert(await sha256Hex(`${t.member.id}:stuck`), 0, now - LEASE_MS - 1_000);
    await insert("stale-answer", 201, now - 24 * 3_600_000 - 60_000);
    client.close();
    const retried = await api.post("/v1/branches", { name: "第一支部", kind: "branch" }, t.accessToken, { "idempotency-key": "stuck" });
    expect(retried.status).toBe(201);
    const keys = (await rowsOf(t.tenant.id)).map((r) => r.key);
    expect(keys).not.toContain("stale-answer");
    expect(keys.length).toBe(1);
  });
});

describe("request log", () => {
  it("keeps a token's kind and tenant, never its secret", () => {
    expect(redactTokens("/v1/calendar/qdc.ten_01J0000000000000000000000A.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG.ics")).toBe("/v1/calendar/qdc.ten_01J0000000000000000000000A.[redacted].ics");
    expect(redactTokens("/v1/invitations/qdi.ten_01J0000000000000000000000A.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")).toBe("/v1/invitations/qdi.ten_01J0000000000000000000000A.[redacted]");
    expect(redactTokens("/v1/tasks/tsk_01J0000000000000000000000A")).toBe("/v1/tasks/tsk_01J0000000000000000000000A");
  });
});
