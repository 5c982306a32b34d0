// The server under load, in a process of its own (started by bench/server.ts with fork): the app
// exactly as src/node.ts serves it (nodePorts + createApp + serveApp), plus a bare Hono app on
// @hono/node-server for the floor. It reports its own CPU time (utime + stime), so the bench can
// divide it by the requests of a run: steadier than req/s on a shared machine. Ports are 0 (src/config.ts refuses PORT=0, so the
// listening address is chosen here rather than by src/node.ts). Talks to the bench over IPC.
import { readdirSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../src/app.js";
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import { serveApp } from "../src/platform/node/serve-app.js";
import { cpuMicros } from "./child-ipc.js";

export interface ChildStats {
  rss: number;
  heapUsed: number;
  external: number;
  /** Tenant database handles held by the LRU (TENANT_DB_CACHE). */
  openTenantDatabases: number;
  /** Entries of /proc/self/fd: every open file, socket and pipe of the process. */
  openFds: number;
  activeResources: number;
}

export type ChildMessage =
  | { type: "ready"; appPort: number; barePort: number }
  | { type: "stats"; stats: ChildStats }
  /** The process's CPU time so far (user + system), in microseconds. */
  | { type: "cpu"; micros: number }
  /** The event loop's delay since the last ask (ms): a request waits at least this long to be read. */
  | { type: "loop"; p50: number; p99: number; max: number }
  | { type: "error"; message: string };

function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve({ server, port: info.port }));
  });
}

function listenApp(app: Parameters<typeof serveApp>[0]): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serveApp(app, { port: 0, hostname: "127.0.0.1" }, (info) => resolve({ server, port: info.port }));
  });
}

async function stats(openTenantDatabases: number): Promise<ChildStats> {
  (globalThis as { gc?: () => void }).gc?.();
  // Native finalizers (libsql's statements and connections) run from the event loop after the GC.
  await new Promise((r) => setImmediate(r));
  const mem = process.memoryUsage();
  let openFds = -1;
  try {
    openFds = readdirSync("/proc/self/fd").length;
  } catch {}
  return { rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, openTenantDatabases, openFds, activeResources: process.getActiveResourcesInfo().length };
}

async function main() {
  const env = parseEnv(nodeEnvSchema, { ...process.env, LOG: "silent" });
  const built = await nodePorts(env, { mailer: { send: async () => ({ messageId: "<bench@local>" }) } });
  const app = createApp(built.ports);
  const bare = new Hono().get("/bare", (c) => c.text("ok"));
  const [appServer, bareServer] = [await listenApp(app), await listen(bare.fetch)];
  const send = (m: ChildMessage) => process.send?.(m);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();

  process.on("message", (m: { type: string }) => {
    if (m.type === "stats") void stats(built.tenantDatabases.openCount()).then((s) => send({ type: "stats", stats: s }));
    if (m.type === "cpu") send({ type: "cpu", micros: cpuMicros() });
    if (m.type === "loop") {
      send({ type: "loop", p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
      loop.reset();
    }
    if (m.type === "close") {
      appServer.server.close();
      bareServer.server.close();
      built.close();
      process.disconnect();
      process.exit(0);
    }
  });
  send({ type: "ready", appPort: appServer.port, barePort: bareServer.port });
}

main().catch((error) => {
  process.send?.({ type: "error", message: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
});
