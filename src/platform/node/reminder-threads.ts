import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { NodeEnv } from "../../config.js";
import type { TenantJob } from "../../jobs/sweep.js";
import type { Logger } from "../ports.js";

/** What a thread sends back: a job's outcome, or a line for the main thread's logger. */
export type ThreadMessage =
  | { type: "ready" }
  | { type: "done"; id: number; result: unknown }
  | { type: "failed"; id: number; error: string; name: string }
  | { type: "log"; level: keyof Logger; fields: Record<string, unknown> };

export interface ThreadOptions {
  /** `discard`: mail is counted sent and goes nowhere — bench part 9 times planning and composing without SMTP. */
  mail?: "env" | "discard";
}

export interface ThreadData {
  env: NodeEnv;
  options: ThreadOptions;
}

export interface TenantJobThreads {
  run(job: TenantJob): Promise<unknown>;
  /** Resolves once every thread has opened its ports (jobs sent before wait in the thread's port). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

// The thread's module beside this one, .ts under tsx (npm start) and .js once compiled. A worker does
// not inherit tsx's loader (Node 20 runs no --import in threads), so a .ts thread registers it first.
const TS = extname(fileURLToPath(import.meta.url)) === ".ts";
const THREAD_MODULE = new URL(`./reminder-thread${TS ? ".ts" : ".js"}`, import.meta.url);
const threadEntry = () => {
  if (!TS) return THREAD_MODULE;
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))}; register(); await import(${JSON.stringify(THREAD_MODULE.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
};

/**
 * Tenant jobs (a morning's reminders, a calendar re-roll) on worker threads, so a sweep of a thousand
 * bureaus plans, composes and signs on every core, not one (issue 19). Each thread opens its own ports
 * from the same env (the tenant files, the control database and an SMTP pool of its own); jobs go to the
 * thread with the fewest in flight; a job's logs come back to the main thread's logger. A thread that
 * dies fails its jobs (the queue retries them, as it would any failure) and is replaced.
 */
export function tenantJobThreads(env: NodeEnv, logger: Logger, threads: number, options: ThreadOptions = {}): TenantJobThreads {
  let nextId = 1;
  let closing = false;
  const readyWaiters: (() => void)[] = [];
  const allReady = () => slots.length === threads && slots.every((s) => s.ready);
  const slots: { worker: Worker; ready: boolean; pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }> }[] = [];

  const spawn = (index: number) => {
    const worker = new Worker(threadEntry(), { workerData: { env, options } satisfies ThreadData, stdout: false, stderr: false });
    const slot = { worker, ready: false, pending: new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>() };
    slots[index] = slot;
    // Idle threads do not keep the process alive; a job in flight does (see run()).
    worker.unref();
    worker.on("message", (m: ThreadMessage) => {
      if (m.type === "log") return logger[m.level](m.fields);
      if (m.type === "ready") {
        slot.ready = true;
        if (allReady()) for (const resolve of readyWaiters.splice(0)) resolve();
        return;
      }
      const waiting = slot.pending.get(m.id);
      if (!waiting) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.type === "done") waiting.resolve(m.result);
      else waiting.reject(Object.assign(new Error(m.error), { name: m.name }));
    });
    const lost = (error: Error) => {
      for (const waiting of slot.pending.values()) waiting.reject(error);
      slot.pending.clear();
      // A thread that never got ready (a broken build, bad settings) would fail the same way again.
      if (!closing && slot.ready && slots[index] === slot) spawn(index);
    };
    worker.on("error", (error) => {
      logger.error({ msg: "reminder thread failed", error: String(error) });
      lost(error);
    });
    worker.on("exit", (code) => lost(new Error(`reminder thread exited (${code})`)));
  };
  for (let i = 0; i < threads; i++) spawn(i);

  return {
    run(job) {
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.ref();
        slot.worker.postMessage({ id, job });
      });
    },
    ready: () => (allReady() ? Promise.resolve() : new Promise<void>((resolve) => readyWaiters.push(resolve))),
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
