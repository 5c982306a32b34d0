import { availableParallelism } from "node:os";
import { Cron } from "croner";
import type { NodeEnv } from "../../config.js";
import { type TenantJob, tenantsDueAt } from "../../jobs/sweep.js";
import { runTenantJob } from "../../jobs/run-job.js";
import { dispatchCalendarRerolls } from "../../jobs/calendar-reroll.js";
import { removeUnconfirmedTenants } from "../../modules/tenants/confirmation.js";
import type { Ports } from "../ports.js";
import { type InProcessQueue, inProcessQueue } from "./job-queue.js";
import { type TenantJobThreads, tenantJobThreads } from "./reminder-threads.js";

/** Tenant jobs in flight per thread: a tenant waits on SQLite and SMTP between bursts of work, so a few overlap. */
const JOBS_PER_THREAD = 4;

/**
 * The reminder sweep's queue on Node (the Worker's `REMINDERS` queue): one tenant's morning, or its
 * calendar re-roll, a job; the same in-process queue as background jobs (job-queue.ts), retries and
 * all. With `threads` the jobs run on worker threads (every core), JOBS_PER_THREAD each; without,
 * in this thread, four at a time.
 */
export function tenantJobQueue(ports: Ports, options: { concurrency?: number; attempts?: number; backoffMs?: number; threads?: TenantJobThreads & { size: number } } = {}): InProcessQueue<TenantJob> {
  const { threads, ...rest } = options;
  return inProcessQueue<TenantJob>(
    (job) => (threads ? threads.run(job) : runTenantJob(ports, job)),
    (job, error) => ports.logger.error({ msg: "reminder job dead", ...job, error: String(error) }),
    { concurrency: threads ? threads.size * JOBS_PER_THREAD : 4, backoffMs: 30_000, ...rest },
  );
}

/** Threads a sweep keeps after its last job: a server between sweeps holds none (their memory is the tenant handles'). */
const THREADS_IDLE_MS = 60_000;

/** REMINDER_THREADS, or one thread per core; 0 keeps the jobs on the main thread. */
export function reminderThreads(env: NodeEnv, ports: Ports): (TenantJobThreads & { size: number }) | undefined {
  const size = env.REMINDER_THREADS ?? availableParallelism();
  return size > 0 ? { ...tenantJobThreads(env, ports.logger, size, { idleMs: THREADS_IDLE_MS }), size } : undefined;
}

/** One sweep: every tenant whose local send hour is `at`'s gets one job. */
export async function sweepReminders(ports: Ports, queue: InProcessQueue<TenantJob>, at: Date) {
  let tenants = 0;
  for await (const page of tenantsDueAt(ports.control, at)) {
    await queue.enqueue(page.map((t) => ({ tenantId: t.id, at: at.toISOString() })));
    tenants += page.length;
  }
  // A year of the national calendar imported since: every tenant re-rolls its provisional dates.
  await dispatchCalendarRerolls(ports.control, at, async (jobs) => queue.enqueue(jobs));
  return tenants;
}

/** The hourly schedule of `npm start` (cron in UTC, like the Worker's trigger). */
export function scheduleReminders(ports: Ports, env: NodeEnv) {
  const threads = reminderThreads(env, ports);
  const queue = tenantJobQueue(ports, { threads });
  const cron = new Cron("0 * * * *", { timezone: "UTC", protect: true }, async () => {
    const tenants = await sweepReminders(ports, queue, new Date());
    const unconfirmedRemoved = await removeUnconfirmedTenants(ports);
    ports.logger.info({ msg: "reminder sweep", tenants, unconfirmedRemoved });
  });
  return {
    queue,
    stop: () => {
      cron.stop();
      void threads?.close();
    },
  };
}
