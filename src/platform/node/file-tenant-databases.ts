import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { schema, type TenantDb } from "../../db/tenant/index.js";
import { tenantHandles } from "../lru.js";
import type { TenantDatabases } from "../ports.js";
import { type FileDriver, openLibsqlFile } from "./libsql-file.js";

/**
 * One libSQL file per tenant under `<dataDir>/tenants/`. Handles are kept in an LRU so a server
 * with thousands of tenants holds only the busy ones open.
 */
export function fileTenantDatabases(dataDir: string, capacity = 200, driver: FileDriver = "stock"): TenantDatabases & { openCount(): number; closeAll(): void } {
  const dir = resolve(dataDir, "tenants");
  mkdirSync(dir, { recursive: true });
  const locatorOf = (tenantId: string) => `file:${resolve(dir, `${tenantId}.db`)}`;
  const handles = tenantHandles(capacity, (locator): { client: Client; db: TenantDb } => {
    const client = openLibsqlFile(locator, driver);
    return { client, db: drizzle(client, { schema }) };
  });
  const handle = handles.get;

  return {
    open: (tenantId, locator) => handle(tenantId, locator).db,
    client: (tenantId, locator) => handle(tenantId, locator).client,
    async provision(tenantId) {
      const locator = locatorOf(tenantId);
      // WAL lets readers go on while a request writes; the setting lives in the file.
      await handle(tenantId, locator).client.execute("PRAGMA journal_mode=WAL");
      return { locator };
    },
    async destroy(tenantId) {
      handles.forget(tenantId);
      const path = locatorOf(tenantId).replace(/^file:/, "");
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    },
    openCount: handles.size,
    closeAll: () => handles.clear(),
  };
}
