import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import type { Hono } from "hono";
import { createApp } from "./app.js";
import { parseEnv, workerEnvSchema, type WorkerEnv } from "./config.js";
import * as controlSchema from "./db/control/schema.js";
import { applyMigrations } from "./db/migrate.js";
import { bundledMigrations } from "./db/migrations.generated.js";
import type { AppEnv } from "./http/env.js";
import { failStaleProvisioning } from "./modules/tenants/service.js";
import { type DatabaseProvisioner, httpTenantDatabases, libsqlServerProvisioner } from "./platform/http-tenant-databases.js";
import { tursoProvisioner } from "./platform/turso-provisioner.js";
import { jsonLogger, silentLogger } from "./platform/json-logger.js";
import type { Ports } from "./platform/ports.js";
import { logMailer } from "./platform/worker/log-mailer.js";

interface Bindings {
  REMINDERS: Queue<unknown>;
  [key: string]: unknown;
}

function provisionerFor(env: WorkerEnv): DatabaseProvisioner {
  if (env.TENANT_DB_PROVIDER === "turso") {
    const { TURSO_ORGANIZATION: organization, TURSO_GROUP: group, TURSO_API_TOKEN: apiToken } = env;
    if (!organization || !group || !apiToken) throw new Error("TENANT_DB_PROVIDER=turso needs TURSO_ORGANIZATION, TURSO_GROUP and TURSO_API_TOKEN");
    return tursoProvisioner({ organization, group, apiToken, apiBase: env.TURSO_API_BASE, urlFor: (hostname) => env.TURSO_DATABASE_URL.replace("{hostname}", hostname) });
  }
  if (!env.LIBSQL_SERVER_URL) throw new Error("TENANT_DB_PROVIDER=libsql-server needs LIBSQL_SERVER_URL");
  return libsqlServerProvisioner(env.LIBSQL_SERVER_URL, env.LIBSQL_SERVER_ADMIN_TOKEN);
}

/** One app per isolate: database handles and the tenant cache live as long as the isolate does. */
let built: { app: Hono<AppEnv>; ports: Ports; ready: Promise<unknown> } | undefined;

async function ready(bindings: Bindings) {
  built ??= build(bindings);
  try {
    await built.ready;
  } catch (error) {
    built = undefined;
    throw error;
  }
  return built;
}

function build(bindings: Bindings) {
  const env: WorkerEnv = parseEnv(workerEnvSchema, bindings);
  const controlClient = createClient({ url: env.CONTROL_DB_URL, authToken: env.CONTROL_DB_AUTH_TOKEN });
  const logger = env.LOG === "silent" ? silentLogger : jsonLogger();
  const ports: Ports = {
    control: drizzle(controlClient, { schema: controlSchema }),
    tenantDatabases: httpTenantDatabases({ authToken: env.TENANT_DB_AUTH_TOKEN, provisioner: provisionerFor(env) }),
    mailer: logMailer(logger),
    logger,
    config: {
      jwtSecret: env.JWT_SECRET,
      publicUrl: env.PUBLIC_URL,
      accessTokenSeconds: env.ACCESS_TOKEN_SECONDS,
      refreshTokenDays: env.REFRESH_TOKEN_DAYS,
      invitationDays: env.INVITATION_DAYS,
      docsScriptUrl: "/docs/scalar.js",
      provisionWaitMs: env.PROVISION_WAIT_MS,
    },
  };
  // The control schema is tiny and idempotent to apply: once per isolate, before the first request.
  return { app: createApp(ports) as unknown as Hono<AppEnv>, ports, ready: applyMigrations(controlClient, bundledMigrations.control) };
}

export default {
  async fetch(request, env, ctx) {
    return (await ready(env)).app.fetch(request, env, ctx);
  },

  // Hourly. Fails tenants whose provisioning was abandoned; the reminders issue adds its sweep here.
  async scheduled(controller, env, _ctx) {
    const { ports } = await ready(env);
    const failed = await failStaleProvisioning(ports, new Date(controller.scheduledTime));
    ports.logger.info({ msg: "cron", cron: controller.cron, staleProvisioningFailed: failed });
  },

  // One reminder job per tenant arrives here; until the reminders issue there are none to handle.
  async queue(batch, _env, _ctx) {
    for (const message of batch.messages) message.ack();
  },
} satisfies ExportedHandler<Bindings>;
