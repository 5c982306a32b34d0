// A worker thread of tenantJobThreads (reminder-threads.ts): its own ports from the main thread's env,
// one tenant job per message, the outcome and every log line posted back.
import { parentPort, workerData } from "node:worker_threads";
import { runTenantJob } from "../../jobs/run-job.js";
import type { TenantJob } from "../../jobs/sweep.js";
import type { Logger } from "../ports.js";
import { discardMailer } from "./discard-mailer.js";
import { collectClosedEvery } from "./libsql-driver.js";
import { nodePorts } from "./node-ports.js";
import type { ThreadData, ThreadMessage } from "./reminder-threads.js";

const port = parentPort!;
const post = (m: ThreadMessage) => port.postMessage(m);
const logger: Logger = {
  info: (fields) => post({ type: "log", level: "info", fields }),
  error: (fields) => post({ type: "log", level: "error", fields }),
};
const { env, options } = workerData as ThreadData;
const THREAD_TENANT_CACHE = 16;
// A sweep opens each tenant once, a few at a time: a small cache of handles is enough, and every
// thread's cache is memory the process holds besides the server's own (bench part 9's process,
// four threads with the server's 256 handles each, grew to 5.8 GB RSS over 1,000 tenants).
/**
 * A sweep closes a file per tenant, so the driver's default (a full GC once 32 closes wait, or 1 s after
 * the last) ran one every 32 tenants. Each deoptimised the sweep's hot functions (600 tenants: 210
 * "weak objects" deopts, 9 with V8's own GCs only) and V8's helper threads compiled them again. Part 9's
 * 1,000 tenants on two threads, three runs each: 21.1–22.0 ms of CPU a tenant and 12.1–12.6 s at one
 * GC per 128 closes or 5 s, against 24.7–26.5 ms and 13.9–14.8 s at 32 (256: 21.5 ms, no better). The
 * price is descriptors: up to 128 closed tenants' (file, -wal, -shm) wait a thread, 780–894 open at
 * the sweep's peak against 387–408. Set before this thread opens a file. ADR 0026.
 */
const COLLECT_AFTER = 128;
collectClosedEvery(options.collectAfter ?? COLLECT_AFTER, 5_000);
const built = await nodePorts({ ...env, TENANT_DB_CACHE: Math.min(env.TENANT_DB_CACHE, THREAD_TENANT_CACHE) }, options.mail === "discard" ? { mailer: discardMailer } : {});
const ports = { ...built.ports, logger };

/**
 * Each job starts from the event loop (setImmediate), not inside the message's delivery. Node hands a
 * port up to 1,000 queued messages in one callback, and a sweep keeps this thread's port fed; a job that
 * waits on no I/O (nothing to send, or mail discarded) runs wholly in microtasks, so the loop never
 * turned during a sweep: no timer or immediate ran, and the file driver's collection of closed
 * connections (libsql-driver.ts, collectClosedEvery) waited for the sweep's end. A 1,000-tenant sweep held
 * 3,068 descriptors (every tenant it closed, with its -wal and -shm) and their memory until then.
 */
port.on("message", ({ id, job }: { id: number; job: TenantJob }) => {
  setImmediate(() =>
    runTenantJob(ports, job).then(
      (result) => post({ type: "done", id, result }),
      (error: unknown) => post({ type: "failed", id, error: error instanceof Error ? error.message : String(error), name: error instanceof Error ? error.name : "Error" }),
    ),
  );
});
post({ type: "ready" });
