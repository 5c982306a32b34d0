// /http, not /web: our databases are reached over HTTP only, and /web also bundles the WebSocket
// client (3.9 KiB gzipped, docs/adr/0008).
import { createClient } from "@libsql/client/http";
import { drizzle } from "drizzle-orm/libsql/http";
import type { Hono } from "hono";
import { createApp } from "./app.js";
import { parseEnv, workerEnvSchema, type WorkerEnv } from "./config.js";
import * as controlSchema from "./db/control/schema.js";
import { applyMigrations } from "./db/migrate.js";
import { NationalCalendar } from "./calendar/national.js";
import { bundledMigrations } from "./db/migrations.generated.js";
import type { AppEnv } from "./http/env.js";
import { failStaleProvisioning } from "./modules/tenants/service.js";
import { removeUnconfirmedTenants } from "./modules/tenants/confirmation.js";
import { type DatabaseProvisioner, httpTenantDatabases, libsqlServerProvisioner } from "./platform/http-tenant-databases.js";
import { tursoProvisioner } from "./platform/turso-provisioner.js";
import { jsonLogger, silentLogger } from "./platform/json-logger.js";
import type { BackgroundJob, Ports } from "./platform/ports.js";
import { r2FileStore } from "./platform/worker/r2-file-store.js";
import { logMailer } from "./platform/worker/log-mailer.js";
import { workerSmtpMailer } from "./platform/worker/smtp-mailer.js";
import { runTenantJob } from "./jobs/run-job.js";
import { type ReminderJob, type TenantJob, tenantsDueAt } from "./jobs/sweep.js";
import { dispatchCalendarRerolls } from "./jobs/calendar-reroll.js";
import { runBackgroundJob } from "./jobs/background.js";

interface Bindings {
  REMINDERS: Queue<TenantJob>;
  FILES: R2Bucket;
  JOBS: Queue<BackgroundJob>;
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

/**
 * One app per isolate: database handles, the tenant cache and the national calendar live as long as the
 * isolate does. Keyed by the control database (one in production) so a test can run a private deployment.
 */
const builtFor = new Map<string, { app: Hono<AppEnv>; ports: Ports; ready: Promise<unknown> }>();

async function ready(bindings: Bindings) {
  const key = String(bindings.CONTROL_DB_URL);
  let built = builtFor.get(key);
  if (!built) builtFor.set(key, (built = build(bindings)));
  try {
    await built.ready;
  } catch (error) {
    builtFor.delete(key);
    throw error;
  }
  return built;
}

function build(bindings: Bindings) {
  const env: WorkerEnv = parseEnv(workerEnvSchema, bindings);
  const controlClient = createClient({ url: env.CONTROL_DB_URL, authToken: env.CONTROL_DB_AUTH_TOKEN });
  const logger = env.LOG === "silent" ? silentLogger : jsonLogger();
  const control = drizzle(controlClient, { schema: controlSchema });
  const calendar = new NationalCalendar(control);
  const ports: Ports = {
    control,
    calendar,
    tenantDatabases: httpTenantDatabases({ authToken: env.TENANT_DB_AUTH_TOKEN, provisioner: provisionerFor(env) }),
    mailer: env.SMTP_HOST
      ? workerSmtpMailer({ host: env.SMTP_HOST, port: env.SMTP_PORT, secure: env.SMTP_SECURE === "true", startTls: env.SMTP_STARTTLS === "true", username: env.SMTP_USER, password: env.SMTP_PASS, from: env.MAIL_FROM })
      : logMailer(logger),
    files: r2FileStore(bindings.FILES),
    jobs: {
      // sendBatch takes at most 100 messages a call.
      async enqueue(jobs) {
        for (let i = 0; i < jobs.length; i += 100) await bindings.JOBS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
      },
    },
    logger,
    config: {
      jwtSecret: env.JWT_SECRET,
      publicUrl: env.PUBLIC_URL,
      accessTokenSeconds: env.ACCESS_TOKEN_SECONDS,
      refreshTokenDays: env.REFRESH_TOKEN_DAYS,
      invitationDays: env.INVITATION_DAYS,
      docsScriptUrl: "/docs/scalar.js",
      // The edge sets CF-Connecting-IP and appends to X-Forwarded-For: a client cannot forge either.
      trustProxy: "cloudflare",
      provisionWaitMs: env.PROVISION_WAIT_MS,
      fileQuotaBytes: env.FILE_QUOTA_BYTES,
    },
  };
  // The control schema is tiny and idempotent to apply: once per isolate, before the first request.
  // The national calendar is loaded (and seeded from chinese-days where the database lacks a year) right after.
  return { app: createApp(ports) as unknown as Hono<AppEnv>, ports, ready: applyMigrations(controlClient, bundledMigrations.control).then(() => calendar.start()) };
}

export default {
  async fetch(request, env, ctx) {
    return (await ready(env)).app.fetch(request, env, ctx);
  },

  // Hourly (UTC): one queue message per tenant whose local send hour it is, 100 per sendBatch call.
  async scheduled(controller, env, _ctx) {
    const { ports } = await ready(env);
    const at = new Date(controller.scheduledTime);
    const failed = await failStaleProvisioning(ports, at);
    const unconfirmedRemoved = await removeUnconfirmedTenants(ports, at);
    let tenants = 0;
    for await (const page of tenantsDueAt(ports.control, at)) {
      for (let i = 0; i < page.length; i += 100) {
        await env.REMINDERS.sendBatch(page.slice(i, i + 100).map((t) => ({ body: { tenantId: t.id, at: at.toISOString() } satisfies ReminderJob })));
      }
      tenants += page.length;
    }
    // A year of the national calendar imported since: one re-roll job per tenant, on the same queue.
    const rerollJobs = await dispatchCalendarRerolls(ports.control, at, async (jobs) => {
      for (let i = 0; i < jobs.length; i += 100) await env.REMINDERS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
    });
    ports.logger.info({ msg: "cron", cron: controller.cron, reminderJobs: tenants, rerollJobs, staleProvisioningFailed: failed, unconfirmedRemoved });
  },

  // One tenant per message. Redelivery is safe: each digest (and each invitation) is claimed before it is sent.
  async queue(batch, env, _ctx) {
    const { ports } = await ready(env);
    if (batch.queue.startsWith("qingdan-jobs")) {
      for (const message of batch.messages) {
        try {
          await runBackgroundJob(ports, message.body as BackgroundJob);
          message.ack();
        } catch (error) {
          ports.logger.error({ msg: "job failed", attempt: message.attempts, error: String(error) });
          message.retry({ delaySeconds: Math.min(30 * 2 ** (message.attempts - 1), 3600) });
        }
      }
      return;
    }
    for (const message of batch.messages) {
      try {
        await runTenantJob(ports, message.body as TenantJob);
        message.ack();
      } catch (error) {
        ports.logger.error({ msg: "reminder job failed", attempt: message.attempts, error: String(error) });
        message.retry({ delaySeconds: Math.min(60 * 2 ** (message.attempts - 1), 3600) });
      }
    }
  },
} satisfies ExportedHandler<Bindings>;
