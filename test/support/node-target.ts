import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HttpBindings } from "@hono/node-server";
import { afterAll, beforeAll } from "vitest";
import { createApp } from "../../src/app.js";
import { consoleFiles } from "../../src/platform/node/console-files.js";
import { nodeSite } from "../../src/platform/node/site.js";
import { nodeEnvSchema, parseEnv } from "../../src/config.js";
import { nodePorts } from "../../src/platform/node/node-ports.js";
import type { MailMessage, Mailer, Ports } from "../../src/platform/ports.js";
import { TEST_FILE_QUOTA_BYTES, TEST_JWT_SECRETS } from "./constants.js";
import type { Target } from "./target.js";
import { Api } from "./api.js";

export interface NodeTarget extends Target {
  dataDir: string;
  ports: Ports;
  mail: MailMessage[];
  tenantDatabases: Awaited<ReturnType<typeof nodePorts>>["tenantDatabases"];
}

/** A fresh app on a fresh DATA_DIR of real libSQL files; mail is kept in memory for assertions. */
export async function startNodeTarget(options: { env?: Record<string, string>; portsOverride?: (ports: Ports) => Ports } = {}): Promise<NodeTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), "qingdan-test-"));
  const mail: MailMessage[] = [];
  const mailer: Mailer = {
    async send(message) {
      mail.push(message);
      return { messageId: `<${mail.length}@test>` };
    },
  };
  const env = parseEnv(nodeEnvSchema, {
    DATA_DIR: dataDir,
    LOG: "silent",
    JWT_SECRET: TEST_JWT_SECRETS.node,
    FILE_QUOTA_BYTES: String(TEST_FILE_QUOTA_BYTES),
    // app.request() has no socket: the tests play Cloudflare's edge (as in workerd) and name each client themselves.
    TRUST_PROXY: "cloudflare",
    // The whole Node suite on the other file driver: FILE_DB_DRIVER=stock npx vitest run --project node (thin is the default, ADR 0026).
    ...(process.env.FILE_DB_DRIVER ? { FILE_DB_DRIVER: process.env.FILE_DB_DRIVER } : {}),
    ...options.env,
  });
  const built = await nodePorts(env, { mailer });
  const ports = options.portsOverride ? options.portsOverride(built.ports) : built.ports;
  const app = createApp(ports);
  const site = nodeSite(app, consoleFiles(fileURLToPath(new URL("../../public", import.meta.url))));
  return {
    runtime: "node",
    dataDir,
    ports,
    mail,
    tenantDatabases: built.tenantDatabases,
    fetch: async (path, init) => app.request(path, init),
    // As `npm start` serves it (src/node.ts): the console's files from public/ beside the API.
    site: async (path, init) => site.fetch(new Request(`http://localhost${path}`, init), {} as HttpBindings),
    async close() {
      built.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const startTarget = startNodeTarget;

/**
 * apiForSuite (suite.ts) on Node with the ports' clock the test's own (`now`), for jobs and deadlines
 * that read `ports.now`: the target starts before the file's own hooks and stops after its last test.
 */
export function nodeApiOnClock(now: () => Date, env?: Record<string, string>): Api & { target: NodeTarget } {
  const api = new Api() as Api & { target: NodeTarget };
  beforeAll(async () => {
    api.target = await startNodeTarget({ env, portsOverride: (ports) => ({ ...ports, now }) });
  });
  afterAll(() => api.target.close());
  return api;
}
