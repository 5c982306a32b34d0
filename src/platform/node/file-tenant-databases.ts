import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Client } from "@libsql/client";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm";
import { LibSQLDatabase } from "drizzle-orm/libsql/driver-core";
import { LibSQLSession } from "drizzle-orm/libsql/session";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { schema, type TenantDb } from "../../db/tenant/index.js";
import { tenantHandles } from "../lru.js";
import type { TenantDatabases } from "../ports.js";
import { type FileDriver, openLibsqlFile } from "./libsql-file.js";

/**
 * What `drizzle(client, { schema })` builds for every handle, built once: the tenant schema's
 * relational config (57 tables) is ≈30 KiB of heap per handle, 6 MiB for an LRU of 200, identical
 * in each. Each handle still gets its own session over its own client, as drizzle() would make it.
 */
let shared: { dialect: SQLiteAsyncDialect; relational: { fullSchema: typeof schema; schema: unknown; tableNamesMap: unknown } } | undefined;
function tenantDrizzle(client: Client): TenantDb {
  shared ??= (() => {
    const config = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    return { dialect: new SQLiteAsyncDialect(), relational: { fullSchema: schema, schema: config.tables, tableNamesMap: config.tableNamesMap } };
  })();
  const session = new LibSQLSession(client, shared.dialect, shared.relational as never, {}, undefined);
  const db = new LibSQLDatabase("async", shared.dialect, session as never, shared.relational as never) as unknown as TenantDb;
  (db as unknown as { $client: Client }).$client = client;
  return db;
}

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
    return { client, db: tenantDrizzle(client) };
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
