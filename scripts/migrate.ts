// `npm run migrate`: upgrades the control database, then every tenant database under DATA_DIR.
// Exits 1 when any tenant failed (after upgrading all the others), listing each failure.
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import { migrateAllTenants } from "../src/db/migrate-tenants.js";
import { bundledMigrations } from "../src/db/migrations.generated.js";
import { nodePorts } from "../src/platform/node/node-ports.js";

const env = parseEnv(nodeEnvSchema, { ...process.env, LOG: "silent" });
const started = performance.now();
const { ports, close } = await nodePorts(env);
const report = await migrateAllTenants(ports.control, ports.tenantDatabases, bundledMigrations.tenant);
close();
const seconds = ((performance.now() - started) / 1000).toFixed(2);
console.log(`schema version ${report.target}: ${report.upgraded.length} upgraded, ${report.alreadyCurrent} already current, ${report.failed.length} failed (${seconds} s)`);
for (const f of report.failed) console.error(`  FAILED ${f.slug} (${f.tenantId}): ${f.error}`);
process.exit(report.failed.length > 0 ? 1 : 0);
