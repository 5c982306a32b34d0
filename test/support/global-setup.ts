import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startLibsqlServer, type LibsqlServer } from "../../tools/libsql-server/server.js";
import { createServer, type Server } from "node:http";
import { startTursoStandin, type TursoStandin } from "../../tools/turso-standin/server.js";
import { startSmtpServer } from "./smtp.js";

import { LIBSQL_TEST_TOKEN, TURSO_TEST } from "./constants.js";

let server: LibsqlServer | undefined;
let turso: TursoStandin | undefined;
let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
let mailbox: Server | undefined;
let dataDir: string | undefined;

/**
 * Starts what the workerd projects' Worker reaches on 127.0.0.1: the local libSQL server, and in
 * front of it the stand-in for Turso's Platform API (new databases answer 404 for a while, as on Turso).
 */
export async function setup(project: TestProject) {
  dataDir = mkdtempSync(join(tmpdir(), "qingdan-libsql-"));
  server = await startLibsqlServer({ dataDir, authToken: LIBSQL_TEST_TOKEN });
  server.createDatabase("control");
  turso = await startTursoStandin({ libsql: server, ...TURSO_TEST });
  // A real SMTP server for worker-mailer, and a read-out of what it received for tests inside workerd.
  smtp = await startSmtpServer();
  const received = smtp.received;
  mailbox = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received)));
  await new Promise<void>((r) => mailbox!.listen(0, "127.0.0.1", r));
  project.provide("libsqlUrl", server.url);
  project.provide("tursoUrl", turso.url);
  project.provide("smtpPort", smtp.port);
  project.provide("mailboxUrl", `http://127.0.0.1:${(mailbox.address() as { port: number }).port}`);
}

export async function teardown() {
  mailbox?.close();
  await smtp?.close();
  await turso?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    libsqlUrl: string;
    tursoUrl: string;
    smtpPort: number;
    mailboxUrl: string;
  }
}
