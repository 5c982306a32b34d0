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
import type { Mailer, Ports } from "../ports.js";
import { diskFileStore } from "./file-store.js";
import { fileTenantDatabases } from "./file-tenant-databases.js";
import { openLibsqlFile } from "./libsql-file.js";
import { inProcessJobQueue } from "./job-queue.js";
import { outboxMailer } from "./outbox-mailer.js";
import { smtpMailer } from "./smtp-mailer.js";
import { nodeSyncCrypto } from "./sync-crypto.js";

/** A secret kept in DATA_DIR when none is configured, so tokens survive a restart of `npm start`. */
function persistentSecret(dataDir: string): string {
  const file = resolve(dataDir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomSecret(48);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
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
    mailer: overrides.mailer ?? (env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM) : outboxMailer(resolve(dataDir, "outbox"), env.MAIL_FROM)),
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
