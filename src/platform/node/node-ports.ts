import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { drizzle } from "drizzle-orm/libsql";
import type { NodeEnv } from "../../config.js";
import * as controlSchema from "../../db/control/schema.js";
import { applyMigrations } from "../../db/migrate.js";
import { bundledMigrations } from "../../db/migrations.generated.js";
import { randomSecret } from "../crypto.js";
import { NationalCalendar } from "../../calendar/national.js";
import { jsonLogger, silentLogger } from "../json-logger.js";
import type { Mailer, MailSession, Ports } from "../ports.js";
import { diskFileStore } from "./file-store.js";
import { fileTenantDatabases } from "./file-tenant-databases.js";
import { openLibsqlFile } from "./libsql-file.js";
import { inProcessJobQueue } from "./job-queue.js";
import { nodeSyncCrypto } from "./sync-crypto.js";

/** A secret kept in DATA_DIR when none is configured, so tokens survive a restart of `npm start`. */
function persistentSecret(dataDir: string): string {
  const file = resolve(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomSecret(48);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The mailer, loaded with its first message: nodemailer is the largest package the server bundles
 * (≈430 KiB of source) and a server that sends nothing (most requests, most tenants) never needs it.
 */
function lazyMailer(load: () => Promise<Mailer>): Mailer {
  let loaded: Promise<Mailer> | undefined;
  const mailer = () => (loaded ??= load());
  return {
    send: async (message) => (await mailer()).send(message),
    // As deliver.ts would use the loaded mailer: its own session when it has one, else one send a message.
    openSession: async (): Promise<MailSession> => {
      const inner = await mailer();
      return (await inner.openSession?.()) ?? { send: (message) => inner.send(message), close: async () => {} };
    },
  };
}

export async function nodePorts(env: NodeEnv, overrides: { mailer?: Mailer; now?: () => Date } = {}) {
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const controlClient = openLibsqlFile(`file:${resolve(dataDir, "control.db")}`, env.FILE_DB_DRIVER);
  await controlClient.execute("PRAGMA journal_mode=WAL");
  await applyMigrations(controlClient, bundledMigrations.control);
  const tenantDatabases = fileTenantDatabases(dataDir, env.TENANT_DB_CACHE, env.FILE_DB_DRIVER);
  const publicUrl = env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
  const control = drizzle(controlClient, { schema: controlSchema });
  const calendar = new NationalCalendar(control);
  await calendar.start();
  const jobs = inProcessJobQueue(() => ports);
  const ports: Ports = {
    control,
    calendar,
    tenantDatabases,
    jobs,
    mailer:
      overrides.mailer ??
      lazyMailer(async () => {
        const { SMTP_URL, MAIL_FROM } = env;
        if (SMTP_URL) return (await import("./smtp-mailer.js")).smtpMailer(SMTP_URL, MAIL_FROM);
        return (await import("./outbox-mailer.js")).outboxMailer(resolve(dataDir, "outbox"), MAIL_FROM);
      }),
    files: diskFileStore(resolve(dataDir, "files")),
    logger: env.LOG === "silent" ? silentLogger : jsonLogger(),
    now: overrides.now,
    syncCrypto: nodeSyncCrypto,
    config: {
      jwtSecret: env.JWT_SECRET ?? persistentSecret(dataDir),
      publicUrl,
      accessTokenSeconds: env.ACCESS_TOKEN_SECONDS,
      refreshTokenDays: env.REFRESH_TOKEN_DAYS,
      invitationDays: env.INVITATION_DAYS,
      docsScriptUrl: "/docs/scalar.js",
      fileQuotaBytes: env.FILE_QUOTA_BYTES,
      trustProxy: env.TRUST_PROXY === "off" ? "none" : env.TRUST_PROXY,
    },
  };
  return {
    ports,
    jobs,
    dataDir,
    tenantDatabases,
    close() {
      tenantDatabases.closeAll();
      controlClient.close();
    },
  };
}
