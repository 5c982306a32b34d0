import { Cron } from "croner";
import { type TenantJob, tenantsDueAt } from "../../jobs/sweep.js";
import { runTenantJob } from "../../jobs/run-job.js";
import { dispatchCalendarRerolls } from "../../jobs/calendar-reroll.js";
import { removeUnconfirmedTenants } from "../../modules/tenants/confirmation.js";
import type { Ports } from "../ports.js";

/**
 * Node's stand-in for Cloudflare Queues: jobs run in-process with bounded concurrency, and a job that
 * fails is retried with backoff (as a queue redelivers) before it is logged as dead.
 */
export function inProcessQueue(ports: Ports, options: { concurrency?: number; attempts?: number; backoffMs?: number } = {}) {
  const concurrency = options.concurrency ?? 4;
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 30_000;
  const pending: { job: TenantJob; attempt: number }[] = [];
  let running = 0;
  const idle: (() => void)[] = [];

  const pump = () => {
    while (running < concurrency && pending.length) {
      const next = pending.shift()!;
      running++;
      runTenantJob(ports, next.job)
        .catch((error) => {
          if (next.attempt < attempts) setTimeout(() => enqueue([next.job], next.attempt + 1), backoff * 2 ** (next.attempt - 1)).unref?.();
          else ports.logger.error({ msg: "reminder job dead", ...next.job, error: String(error) });
        })
        .finally(() => {
          running--;
          pump();
          if (running === 0 && pending.length === 0) for (const resolve of idle.splice(0)) resolve();
        });
    }
  };
  const enqueue = (jobs: TenantJob[], attempt = 1) => {
    pending.push(...jobs.map((job) => ({ job, attempt })));
    pump();
  };
  return {
    enqueue,
    /** Resolves when nothing is queued or running (retries scheduled for later do not count). */
    drained: () => (running === 0 && pending.length === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r))),
  };
}

/** One sweep: every tenant whose local send hour is `at`'s gets one job. */
export async function sweepReminders(ports: Ports, queue: ReturnType<typeof inProcessQueue>, at: Date) {
  let tenants = 0;
  for await (const page of tenantsDueAt(ports.control, at)) {
    queue.enqueue(page.map((t) => ({ tenantId: t.id, at: at.toISOString() })));
    tenants += page.length;
  }
  // A year of the national calendar imported since: every tenant re-rolls its provisional dates.
  await dispatchCalendarRerolls(ports.control, at, async (jobs) => queue.enqueue(jobs));
  return tenants;
}

/** The hourly schedule of `npm start` (cron in UTC, like the Worker's trigger). */
export function scheduleReminders(ports: Ports) {
  const queue = inProcessQueue(ports);
  const cron = new Cron("0 * * * *", { timezone: "UTC", protect: true }, async () => {
    const tenants = await sweepReminders(ports, queue, new Date());
    const unconfirmedRemoved = await removeUnconfirmedTenants(ports);
    ports.logger.info({ msg: "reminder sweep", tenants, unconfirmedRemoved });
  });
  return { queue, stop: () => cron.stop() };
}
