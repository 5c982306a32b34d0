import { eq } from "drizzle-orm";
import { tenants } from "../db/control/schema.js";
import { tenantFacts } from "../modules/tenants/directory.js";
import { closeExpiredAttempts } from "../modules/exams/attempts.js";
import { deleteAbandonedFiles } from "../modules/files/service.js";
import type { Ports } from "../platform/ports.js";
import type { ReminderJob, TenantJob } from "./sweep.js";
import { localDate } from "../calendar/zoned.js";
import { runCalendarRerollJob } from "./calendar-reroll.js";
import { everySource, readMorning } from "./plan-morning.js";
import { type ReminderRun, runTenantReminders } from "./tenant-reminders.js";

export class ReminderJobFailed extends Error {}

/**
 * The queue consumer's work for one message, on either runtime: one tenant's reminders. It throws
 * when any send failed, so the queue redelivers; the redelivery sends only what is still unsent.
 */
export async function runReminderJob(ports: Ports, job: ReminderJob): Promise<ReminderRun | null> {
  const [row] = await ports.control.select().from(tenants).where(eq(tenants.id, job.tenantId)).limit(1);
  if (!row || row.status !== "active" || !row.dbLocator) return null;
  const tenant = tenantFacts(row);
  const db = ports.tenantDatabases.open(tenant.id, tenant.dbLocator);
  const at = new Date(job.at);
  // One round trip first: settings, calendar days, sent keys, and which sources and cleanups have anything to do (plan-morning.ts).
  let morning = await readMorning(db, localDate(at, tenant.timezone), at, { skipSent: true });
  // The tenant's daily job also clears uploads never attached within a day; its failure is logged, not retried with the mail.
  if (morning.abandonedFiles) {
    try {
      const removed = await deleteAbandonedFiles({ db, tenantId: tenant.id, requestId: `job:${tenant.id}:${job.at}`, now: at }, ports.files);
      if (removed > 0) ports.logger.info({ msg: "abandoned files deleted", tenantId: tenant.id, removed });
    } catch (error) {
      ports.logger.error({ msg: "abandoned file cleanup failed", tenantId: tenant.id, error: String(error) });
    }
  }
  // Attempts whose time ran out unsubmitted are scored, and their passes counted, before the morning's plan reads the tasks.
  // Scoring changes tasks and attempts under the probe: every source then runs, as if there were none.
  if (morning.expiredAttempts) {
    morning = everySource(morning);
    try {
      const closed = await closeExpiredAttempts({
        db,
        actor: null as never, // the system: the scoring's audit rows carry no actor
        tenant,
        requestId: `job:${tenant.id}:${job.at}`,
        now: at,
        nationalCalendar: ports.calendar.current(),
        fileUrl: () => Promise.reject(new Error("no file URLs in the morning job")),
      });
      if (closed > 0) ports.logger.info({ msg: "expired exam attempts scored", tenantId: tenant.id, closed });
    } catch (error) {
      ports.logger.error({ msg: "expired exam attempts not scored", tenantId: tenant.id, error: String(error) });
    }
  }
  const run = await runTenantReminders(
    { db, tenant, mailer: ports.mailer, jwtSecret: ports.config.jwtSecret, publicUrl: ports.config.publicUrl, nationalCalendar: ports.calendar.current(), syncCrypto: ports.syncCrypto },
    at,
    morning,
  );
  ports.logger.info({ msg: "reminders", ...run });
  if (run.failed > 0) throw new ReminderJobFailed(`${run.failed} of ${run.planned} reminder emails failed for tenant ${tenant.id}`);
  return run;
}

/** One queue message, whatever its kind. */
export async function runTenantJob(ports: Ports, job: TenantJob): Promise<unknown> {
  if (job.kind === "calendar_reroll") return runCalendarRerollJob(ports, job);
  return runReminderJob(ports, job);
}
