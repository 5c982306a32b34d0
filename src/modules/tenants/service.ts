import { and, eq, lt } from "drizzle-orm";
import { tenants, type TenantRow } from "../../db/control/schema.js";
import { isUniqueViolation, runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { applyMigrations } from "../../db/migrate.js";
import { bundledMigrations } from "../../db/migrations.generated.js";
import { members, type MemberRow } from "../../db/tenant/schema.js";
import { conflict, ProblemError } from "../../http/problem.js";
import { hashPassword } from "../../platform/crypto.js";
import type { Ports } from "../../platform/ports.js";
import { auditInsert } from "../audit/service.js";
import { issueTokens, type TokenPair } from "../auth/sessions.js";
import { memberView } from "../members/views.js";
import { mailConfirmation, newConfirmation } from "./confirmation.js";
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

const PROVISION_ATTEMPTS = 3;
/** A tenant still provisioning after this long was abandoned (its isolate died): the cron sweep fails it. */
export const STALE_PROVISIONING_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type SignupOutcome =
  | { status: 201; body: { tenant: ReturnType<typeof tenantView>; member: ReturnType<typeof memberView> } & TokenPair }
  | { status: 202; body: { tenant: ReturnType<typeof tenantView>; statusUrl: string } };

/**
 * Registers the tenant, then makes its database, migrates it and creates the first admin. When that
 * takes longer than `provisionWaitMs` (Turso: the new database answers 404 for seconds), the caller
 * gets 202 and the work goes on in `keepAlive` (a Worker's waitUntil). A tenant ends either active
 * and whole, or `failed` with its database removed: never half-made and looking active.
 */
export async function signUp(ports: Ports, input: SignupInput, requestId: string, keepAlive: (work: Promise<unknown>) => void = () => {}): Promise<SignupOutcome> {
  const now = ports.now?.() ?? new Date();
  const [existing] = await ports.control.select().from(tenants).where(eq(tenants.slug, input.slug)).limit(1);
  if (existing && existing.status !== "failed") throw conflict("tenant.slug_taken");
  // A failed attempt does not keep the slug: it is released to whoever signs up next.
  if (existing) await ports.control.delete(tenants).where(and(eq(tenants.id, existing.id), eq(tenants.status, "failed")));

  const stamp = now.toISOString();
  const id = newId("ten", now.getTime());
  const confirmation = await newConfirmation(id, now);
  const row: TenantRow = {
    id,
    slug: input.slug,
    name: input.name,
    status: "provisioning",
    dbLocator: null,
    timezone: input.timezone,
    locale: input.locale,
    schemaVersion: 0,
    reminderHour: 8,
    provisioningError: null,
    confirmationPendingSince: stamp,
    ...confirmation.columns,
    createdAt: stamp,
    updatedAt: stamp,
  };
  try {
    await ports.control.insert(tenants).values(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("tenant.slug_taken");
    throw error;
  }

  const admin: MemberRow = {
    id: newId("mem", now.getTime()),
    email: input.admin.email,
    name: input.admin.name,
    nameInitials: null,
    role: "admin",
    status: "active",
    branchId: null,
    secondBranchId: null,
    passwordHash: await hashPassword(input.admin.password),
    phone: null,
    locale: input.locale,
    createdAt: stamp,
    updatedAt: stamp,
    lastLoginAt: stamp,
    sessionVersion: 0,
    unsubscribeVersion: 0,
  };
  const work = provisionTenant(ports, row, admin, requestId, now);
  keepAlive(work);
  const waitMs = ports.config.provisionWaitMs;
  const outcome = waitMs === undefined ? await work : await Promise.race([work, sleep(waitMs).then(() => "pending" as const)]);
  if (outcome === "pending" || outcome.ok) {
    // Awaited (failures only logged) so the address can be confirmed as soon as signup answers.
    await mailConfirmation(ports, row, input.admin, confirmation.token, confirmation.columns.confirmationExpiresAt).catch((error) =>
      ports.logger.error({ msg: "confirmation email failed", tenantId: row.id, requestId, error: String(error) }),
    );
  }
  if (outcome === "pending") {
    return { status: 202, body: { tenant: tenantView(row), statusUrl: `${ports.config.publicUrl}/v1/tenants/${row.slug}/status` } };
  }
  if (!outcome.ok) throw new ProblemError("tenant.provisioning_failed");
  return { status: 201, body: { tenant: tenantView(outcome.tenant), member: memberView(admin), ...outcome.tokens } };
}

/** Every step is safe to repeat (create answers the existing database, migrations skip what is applied, inserts ignore their own earlier rows), so a failed attempt is simply tried again. */
async function provisionTenant(ports: Ports, row: TenantRow, admin: MemberRow, requestId: string, now: Date) {
  const auditIds = [newId("aud", now.getTime()), newId("aud", now.getTime())];
  let lastError: unknown;
  let locator: string | null = null;
  for (let attempt = 1; attempt <= PROVISION_ATTEMPTS; attempt++) {
    try {
      locator = (await ports.tenantDatabases.provision(row.id)).locator;
      const schemaVersion = await applyMigrations(ports.tenantDatabases.client(row.id, locator), bundledMigrations.tenant);
      const db = ports.tenantDatabases.open(row.id, locator);
      const session = await issueTokens(db, ports.config, { tenantId: row.id, memberId: admin.id, role: "admin", sessionVersion: admin.sessionVersion }, now);
      const ctx = { db, requestId, now, actor: { memberId: admin.id } };
      await runBatch(db, [
        db.insert(members).values(admin).onConflictDoNothing(),
        session.insert,
        auditInsert(ctx, { action: "tenant.created", entityType: "tenant", entityId: row.id, after: tenantView(row) }, auditIds[0]).onConflictDoNothing(),
        auditInsert(ctx, { action: "member.created", entityType: "member", entityId: admin.id, after: memberView(admin) }, auditIds[1]).onConflictDoNothing(),
      ]);
      const active: TenantRow = { ...row, status: "active", dbLocator: locator, schemaVersion, updatedAt: new Date().toISOString() };
      await ports.control.update(tenants).set({ status: "active", dbLocator: locator, schemaVersion, updatedAt: active.updatedAt }).where(eq(tenants.id, row.id));
      return { ok: true as const, tenant: active, tokens: session.tokens };
    } catch (error) {
      lastError = error;
      ports.logger.error({ msg: "tenant provisioning attempt failed", tenantId: row.id, attempt, requestId, error: String(error) });
      if (attempt < PROVISION_ATTEMPTS) await sleep(200 * 4 ** (attempt - 1));
    }
  }
  await failTenant(ports, row.id, locator, lastError);
  return { ok: false as const };
}

async function failTenant(ports: Ports, tenantId: string, locator: string | null, error: unknown) {
  // Even without a locator the database may exist (created, then never answered): destroy by tenant.
  await ports.tenantDatabases.destroy(tenantId, locator ?? "").catch(() => {});
  await ports.control
    .update(tenants)
    .set({ status: "failed", dbLocator: null, provisioningError: String(error instanceof Error ? error.message : error).slice(0, 500), updatedAt: new Date().toISOString() })
    .where(eq(tenants.id, tenantId));
}

/** For the cron: tenants left provisioning by an isolate that died are failed, their databases removed. */
export async function failStaleProvisioning(ports: Ports, now: Date = ports.now?.() ?? new Date()) {
  const cutoff = new Date(now.getTime() - STALE_PROVISIONING_MS).toISOString();
  const stale = await ports.control.select().from(tenants).where(and(eq(tenants.status, "provisioning"), lt(tenants.createdAt, cutoff)));
  for (const t of stale) await failTenant(ports, t.id, t.dbLocator, "provisioning abandoned");
  return stale.length;
}

export async function tenantStatus(ports: Ports, slug: string) {
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  if (!row || row.status === "deleted") throw new ProblemError("tenant.not_found");
  return { slug: row.slug, status: row.status, schemaVersion: row.schemaVersion };
}
