import * as v from "valibot";

const port = v.pipe(v.string(), v.regex(/^\d{1,5}$/), v.transform(Number), v.minValue(1), v.maxValue(65535));
const positiveInt = v.pipe(v.string(), v.regex(/^\d{1,7}$/), v.transform(Number), v.minValue(1));

/** Settings shared by both runtimes; each entry adds its own below. */
const common = {
  JWT_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, "JWT_SECRET must be at least 32 characters"))),
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url())),
  ACCESS_TOKEN_SECONDS: v.optional(positiveInt, "900"),
  REFRESH_TOKEN_DAYS: v.optional(positiveInt, "30"),
  INVITATION_DAYS: v.optional(positiveInt, "7"),
  MAIL_FROM: v.optional(v.string(), "qingdan <noreply@qingdan.local>"),
  LOG: v.optional(v.picklist(["json", "silent"]), "json"),
  /** Bytes of uploaded photos and documents each tenant may keep (default 10 GB). */
  FILE_QUOTA_BYTES: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number), v.minValue(1)), "10737418240"),
};

export const nodeEnvSchema = v.object({
  ...common,
  PORT: v.optional(port, "8787"),
  HOST: v.optional(v.string(), "127.0.0.1"),
  DATA_DIR: v.optional(v.string(), "./data"),
  /**
   * How many tenant database files stay open at once: each costs ≈0.5 MiB of RSS and 3 file
   * descriptors (issue 19, bench part 6).
   */
  TENANT_DB_CACHE: v.optional(positiveInt, "200"),
  /**
   * The driver of the libSQL files: `thin` (default; src/platform/node/libsql-driver.ts: statements
   * kept prepared, cheap rows, closed files freed by a GC per 32 closes; issue 19, ADR 0026) or
   * `stock` (@libsql/client's own file client).
   */
  FILE_DB_DRIVER: v.optional(v.picklist(["thin", "stock"]), "thin"),
  /** `smtp://user:pass@relay:587` or `smtps://…:465`; unset writes mail to DATA_DIR/outbox/*.eml. */
  SMTP_URL: v.optional(v.pipe(v.string(), v.regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://"))),
  /**
   * Whose word names the client (login throttling, signup quota, public ratings): `off` (default)
   * the socket only; `forwarded` the last X-Forwarded-For entry, appended by our reverse proxy;
   * `cloudflare` CF-Connecting-IP. Set it only when clients cannot reach the server but through it.
   */
  TRUST_PROXY: v.optional(v.picklist(["off", "forwarded", "cloudflare"]), "off"),
  /** Worker threads of the reminder sweep (default: one per core); 0 runs it on the main thread. */
  REMINDER_THREADS: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number))),
  /** `off` disables the hourly reminder schedule (e.g. when another process runs it). */
  REMINDERS: v.optional(v.picklist(["on", "off"]), "on"),
});
export type NodeEnv = v.InferOutput<typeof nodeEnvSchema>;

export const workerEnvSchema = v.object({
  ...common,
  JWT_SECRET: v.pipe(v.string(), v.minLength(32, "JWT_SECRET must be at least 32 characters")),
  PUBLIC_URL: v.pipe(v.string(), v.url()),
  CONTROL_DB_URL: v.pipe(v.string(), v.url()),
  CONTROL_DB_AUTH_TOKEN: v.optional(v.string()),
  /** Group token that opens every tenant database of the Turso group (or the local server's secret). */
  TENANT_DB_AUTH_TOKEN: v.optional(v.string()),
  /** `libsql-server`: the project's local server (dev and tests); `turso`: Turso's Platform API. */
  // Required: a deploy must say where tenant databases live (no development default).
  TENANT_DB_PROVIDER: v.picklist(["libsql-server", "turso"]),
  LIBSQL_SERVER_URL: v.optional(v.pipe(v.string(), v.url())),
  LIBSQL_SERVER_ADMIN_TOKEN: v.optional(v.string()),
  TURSO_ORGANIZATION: v.optional(v.string()),
  TURSO_GROUP: v.optional(v.string()),
  TURSO_API_TOKEN: v.optional(v.string()),
  TURSO_API_BASE: v.optional(v.pipe(v.string(), v.url())),
  /** How a database's Hostname becomes its URL; only the local stand-in needs other than https. */
  TURSO_DATABASE_URL: v.optional(v.pipe(v.string(), v.includes("{hostname}")), "https://{hostname}"),
  /** SMTP relay for reminder and invitation emails (port 587 with STARTTLS, or 465); unset logs instead. */
  SMTP_HOST: v.optional(v.string()),
  SMTP_PORT: v.optional(port, "587"),
  SMTP_SECURE: v.optional(v.picklist(["true", "false"]), "false"),
  SMTP_STARTTLS: v.optional(v.picklist(["true", "false"]), "true"),
  SMTP_USER: v.optional(v.string()),
  SMTP_PASS: v.optional(v.string()),
  /** Signup answers 202 (and provisioning goes on in waitUntil) when the database is not ready by then. */
  PROVISION_WAIT_MS: v.optional(positiveInt, "10000"),
});
export type WorkerEnv = v.InferOutput<typeof workerEnvSchema>;

/** Parsed once at start; a bad setting stops the process with every problem listed, not a later 500. */
export function parseEnv<S extends v.GenericSchema>(schema: S, env: Record<string, unknown>): v.InferOutput<S> {
  const result = v.safeParse(schema, env);
  if (!result.success) {
    const lines = result.issues.map((i) => `${i.path?.map((p) => String(p.key)).join(".") ?? "?"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return result.output;
}
