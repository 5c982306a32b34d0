import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startLibsqlServer, type LibsqlServer } from "../../tools/libsql-server/server.js";

export const LIBSQL_TEST_TOKEN = "test-libsql-secret";

let server: LibsqlServer | undefined;
let dataDir: string | undefined;

/** Starts the local libSQL server the workerd project's Worker reaches on 127.0.0.1. */
export async function setup(project: TestProject) {
  dataDir = mkdtempSync(join(tmpdir(), "qingdan-libsql-"));
  server = await startLibsqlServer({ dataDir, authToken: LIBSQL_TEST_TOKEN });
  server.createDatabase("control");
  project.provide("libsqlUrl", server.url);
}

export async function teardown() {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    libsqlUrl: string;
  }
}
