import { type Client, createClient } from "@libsql/client/http";
import { drizzle } from "drizzle-orm/libsql/http";
import { schema, type TenantDb } from "../db/tenant/index.js";
import { tenantHandles } from "./lru.js";
import type { TenantDatabases } from "./ports.js";

/** Creates and removes databases on a libSQL host (Turso, or the project's local server). */
export interface DatabaseProvisioner {
  create(name: string): Promise<{ url: string }>;
  destroy(name: string): Promise<void>;
}

/** libSQL names allow a-z, 0-9 and "-" (≤ 64): the tenant id, lower-cased, fits. */
export const databaseNameFor = (tenantId: string) => tenantId.toLowerCase().replace(/_/g, "-");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isNotReady = (error: unknown) => /\b404\b|not found/i.test(`${(error as Error)?.message ?? ""} ${String((error as { cause?: unknown })?.cause ?? "")}`);

/**
 * A fresh database answers 404 for a while (Turso says seconds): poll with backoff until it
 * executes, and give up after `timeoutMs` so signup can report rather than hang.
 */
export async function waitUntilReady(client: Pick<Client, "execute">, timeoutMs = 30_000, firstDelayMs = 100): Promise<number> {
  const started = Date.now();
  for (let delay = firstDelayMs, attempts = 1; ; attempts++, delay = Math.min(delay * 2, 2_000)) {
    try {
      await client.execute("SELECT 1");
      return attempts;
    } catch (error) {
      if (!isNotReady(error) || Date.now() - started + delay > timeoutMs) throw error;
      await sleep(delay);
    }
  }
}

/** Tenant databases reached over HTTP with @libsql/client/http: what the Worker uses in production. */
export function httpTenantDatabases(options: { authToken?: string; provisioner: DatabaseProvisioner; capacity?: number; readyTimeoutMs?: number }): TenantDatabases {
  const handles = tenantHandles(options.capacity ?? 500, (locator): { client: Client; db: TenantDb } => {
    const client = createClient({ url: locator, authToken: options.authToken });
    return { client, db: drizzle(client, { schema }) };
  });
  const handle = handles.get;
  return {
    open: (tenantId, locator) => handle(tenantId, locator).db,
    client: (tenantId, locator) => handle(tenantId, locator).client,
    async provision(tenantId) {
      const { url } = await options.provisioner.create(databaseNameFor(tenantId));
      await waitUntilReady(handle(tenantId, url).client, options.readyTimeoutMs);
      return { locator: url };
    },
    async destroy(tenantId) {
      handles.forget(tenantId);
      await options.provisioner.destroy(databaseNameFor(tenantId));
    },
  };
}

/** The project's local libSQL server (tools/libsql-server): development and the workerd tests. */
export function libsqlServerProvisioner(baseUrl: string, adminToken?: string): DatabaseProvisioner {
  const base = baseUrl.replace(/\/+$/, "");
  const headers = adminToken ? { authorization: `Bearer ${adminToken}` } : undefined;
  return {
    async create(name) {
      const res = await fetch(`${base}/admin/databases/${name}`, { method: "POST", headers });
      if (res.status !== 201 && res.status !== 409) throw new Error(`libsql server refused to create ${name}: ${res.status}`);
      return { url: `${base}/t/${name}/` };
    },
    async destroy(name) {
      const res = await fetch(`${base}/admin/databases/${name}`, { method: "DELETE", headers });
      if (!res.ok && res.status !== 404) throw new Error(`libsql server refused to delete ${name}: ${res.status}`);
    },
  };
}
