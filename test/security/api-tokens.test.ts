import { describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";

const api = apiForSuite();
const DAY = 86_400_000;

/** Issue #10 §6: API tokens have a scope, a bounded lifetime, a lastUsedAt, and are minted only from a session. */
describe("API token scopes", () => {
  it("a read-only token (the default) reads, and every write is 403 with nothing changed", async () => {
    const t = await api.signUp();
    const created = await api.post("/v1/api-tokens", { name: "数据大屏" }, t.accessToken);
    expect(created.status).toBe(201);
    expect(created.body.scope).toBe("read_only");
    const token = created.body.token as string;
    expect((await api.get("/v1/members", token)).status).toBe(200);
    const before = await api.auditCount(t.accessToken);
    const writes = [
      api.post("/v1/branches", { name: "只读支部", kind: "branch" }, token),
      api.patch("/v1/me", { name: "改名" }, token),
      api.patch(`/v1/members/${t.member.id}`, { name: "改名" }, token),
      api.delete(`/v1/api-tokens/${created.body.id}`, token),
      api.post("/v1/api-tokens", { name: "再来一个" }, token),
      api.call("PUT", "/v1/reminders/settings", { body: { sendHour: 9 }, token }),
    ];
    for (const reply of await Promise.all(writes)) expectProblem(reply, 403, "api_token.read_only");
    expect(await api.auditCount(t.accessToken)).toBe(before);
    expect((await api.get("/v1/me", t.accessToken)).body.member.name).toBe("王局长");
  });

  it("a read-write token writes as its member's role allows, but cannot mint tokens", async () => {
    const t = await api.signUp();
    const rw = await api.post("/v1/api-tokens", { name: "同步", scope: "read_write" }, t.accessToken);
    expect(rw.body.scope).toBe("read_write");
    expect((await api.post("/v1/branches", { name: "接口支部", kind: "branch" }, rw.body.token)).status).toBe(201);
    expectProblem(await api.post("/v1/api-tokens", { name: "自我繁殖", scope: "read_write" }, rw.body.token), 403, "api_token.session_required");
    const listed = await api.get("/v1/api-tokens", t.accessToken);
    expect(listed.body.data).toHaveLength(1);
  });

  it("an unknown scope is a 400 on the field", async () => {
    const t = await api.signUp();
    expect(expectProblem(await api.post("/v1/api-tokens", { name: "x", scope: "admin" }, t.accessToken), 400).errors![0]!.path).toBe("scope");
  });
});

describe("API token lifetime", () => {
  it("defaults to 90 days, and a lifetime past 366 days is refused", async () => {
    const t = await api.signUp();
    const created = await api.post("/v1/api-tokens", { name: "默认" }, t.accessToken);
    const lifetime = Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt);
    expect(lifetime).toBe(90 * DAY);
    const tooLong = await api.post("/v1/api-tokens", { name: "永久", expiresAt: new Date(Date.now() + 367 * DAY).toISOString() }, t.accessToken);
    expect(expectProblem(tooLong, 400).errors![0]!.path).toBe("expiresAt");
    const year = await api.post("/v1/api-tokens", { name: "一年", expiresAt: new Date(Date.now() + 365 * DAY).toISOString() }, t.accessToken);
    expect(year.status).toBe(201);
  });
});

describe("API token lastUsedAt", () => {
  it("is empty until used, then set to the use's time, and not rewritten by uses within the minute", async () => {
    const t = await api.signUp();
    const created = await api.post("/v1/api-tokens", { name: "看板" }, t.accessToken);
    expect(created.body.lastUsedAt).toBeNull();
    const lastUsed = async () => ((await api.get("/v1/api-tokens", t.accessToken)).body.data as Array<{ id: string; lastUsedAt: string | null }>).find((x) => x.id === created.body.id)!.lastUsedAt;
    expect(await lastUsed()).toBeNull();

    const start = Date.now();
    expect((await api.get("/v1/me", created.body.token)).status).toBe(200);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    expect(Math.abs(Date.parse(first!) - start)).toBeLessThan(30_000);

    for (let i = 0; i < 3; i++) expect((await api.get("/v1/me", created.body.token)).status).toBe(200);
    expect(await lastUsed()).toBe(first);
  });

  it("is not touched by a revoked token", async () => {
    const t = await api.signUp();
    const created = await api.post("/v1/api-tokens", { name: "旧" }, t.accessToken);
    expect((await api.delete(`/v1/api-tokens/${created.body.id}`, t.accessToken)).status).toBe(200);
    expectProblem(await api.get("/v1/me", created.body.token), 401, "auth.invalid_token");
    const row = (await api.get("/v1/api-tokens", t.accessToken)).body.data[0];
    expect(row.lastUsedAt).toBeNull();
  });
});
