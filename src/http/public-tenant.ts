import type { Context } from "hono";
import type { TenantDb } from "../db/tenant/index.js";
import type { TenantDirectory } from "../modules/tenants/directory.js";
import type { AppConfig } from "../platform/ports.js";
import { nowOf } from "./context.js";
import type { PublicEnv, TenantFacts } from "./env.js";

/** What a route without a bearer has once it knows its tenant: no actor. */
export interface PublicTenant {
  db: TenantDb;
  tenant: TenantFacts;
  config: AppConfig;
  now: Date;
  requestId: string;
}

/**
 * The one way a route without a bearer reaches a tenant's data (login, refresh, password reset,
 * invitations, the public board, calendar feeds, unsubscribe links): the directory answers for
 * active tenants only, from its cache like authentication does; the request remembers the tenant for
 * its log line; the database comes from the same resolver authenticated requests use. `null` when
 * there is no such active tenant: each route answers that in its own words (a 404, an invalid token…).
 */
export async function publicTenant(c: Context<PublicEnv>, directory: TenantDirectory, key: { id: string } | { slug: string } | null | undefined | false): Promise<PublicTenant | null> {
  if (!key) return null;
  const tenant = "id" in key ? await directory.activeById(key.id) : await directory.activeBySlug(key.slug);
  if (!tenant) return null;
  c.set("tenant", tenant);
  const ports = c.get("ports");
  return { db: ports.tenantDatabases.open(tenant.id, tenant.dbLocator), tenant, config: ports.config, now: nowOf(c), requestId: c.get("requestId") };
}
