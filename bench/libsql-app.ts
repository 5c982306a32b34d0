// The app in-process with its control and tenant databases on the project's libSQL server over
// HTTP, as the Worker has them: the server's counters then say how many round trips a request cost
// (parts 4 and 13). Emails are captured, so a bench can confirm the bureau it signed up.
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import { createApp } from "../src/app.js";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import * as controlSchema from "../src/db/control/schema.js";
import { applyMigrations } from "../src/db/migrate.js";
import { bundledMigrations } from "../src/db/migrations.generated.js";
import { databaseNameFor, httpTenantDatabases, libsqlServerProvisioner } from "../src/platform/http-tenant-databases.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import type { Ports, MailMessage } from "../src/platform/ports.js";
import { startLibsqlServer } from "../tools/libsql-server/server.js";
import { BENCH_PASSWORD, benchEnv, confirmationToken, tempDir } from "./support.js";

export type Call = (method: string, path: string, body?: unknown, token?: string) => Promise<any>;

/** `overrides` replace ports (jobs off, say); the caller must `close()`. */
export async function libsqlApp(prefix: string, overrides: Partial<Ports> = {}) {
  const dir = tempDir(prefix);
  const authToken = "bench-libsql-token";
  const libsql = await startLibsqlServer({ dataDir: `${dir.path}/libsql`, port: 0, authToken });
  const mails: MailMessage[] = [];
  const built = await nodePorts(parseEnv(nodeEnvSchema, benchEnv(`${dir.path}/control`)), { mailer: { send: async (m) => (mails.push(m), { messageId: "<bench@local>" }) } });
  const close = async () => {
    built.close();
    await libsql.close();
    dir.remove();
  };
  try {
    libsql.createDatabase("control");
    const controlClient = createClient({ url: libsql.databaseUrl("control"), authToken });
    await applyMigrations(controlClient, bundledMigrations.control);
    const app = createApp({
      ...built.ports,
      control: drizzle(controlClient, { schema: controlSchema }),
      tenantDatabases: httpTenantDatabases({ authToken, provisioner: libsqlServerProvisioner(libsql.url, authToken) }),
      ...overrides,
    });
    const call: Call = async (method, path, body, token) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = res.status === 204 ? null : ((await res.json()) as any);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 400)}`);
      return json;
    };
    /** Signs a bureau up and confirms it from the emailed link (an unconfirmed bureau invites nobody). */
    const signUp = async (slug: string) => {
      const session = await call("POST", "/v1/tenants", { slug, name: "某市住房和城乡建设局", admin: { email: `admin@${slug}.example.cn`, name: "王局长", password: BENCH_PASSWORD } });
      await call("POST", "/v1/tenants/confirm", { token: confirmationToken(mails) });
      return { session, dbName: databaseNameFor(session.tenant.id) };
    };
    return { app, call, signUp, libsql, mails, close };
  } catch (error) {
    await close();
    throw error;
  }
}
