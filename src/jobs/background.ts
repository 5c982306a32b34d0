import { eq } from "drizzle-orm";
import { tenants } from "../db/control/schema.js";
import { tenantFacts } from "../modules/tenants/directory.js";
import { channelsOf } from "../platform/channels.js";
import type { Ports, BackgroundJob } from "../platform/ports.js";
import { sendQueuedInvitations } from "./invitations.js";

export class BackgroundJobFailed extends Error {}

/** The consumer of the jobs queue, on either runtime. Throws when part of the work failed, so the queue retries it. */
export async function runBackgroundJob(ports: Ports, job: BackgroundJob) {
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.id, job.tenantId)).limit(1);
  if (!row || row.status !== "active" || !row.dbLocator) return null;
  const tenant = tenantFacts(row);
  const db = ports.tenantDatabases.open(tenant.id, tenant.dbLocator);
  switch (job.kind) {
    case "invitations": {
      const run = await sendQueuedInvitations({ db, tenant, config: ports.config, channels: channelsOf(ports) }, ports.now?.() ?? new Date());
      ports.logger.info({ msg: "invitations", ...run });
      if (run.failed > 0) throw new BackgroundJobFailed(`${run.failed} of ${run.claimed} invitations failed for tenant ${tenant.id}`);
      return run;
    }
  }
}
