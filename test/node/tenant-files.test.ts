import { simpleParser } from "mailparser";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { nodeEnvSchema, parseEnv } from "../../src/config.js";
import { nodePorts } from "../../src/platform/node/node-ports.js";
import type { TenantDatabases } from "../../src/platform/ports.js";
import { Api, expectProblem, STRONG_PASSWORD } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

let target: NodeTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

describe("tenant databases on Node", () => {
  it("gives each tenant its own libSQL file, holding only its own data", async () => {
    target = await startNodeTarget();
    const api = new Api(target);
    const a = await api.signUp({ email: "shared@example.cn" });
    const b = await api.signUp({ email: "shared@example.cn" });
    const files = readdirSync(join(target.dataDir, "tenants")).filter((f) => f.endsWith(".db"));
    expect(files.sort()).toEqual([`${a.tenant.id}.db`, `${b.tenant.id}.db`].sort());
    const fileA = createClient({ url: `file:${join(target.dataDir, "tenants", `${a.tenant.id}.db`)}` });
    const rows = await fileA.execute("SELECT id FROM members");
    fileA.close();
    expect(rows.rows.map((r) => r.id)).toEqual([a.member.id]);
  });

  it("retries a failed provisioning step, and when it keeps failing leaves a failed tenant: no database, no login, slug free again", async () => {
    let failures = 0;
    target = await startNodeTarget({
      portsOverride: (ports) => ({
        ...ports,
        tenantDatabases: {
          ...ports.tenantDatabases,
          // The database gets created, then the step after it fails: the worst moment to stop.
          client: (id, locator) => {
            if (failures > 0) {
              failures--;
              throw new Error("simulated: libSQL went away during migration");
            }
            return ports.tenantDatabases.client(id, locator);
          },
        } satisfies TenantDatabases,
      }),
    });
    const api = new Api(target);
    const body = (slug: string) => ({ slug, name: "某单位", admin: { email: "a@example.cn", name: "某人", password: STRONG_PASSWORD } });

    failures = 1;
    const recovered = await api.post("/v1/tenants", body("flaky-once"));
    expect(recovered.status).toBe(201);
    expect((await api.get("/v1/me", recovered.body.accessToken)).body.member.email).toBe("a@example.cn");

    failures = 3;
    expectProblem(await api.post("/v1/tenants", body("half-made")), 503, "tenant.provisioning_failed");
    const dbFiles = readdirSync(join(target.dataDir, "tenants")).filter((f) => f.endsWith(".db"));
    expect(dbFiles).toEqual([`${recovered.body.tenant.id}.db`]);
    expect((await api.get("/v1/tenants/half-made/status")).body.status).toBe("failed");
    expectProblem(await api.post("/v1/auth/login", { tenant: "half-made", email: "a@example.cn", password: STRONG_PASSWORD }), 401);
    // The slug is released: the next signup with it succeeds.
    expect((await api.post("/v1/tenants", body("half-made"))).status).toBe(201);
    expect((await api.get("/v1/tenants/half-made/status")).body.status).toBe("active");
  });

  it("answers 202 when the database takes longer than the request may wait, and the tenant becomes active", async () => {
    target = await startNodeTarget({
      portsOverride: (ports) => ({
        ...ports,
        config: { ...ports.config, provisionWaitMs: 50 },
        tenantDatabases: {
          ...ports.tenantDatabases,
          // Turso's new databases answer 404 for seconds; here, a slow create stands in for that.
          provision: async (id) => {
            await new Promise((r) => setTimeout(r, 400));
            return ports.tenantDatabases.provision(id);
          },
        },
      }),
    });
    const api = new Api(target);
    const reply = await api.post("/v1/tenants", { slug: "slow-db", name: "某单位", admin: { email: "a@example.cn", name: "某人", password: STRONG_PASSWORD } });
    expect(reply.status).toBe(202);
    expect(reply.body.tenant.status).toBe("provisioning");
    expect(reply.body.statusUrl).toMatch(/\/v1\/tenants\/slow-db\/status$/);
    expect((await api.get("/v1/tenants/slow-db/status")).body.status).toBe("provisioning");
    expectProblem(await api.post("/v1/auth/login", { tenant: "slow-db", email: "a@example.cn", password: STRONG_PASSWORD }), 401);
    let status = "provisioning";
    for (let i = 0; i < 50 && status === "provisioning"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await api.get("/v1/tenants/slow-db/status")).body.status;
    }
    expect(status).toBe("active");
    expect((await api.post("/v1/auth/login", { tenant: "slow-db", email: "a@example.cn", password: STRONG_PASSWORD })).status).toBe(200);
  });

  it("keeps at most TENANT_DB_CACHE tenant files open and reopens evicted ones on demand", async () => {
    target = await startNodeTarget({ env: { TENANT_DB_CACHE: "3" } });
    const api = new Api(target);
    const tenants = [];
    for (let i = 0; i < 6; i++) tenants.push(await api.signUp());
    expect(target.tenantDatabases.openCount()).toBeLessThanOrEqual(3);
    for (const t of tenants) expect((await api.get("/v1/me", t.accessToken)).body.member.id).toBe(t.member.id);
    expect(target.tenantDatabases.openCount()).toBeLessThanOrEqual(3);
  });

  it("writes invitation emails to the outbox as .eml files by default", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "qingdan-outbox-"));
    const built = await nodePorts(parseEnv(nodeEnvSchema, { DATA_DIR: dataDir, LOG: "silent" }));
    const app = createApp(built.ports);
    const api = new Api({ runtime: "node", fetch: async (p, i) => app.request(p, i), close: async () => {} });
    const t = await api.signUp({ confirm: false });
    // The signup confirmation is the outbox's first letter; the admin confirms from it before inviting.
    const [confirmation] = readdirSync(join(dataDir, "outbox"));
    const letter = await simpleParser(readFileSync(join(dataDir, "outbox", confirmation!)));
    const token = /#token=(qdt\.[A-Za-z0-9._%-]+)/.exec(letter.text ?? "")?.[1];
    expect((await api.post("/v1/tenants/confirm", { token: decodeURIComponent(token ?? "") })).status).toBe(200);
    const invited = await api.post("/v1/members", { email: "new@example.cn", name: "新党员" }, t.accessToken);
    const files = readdirSync(join(dataDir, "outbox")).filter((f) => f !== confirmation);
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(dataDir, "outbox", files[0]!), "utf8");
    expect(eml).toMatch(/^To: new@example.cn$/m);
    expect(eml).toContain(invited.body.invitation.token.slice(0, 30));
    built.close();
    rmSync(dataDir, { recursive: true, force: true });
    expect(existsSync(dataDir)).toBe(false);
  });
});
