// Preloaded (`node --import`) into the server that `npm start` runs (build/node.js), so bench part 6
// measures the product's own process rather than a bench entry beside it. Answers the bench over
// IPC: its memory after a full GC (the process runs with --expose-gc), its open file descriptors and,
// among them, the tenant database files (one per open connection), and stops the server with the
// SIGTERM an operator would send. Plain JavaScript: the server process loads no TypeScript loader.
import { readdirSync, readlinkSync } from "node:fs";

async function stats() {
  globalThis.gc?.();
  // Native finalizers (libsql's statements and connections) run from the event loop after the GC.
  await new Promise((resolve) => setImmediate(resolve));
  const mem = process.memoryUsage();
  let fds = [];
  try {
    fds = readdirSync("/proc/self/fd").map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return "";
      }
    });
  } catch {}
  return {
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external,
    openTenantDatabases: fds.filter((target) => /\/tenants\/[^/]+\.db$/.test(target)).length,
    openFds: fds.length || -1,
    activeResources: process.getActiveResourcesInfo().length,
  };
}

process.on("message", (m) => {
  if (m?.type === "stats") void stats().then((s) => process.send?.({ type: "stats", stats: s }));
  if (m?.type === "close") process.kill(process.pid, "SIGTERM");
});
// The IPC channel must not keep a server alive that src/node.ts has finished closing.
process.channel?.unref();
