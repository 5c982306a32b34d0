import { runBackgroundJob } from "../../jobs/background.js";
import type { JobQueue, Ports, BackgroundJob } from "../ports.js";

/**
 * Node's stand-in for the Workers jobs queue: jobs run in-process after the request has answered,
 * a few at a time, and a failed job is retried with backoff (as a queue redelivers) before it is logged.
 */
export function inProcessJobQueue(portsOf: () => Ports, options: { concurrency?: number; attempts?: number; backoffMs?: number } = {}): JobQueue & { drained(): Promise<void> } {
  const concurrency = options.concurrency ?? 2;
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 10_000;
  const pending: { job: BackgroundJob; attempt: number }[] = [];
  let running = 0;
  const idle: (() => void)[] = [];

  const pump = () => {
    while (running < concurrency && pending.length) {
      const next = pending.shift()!;
      running++;
      // A macrotask later: the request that queued the job answers first.
      setTimeout(() => {
        runBackgroundJob(portsOf(), next.job)
          .catch((error) => {
            if (next.attempt < attempts) setTimeout(() => push([next.job], next.attempt + 1), backoff * 2 ** (next.attempt - 1)).unref?.();
            else portsOf().logger.error({ msg: "job dead", ...next.job, error: String(error) });
          })
          .finally(() => {
            running--;
            pump();
            if (running === 0 && pending.length === 0) for (const resolve of idle.splice(0)) resolve();
          });
      }, 0);
    }
  };
  const push = (jobs: BackgroundJob[], attempt = 1) => {
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
