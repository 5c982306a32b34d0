import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMigrationsModule } from "../../scripts/bundle-migrations.js";
import { tenants } from "../../src/db/control/schema.js";
import { migrateAllTenants } from "../../src/db/migrate-tenants.js";
import { bundledMigrations } from "../../src/db/migrations.generated.js";
import type { BundledMigration } from "../../src/db/migrate.js";
import { Api } from "../support/api.js";
import { type NodeTarget, startNodeTarget } from "../support/node-target.js";

let target: NodeTarget;
let api: Api;
const created: { id: string; slug: string; token: string }[] = [];

/** A migration a later issue might ship: a new table and a new column on an existing one. */
const nextMigration: BundledMigration = {
  tag: "9999_test_probe",
  when: Date.now() + 86_400_000,
  hash: "test",
  statements: ["CREATE TABLE `probe` (`id` text PRIMARY KEY NOT NULL)", "ALTER TABLE `members` ADD `probe_note` text"],
};
const upgraded = [...bundledMigrations.tenant, nextMigration];

beforeAll(async () => {
  target = await startNodeTarget();
  api = new Api(target);
  for (let i = 0; i < 50; i++) {
    const t = await api.signUp();
    created.push({ id: t.tenant.id, slug: t.tenant.slug, token: t.accessToken });
  }
}, 120_000);
afterAll(() => target.close());

const fileOf = (id: string) => target.tenantDatabases.client(id, `file:${target.dataDir}/tenants/${id}.db`);
const versionOf = async (id: string) => (await target.ports.control.select({ v: tenants.schemaVersion }).from(tenants).where(eq(tenants.id, id)))[0]!.v;

describe("tenant migrations", () => {
  it("the bundled module matches migrations/ (run npm run db:generate after changing a schema)", () => {
    expect(readFileSync("src/db/migrations.generated.ts", "utf8")).toBe(renderMigrationsModule());
  });

  it("records each tenant's schema version at signup", async () => {
    expect(await versionOf(created[0]!.id)).toBe(bundledMigrations.tenant.length);
  });

  it("upgrades 50 tenants; a broken one is reported and does not stop the rest; a rerun finishes it", async () => {
    const broken = created[17]!;
    // A table already in the way makes this tenant's upgrade fail, as a hand-edited database would.
    await fileOf(broken.id).execute("CREATE TABLE probe (x)");

    const first = await migrateAllTenants(target.ports.control, target.ports.tenantDatabases, upgraded);
    expect(first.failed.map((f) => f.slug)).toEqual([broken.slug]);
    expect(first.failed[0]!.error).toMatch(/probe/);
    expect(first.upgraded).toHaveLength(49);
    expect(await versionOf(broken.id)).toBe(bundledMigrations.tenant.length);
    expect(await versionOf(created[18]!.id)).toBe(upgraded.length);
    // The failed tenant's migration was one transaction: nothing of it was applied.
    const brokenCols = await fileOf(broken.id).execute("SELECT name FROM pragma_table_info('members') WHERE name = 'probe_note'");
    expect(brokenCols.rows).toHaveLength(0);
    // Upgraded tenants work and have the new column.
    const cols = await fileOf(created[3]!.id).execute("SELECT name FROM pragma_table_info('members') WHERE name = 'probe_note'");
    expect(cols.rows).toHaveLength(1);
    expect((await api.get("/v1/me", created[3]!.token)).status).toBe(200);

    // The operator fixes the tenant; the rerun touches only what is left.
    await fileOf(broken.id).execute("DROP TABLE probe");
    const second = await migrateAllTenants(target.ports.control, target.ports.tenantDatabases, upgraded);
    expect(second.failed).toEqual([]);
    expect(second.upgraded).toEqual([broken.slug]);
    expect(second.alreadyCurrent).toBe(49);
    expect(await versionOf(broken.id)).toBe(upgraded.length);
  });
});

