// `npm run reminders -- --at <ISO time> [--tenant <slug>]`: one reminder sweep as if it were that time.
// Without --tenant: the tenants whose local send hour it is then. With --tenant: that tenant, whatever its hour.
// Mail goes where `npm start` sends it (SMTP_URL, or DATA_DIR/outbox). Exits 1 if any email failed.
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import { tenants } from "../src/db/control/schema.js";
import { runReminderJob } from "../src/jobs/run-job.js";
import { tenantsDueAt } from "../src/jobs/sweep.js";
import { nodePorts } from "../src/platform/node/node-ports.js";

const { values } = parseArgs({ options: { at: { type: "string" }, tenant: { type: "string" } } });
const at = new Date(values.at ?? new Date().toISOString());
if (Number.isNaN(at.getTime())) {
  console.error("--at must be an ISO 8601 time, e.g. 2026-12-28T08:00:00+08:00");
  process.exit(2);
}
const env = parseEnv(nodeEnvSchema, { ...process.env, LOG: "silent" });
const { ports, close } = await nodePorts(env);

let ids: string[] = [];
if (values.tenant) {
  const [row] = await ports.control.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, values.tenant));
  if (!row) {
    console.error(`no tenant ${values.tenant}`);
    process.exit(2);
  }
  ids = [row.id];
} else {
  for await (const page of tenantsDueAt(ports.control, at)) ids.push(...page.map((t) => t.id));
}

let failed = 0;
for (const tenantId of ids) {
  try {
    const run = await runReminderJob(ports, { tenantId, at: at.toISOString() });
    if (run) console.log(`${tenantId} ${run.day}: ${run.sendsToday ? `${run.planned} planned, ${run.sent} sent, ${run.alreadySent} already sent, ${run.inProgress} in progress` : "not a sending day"}`);
  } catch (error) {
    failed++;
    console.error(`${tenantId}: ${error instanceof Error ? error.message : error}`);
  }
}
console.log(`${ids.length} tenant(s) swept at ${at.toISOString()}${failed ? `, ${failed} with failures` : ""}`);
close();
process.exit(failed ? 1 : 0);
