import { runBackgroundJob } from "../../jobs/background.js";
import type { JobQueue, Ports, BackgroundJob } from "../ports.js";

export interface InProcessQueue<T> {
  enqueue(jobs: T[]): Promise<void>;
  /** Resolves when nothing is queued or running (retries scheduled for later do not count). */
  drained(): Promise<void>;
}

/**
 * Node's one stand-in for Cloudflare Queues (background jobs and the reminder sweep alike): jobs run
 * in-process a few at a time, a macrotask after they are queued (so the request that queued them
 * answers first), and a failed job is retried with backoff, as a queue redelivers, before it is
 * logged as dead.
 */
export function inProcessQueue<T>(
  run: (job: T) => Promise<unknown>,
  dead: (job: T, error: unknown) => void,
  options: { concurrency?: number; attempts?: number; backoffMs?: number } = {},
): InProcessQueue<T> {
  const concurrency = options.concurrency ?? 2;
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 10_000;
  const pending: { job: T; attempt: number }[] = [];
  let running = 0;
  const idle: (() => void)[] = [];

  const pump = () => {
    while (running < concurrency && pending.length) {
      const next = pending.shift()!;
      running++;
      setTimeout(() => {
        run(next.job)
          .catch((error) => {
            if (next.attempt < attempts) setTimeout(() => push([next.job], next.attempt + 1), backoff * 2 ** (next.attempt - 1)).unref?.();
            else dead(next.job, error);
          })
          .finally(() => {
            running--;
            pump();
            if (running === 0 && pending.length === 0) for (const resolve of idle.splice(0)) resolve();
          });
      }, 0);
    }
  };
  const push = (jobs: T[], attempt = 1) => {
    pending.push(...jobs.map((job) => ({ job, attempt })));
    pump();
  };
  return {
    async enqueue(jobs) {
      push(jobs);
    },
    drained: () => (running === 0 && pending.length === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r))),
  };
}

/** Background jobs after a request (bulk-import invitations…): the Worker's `JOBS` queue on Node. */
export function inProcessJobQueue(portsOf: () => Ports, options: { concurrency?: number; attempts?: number; backoffMs?: number } = {}): JobQueue & { drained(): Promise<void> } {
  return inProcessQueue<BackgroundJob>(
    (job) => runBackgroundJob(portsOf(), job),
    (job, error) => portsOf().logger.error({ msg: "job dead", ...job, error: String(error) }),
    options,
  );
}
