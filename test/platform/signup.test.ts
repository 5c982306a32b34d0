import { describe, expect, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";

const api = apiForSuite();

describe("POST /v1/tenants (signup)", () => {
  it("creates the tenant, its first admin and working tokens", async () => {
    const slug = unique("jw");
    const reply = await api.post("/v1/tenants", { slug, name: "武汉市城乡建设局", admin: { email: `Chief@${slug}.cn`, name: "王局长", password: STRONG_PASSWORD } });
    expect(reply.status).toBe(201);
    expect(reply.body.tenant).toMatchObject({ slug, name: "武汉市城乡建设局", status: "active", timezone: "Asia/Shanghai", locale: "zh-CN" });
    expect(reply.body.tenant.id).toMatch(/^ten_[0-9A-Z]{26}$/);
    expect(reply.body.member).toMatchObject({ email: `chief@${slug}.cn`, role: "admin", status: "active" });
    expect(reply.body.member).not.toHaveProperty("passwordHash");
    const me = await api.get("/v1/me", reply.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body.member.id).toBe(reply.body.member.id);
    expect(me.body.tenant.slug).toBe(slug);
  });

  it("keeps a chosen timezone", async () => {
    const slug = unique("tz");
    const reply = await api.post("/v1/tenants", { slug, name: "乌鲁木齐市住建局", timezone: "Asia/Urumqi", admin: { email: `a@${slug}.cn`, name: "管理员", password: STRONG_PASSWORD } });
    expect(reply.status).toBe(201);
    expect(reply.body.tenant.timezone).toBe("Asia/Urumqi");
  });

  it("answers 409 for a taken slug, whatever its case", async () => {
    const first = await api.signUp();
    const again = await api.post("/v1/tenants", { slug: first.tenant.slug.toUpperCase(), name: "另一单位", admin: { email: "x@example.cn", name: "某人", password: STRONG_PASSWORD } });
    expectProblem(again, 409, "tenant.slug_taken");
  });

  it("answers 400 with field paths for a bad slug, a weak password and a bad email", async () => {
    const reply = await api.post("/v1/tenants", { slug: "-Bad Slug-", name: "某单位", timezone: "Mars/Olympus", admin: { email: "not-an-email", name: "某人", password: "12345678" } });
    const problem = expectProblem(reply, 400, "validation.failed");
    const paths = problem.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["slug", "timezone", "admin.email", "admin.password"]));
    expect(problem.title).toBe("请求参数不正确");
  });

  it("speaks English when asked", async () => {
    const reply = await api.post("/v1/tenants", { slug: "x", name: "y" }, undefined, { "accept-language": "en-US,en;q=0.9" });
    const problem = expectProblem(reply, 400, "validation.failed");
    expect(problem.title).toBe("The request is invalid");
    expect(problem.errors).toEqual(expect.arrayContaining([{ path: "admin", message: "Required" }]));
  });

  it("keeps two tenants with the same admin email apart", async () => {
    const a = await api.signUp({ email: "same@example.cn" });
    const b = await api.signUp({ email: "same@example.cn", password: "Another-Pass-2026" });
    expect(a.member.id).not.toBe(b.member.id);
    const loginA = await api.post("/v1/auth/login", { tenant: a.tenant.slug, email: "same@example.cn", password: STRONG_PASSWORD });
    const loginB = await api.post("/v1/auth/login", { tenant: b.tenant.slug, email: "same@example.cn", password: "Another-Pass-2026" });
    expect(loginA.status).toBe(200);
    expect(loginB.status).toBe(200);
    expect(loginA.body.member.id).toBe(a.member.id);
    expect(loginB.body.member.id).toBe(b.member.id);
    // A's password does not open B.
    expectProblem(await api.post("/v1/auth/login", { tenant: b.tenant.slug, email: "same@example.cn", password: STRONG_PASSWORD }), 401, "auth.invalid_credentials");
  });

  it("reports status for a slug and 404 for an unknown one", async () => {
    const a = await api.signUp();
    const status = await api.get(`/v1/tenants/${a.tenant.slug}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ slug: a.tenant.slug, status: "active" });
    expect(status.body.schemaVersion).toBeGreaterThan(0);
    expectProblem(await api.get(`/v1/tenants/${unique("nobody")}/status`), 404, "tenant.not_found");
  });

  it("replays a retried signup with the same Idempotency-Key instead of failing with 409", async () => {
    const slug = unique("idem");
    const body = { slug, name: "某单位", admin: { email: `a@${slug}.cn`, name: "某人", password: STRONG_PASSWORD } };
    const key = unique("key");
    const first = await api.post("/v1/tenants", body, undefined, { "idempotency-key": key });
    const retry = await api.post("/v1/tenants", body, undefined, { "idempotency-key": key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.tenant.id).toBe(first.body.tenant.id);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const other = await api.post("/v1/tenants", { ...body, name: "不同的请求" }, undefined, { "idempotency-key": key });
    expectProblem(other, 422, "idempotency.key_reused");
  });
});

describe("the service around the API", () => {
  it("answers unknown routes with a problem+json 404", async () => {
    expectProblem(await api.get("/v1/nothing-here"), 404, "route.not_found");
  });

  it("publishes an OpenAPI 3.1 document with every route and a docs page that loads nothing from a CDN", async () => {
    const doc = await api.get("/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    for (const path of ["/v1/tenants", "/v1/auth/login", "/v1/auth/refresh", "/v1/me", "/v1/members", "/v1/members/{id}", "/v1/branches/{id}", "/v1/api-tokens", "/v1/invitations/accept", "/v1/audit"]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.paths["/v1/tenants"].post.requestBody.content["application/json"].schema.properties.slug).toBeDefined();
    const page = await api.get("/docs");
    expect(page.status).toBe(200);
    expect(page.body).toContain("/docs/scalar.js");
    expect(page.body).not.toMatch(/cdn\.jsdelivr|unpkg\.com/);
  });

  it("echoes a caller's request id into the problem", async () => {
    const reply = await api.get("/v1/me", undefined, { "x-request-id": "trace-abc-123" });
    expect(expectProblem(reply, 401).requestId).toBe("trace-abc-123");
  });
});
