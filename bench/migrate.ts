// Part 3: the migration runner over many tenants. The tenants are real database files at the
// bundled schema version; a synthetic migration appended in memory makes that version the older
// one, and migrateAllTenants brings every tenant up. Then the resume cost: a rerun with nothing to
// do, in-process and as the real `npm run migrate` child process.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import { tenants } from "../src/db/control/schema.js";
import type { BundledMigration } from "../src/db/migrate.js";
import { migrateAllTenants } from "../src/db/migrate-tenants.js";
import { bundledMigrations } from "../src/db/migrations.generated.js";
import { hashPassword } from "../src/platform/crypto.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import { createTenantsDirect } from "./fixtures.js";
import { BENCH_PASSWORD, benchEnv, fmtInt, log, type Row, tempDir } from "./support.js";

const run = promisify(execFile);

/** One more tenant migration, newer than every bundled one, as drizzle-kit would write it. */
export function probeMigration(base: BundledMigration[]): BundledMigration {
  const statements = ["CREATE TABLE `bench_probe` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`note` text\n);", "CREATE INDEX `bench_probe_note` ON `bench_probe` (`note`);"];
  const newest = Math.max(...base.map((m) => m.when));
  return { tag: "9999_bench_probe", when: newest + 1000, hash: createHash("sha256").update(statements.join("\n")).digest("hex"), statements };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function migrateBench(count: number): Promise<Row[]> {
  const dir = tempDir("migrate");
  try {
    const env = parseEnv(nodeEnvSchema, benchEnv(dir.path));
    const mailer = { send: async () => ({ messageId: "<bench@local>" }) };

    log(`migrate: creating ${fmtInt(count)} tenants at schema version ${bundledMigrations.tenant.length}`);
    const hash = await hashPassword(BENCH_PASSWORD);
    let built = await nodePorts(env, { mailer });
    let started = performance.now();
    await createTenantsDirect(built.ports, count, hash, (done) => log(`  ${fmtInt(done)} tenants`));
    const createMs = performance.now() - started;
    built.close();

    // A fresh process state for the run: no open handles, as `npm run migrate` would start.
    const migrations = [...bundledMigrations.tenant, probeMigration(bundledMigrations.tenant)];
    built = await nodePorts(env, { mailer });
    log(`migrate: migrateAllTenants to version ${migrations.length}`);
    started = performance.now();
    const report = await migrateAllTenants(built.ports.control, built.ports.tenantDatabases, migrations);
    const migrateMs = performance.now() - started;
    if (report.failed.length > 0 || report.upgraded.length !== count) {
      throw new Error(`migrateAllTenants: ${report.upgraded.length} upgraded, ${report.failed.length} failed (${report.failed[0]?.error ?? ""})`);
    }
    // Spot-check that the files, not only the registry, moved on.
    const rows = await built.ports.control.select({ id: tenants.id, dbLocator: tenants.dbLocator, schemaVersion: tenants.schemaVersion }).from(tenants);
    const stale = rows.filter((r) => r.schemaVersion !== migrations.length).length;
    const sample = rows[Math.floor(rows.length / 2)]!;
    const probe = await built.ports.tenantDatabases.client(sample.id, sample.dbLocator!).execute("SELECT count(*) FROM sqlite_master WHERE name = 'bench_probe'");
    if (stale > 0 || Number(probe.rows[0]![0]) !== 1) throw new Error(`after migrating: ${stale} tenants at an old version, bench_probe present: ${probe.rows[0]![0]}`);

    started = performance.now();
    const rerun = await migrateAllTenants(built.ports.control, built.ports.tenantDatabases, migrations);
    const rerunMs = performance.now() - started;
    built.close();

    log("migrate: npm run migrate (nothing to do)");
    started = performance.now();
    const child = await run("npm", ["run", "--silent", "migrate"], { env: { ...process.env, ...benchEnv(dir.path) }, cwd: process.cwd() });
    const childMs = performance.now() - started;
    const line = child.stdout.trim().split("\n").pop() ?? "";

    return [
      {
        part: "3 migrate",
        case: `create ${fmtInt(count)} tenants (provision + migrate + admin, no HTTP)`,
        result: `${seconds(createMs)} · ${fmtInt(count / (createMs / 1000))} tenants/s`,
        relative: "–",
        note: "fixture: the same provision() and applyMigrations() signup uses; registry rows inserted in bulk",
      },
      {
        part: "3 migrate",
        case: `migrateAllTenants, +1 synthetic migration × ${fmtInt(count)}`,
        result: `${seconds(migrateMs)} · ${fmtInt(count / (migrateMs / 1000))} tenants/s`,
        relative: `${(migrateMs / count).toFixed(2)} ms/tenant`,
        note: `${fmtInt(report.upgraded.length)} upgraded, ${report.failed.length} failed; concurrency 4 (default); CREATE TABLE + INDEX bench_probe`,
      },
      {
        part: "3 migrate",
        case: "rerun, nothing to do (in-process)",
        result: seconds(rerunMs),
        relative: "–",
        note: `${fmtInt(rerun.alreadyCurrent)} already current, ${rerun.upgraded.length} upgraded`,
      },
      {
        part: "3 migrate",
        case: "`npm run migrate`, nothing to do (child process)",
        result: `${seconds(childMs)} wall`,
        relative: "–",
        note: `incl. npm + tsx start-up; it printed: "${line}"`,
      },
    ];
  } finally {
    dir.remove();
  }
}
