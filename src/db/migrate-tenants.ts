import { and, asc, eq, gt, inArray, lt } from "drizzle-orm";
import { tenants } from "./control/schema.js";
import { applyMigrations, type BundledMigration } from "./migrate.js";
import type { ControlDb, TenantDatabases } from "../platform/ports.js";

export interface MigrationReport {
  target: number;
  upgraded: string[];
  alreadyCurrent: number;
  failed: { tenantId: string; slug: string; error: string }[];
}

/**
 * Brings every tenant database to the newest schema. Tenants already current are skipped, so a
 * rerun resumes where an interrupted one stopped; a tenant that fails is reported and the rest go on.
 */
export async function migrateAllTenants(
  control: ControlDb,
  databases: TenantDatabases,
  migrations: BundledMigration[],
  options: { concurrency?: number; pageSize?: number; onProgress?: (done: number) => void } = {},
): Promise<MigrationReport> {
  const target = migrations.length;
  const report: MigrationReport = { target, upgraded: [], alreadyCurrent: 0, failed: [] };
  const pageSize = options.pageSize ?? 500;
  let after = "";
  for (;;) {
    const batch = await control
      .select({ id: tenants.id, slug: tenants.slug, dbLocator: tenants.dbLocator, schemaVersion: tenants.schemaVersion })
      .from(tenants)
      .where(and(gt(tenants.id, after), inArray(tenants.status, ["active", "suspended"])))
      .orderBy(asc(tenants.id))
      .limit(pageSize);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;

    const queue = [...batch];
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        if (t.schemaVersion >= target || !t.dbLocator) {
          report.alreadyCurrent++;
          continue;
        }
        try {
          const version = await applyMigrations(databases.client(t.id, t.dbLocator), migrations);
          await control.update(tenants).set({ schemaVersion: version, updatedAt: new Date().toISOString() }).where(and(eq(tenants.id, t.id), lt(tenants.schemaVersion, version)));
          report.upgraded.push(t.slug);
        } catch (error) {
          report.failed.push({ tenantId: t.id, slug: t.slug, error: error instanceof Error ? error.message : String(error) });
        }
        options.onProgress?.(report.upgraded.length + report.failed.length + report.alreadyCurrent);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  }
  return report;
}
