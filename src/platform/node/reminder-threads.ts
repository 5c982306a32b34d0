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
  /** Closed files a thread lets wait before the driver's collection (reminder-thread.ts, COLLECT_AFTER); a test sets fewer to see collections within a small sweep. */
  collectAfter?: number;
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
 * A sweep's thread allocates a tenant's rows, items and letters (~1.5 MB of strings for 200 digests)
 * and drops them when the tenant is done: with V8's default young generation (16 MiB semi-spaces)
 * they outlive one or two scavenges and are copied each time, ~17 % of a planning thread's CPU.
 * Room for a few tenants in flight lets them die young: ~15 % less CPU a tenant planned on part 9's
 * two threads (issue 19, ADR 0028). The threads live only while a sweep runs (THREADS_IDLE_MS), so
 * the server's own heap is unchanged.
 */
const YOUNG_GENERATION_MB = 48;

type Pending = Map<number, { resolve(value: unknown): void; reject(error: Error): void }>;
interface Slot {
  worker: Worker;
  ready: boolean;
  /** Why it can take no more jobs: crashed, retired when idle, or closed. */
  dead: Error | null;
  pending: Pending;
}

/**
 * Tenant jobs (a morning's reminders, a calendar re-roll) on worker threads, so a sweep of a thousand
 * bureaus plans, composes and signs on every core, not one (issue 19). Each thread opens its own ports
 * from the same env (the tenant files, the control database and an SMTP pool of its own); jobs go to the
 * thread with the fewest in flight; a job's logs come back to the main thread's logger. Threads start
 * with the first job and, with `idleMs`, end that long after the last (a server between sweeps holds
 * none). A thread that dies fails its jobs (the queue retries them, as it would any failure) and is
 * replaced; one that never got ready (a broken build, bad settings) is not, and its jobs fail at once.
 */
export function tenantJobThreads(env: NodeEnv, logger: Logger, threads: number, options: ThreadOptions & { idleMs?: number } = {}): TenantJobThreads {
  let nextId = 1;
  let closed = false;
  let slots: Slot[] = [];
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const readyWaiters: (() => void)[] = [];
  const allReady = () => slots.length > 0 && slots.every((s) => s.ready || s.dead);
  const inFlight = () => slots.reduce((n, s) => n + s.pending.size, 0);
  const retire = (gone: Slot[], why: string) =>
    Promise.all(
      gone.map((s) => {
        s.dead ??= new Error(why);
        return s.worker.terminate();
      }),
    );
  const whenIdle = () => {
    if (options.idleMs === undefined || inFlight() > 0) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (inFlight() > 0) return;
      const gone = slots;
      slots = [];
      void retire(gone, "reminder thread retired when idle");
    }, options.idleMs);
    idleTimer.unref?.();
  };

  const spawn = (): Slot => {
    const worker = new Worker(threadEntry(), { workerData: { env, options: { mail: options.mail, collectAfter: options.collectAfter } } satisfies ThreadData, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    const slot: Slot = { worker, ready: false, dead: null, pending: new Map() };
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
      whenIdle();
    });
    const lost = (error: Error) => {
      if (slot.dead) return;
      slot.dead = error;
      for (const waiting of slot.pending.values()) waiting.reject(error);
      slot.pending.clear();
      const at = slots.indexOf(slot);
      if (at >= 0 && slot.ready) slots[at] = spawn();
      if (allReady()) for (const resolve of readyWaiters.splice(0)) resolve();
    };
    worker.on("error", (error) => {
      logger.error({ msg: "reminder thread failed", error: String(error) });
      lost(error);
    });
    worker.on("exit", (code) => lost(new Error(`reminder thread exited (${code})`)));
    return slot;
  };
  const started = () => {
    clearTimeout(idleTimer);
    if (slots.length === 0) slots = Array.from({ length: threads }, spawn);
    return slots;
  };

  return {
    run(job) {
      if (closed) return Promise.reject(new Error("reminder threads closed"));
      const live = started().filter((s) => !s.dead);
      if (live.length === 0) return Promise.reject(slots[0]!.dead);
      const slot = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.ref();
        slot.worker.postMessage({ id, job });
      });
    },
    ready() {
      if (closed) return Promise.resolve();
      started();
      return allReady() ? Promise.resolve() : new Promise<void>((resolve) => readyWaiters.push(resolve));
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      const gone = slots;
      slots = [];
      await retire(gone, "reminder threads closed");
    },
  };
}
