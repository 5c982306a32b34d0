import { eq } from "drizzle-orm";
import { tenants, type TenantRow } from "../../db/control/schema.js";
import { isUniqueViolation, runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { applyMigrations } from "../../db/migrate.js";
import { bundledMigrations } from "../../db/migrations.generated.js";
import { members } from "../../db/tenant/schema.js";
import { conflict, ProblemError } from "../../http/problem.js";
import { hashPassword } from "../../platform/crypto.js";
import type { Ports } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { issueTokens } from "../auth/sessions.js";
import { memberView } from "../members/views.js";
import type { SignupInput } from "./schemas.js";

export const tenantView = (row: TenantRow) => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  status: row.status,
  timezone: row.timezone,
  locale: row.locale,
  createdAt: row.createdAt,
});

/**
 * Registers the tenant, makes its own database, migrates it and creates the first admin.
 * Any failure after registration removes both the database and the registry row: a tenant is
 * either whole and active, or absent.
 */
export async function signUp(ports: Ports, input: SignupInput, requestId: string) {
  const now = ports.now?.() ?? new Date();
  const [taken] = await ports.control.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug)).limit(1);
  if (taken) throw conflict("tenant.slug_taken");

  const tenantId = newId("ten", now.getTime());
  const stamp = now.toISOString();
  const row: TenantRow = {
    id: tenantId,
    slug: input.slug,
    name: input.name,
    status: "provisioning",
    dbLocator: null,
    timezone: input.timezone,
    locale: input.locale,
    schemaVersion: 0,
    provisioningError: null,
    createdAt: stamp,
    updatedAt: stamp,
  };
  try {
    await ports.control.insert(tenants).values(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("tenant.slug_taken");
    throw error;
  }

  const passwordHash = await hashPassword(input.admin.password);
  let locator: string | null = null;
  try {
    locator = (await ports.tenantDatabases.provision(tenantId)).locator;
    const schemaVersion = await applyMigrations(ports.tenantDatabases.client(tenantId, locator), bundledMigrations.tenant);
    const db = ports.tenantDatabases.open(tenantId, locator);
    const admin = {
      id: newId("mem", now.getTime()),
      email: input.admin.email,
      name: input.admin.name,
      role: "admin" as const,
      status: "active" as const,
      branchId: null,
      secondBranchId: null,
      passwordHash,
      phone: null,
      locale: input.locale,
      createdAt: stamp,
      updatedAt: stamp,
      lastLoginAt: stamp,
    };
    const session = await issueTokens(db, ports.config, { tenantId, memberId: admin.id, role: "admin" }, now);
    const ctx = { db, requestId, now, actor: { memberId: admin.id } };
    await runBatch(db, [
      db.insert(members).values(admin),
      session.insert,
      auditInsert(ctx, { action: "tenant.created", entityType: "tenant", entityId: tenantId, after: tenantView(row) }),
      auditInsert(ctx, { action: "member.created", entityType: "member", entityId: admin.id, after: memberView(admin) }),
    ]);
    const active = { ...row, status: "active" as const, dbLocator: locator, schemaVersion, updatedAt: new Date().toISOString() };
    await ports.control.update(tenants).set({ status: "active", dbLocator: locator, schemaVersion, updatedAt: active.updatedAt }).where(eq(tenants.id, tenantId));
    return { tenant: tenantView(active), member: memberView(admin), ...session.tokens };
  } catch (error) {
    ports.logger.error({ msg: "tenant provisioning failed", tenantId, requestId, error: String(error) });
    if (locator) await ports.tenantDatabases.destroy(tenantId, locator).catch(() => {});
    await ports.control.delete(tenants).where(eq(tenants.id, tenantId));
    throw new ProblemError(503, "tenant.provisioning_failed");
  }
}

export async function tenantStatus(ports: Ports, slug: string) {
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  if (!row || row.status === "deleted") throw new ProblemError(404, "tenant.not_found");
  return { slug: row.slug, status: row.status, schemaVersion: row.schemaVersion };
}
