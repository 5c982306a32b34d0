// Starts bench/server-child.ts in its own Node process, so the load generator (autocannon, in the
// bench process) and the server do not share one event loop: on 2 cores each gets its own.
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildNode, NODE_BUILD_DIR } from "../scripts/build-node.mjs";
import { childChannel } from "./child-ipc.js";
import type { ChildMessage, ChildStats } from "./server-child.js";
import { freePort } from "../tools/net/free-port.js";

export interface ServerChild {
  appUrl: string;
  bareUrl: string;
  pid: number;
  stats(): Promise<ChildStats>;
  /** The child's CPU time so far (utime + stime), µs: take it before and after a run. */
  cpu(): Promise<number>;
  /** The child's event-loop delay since the last call (ms): p50, p99, max. */
  loop(): Promise<{ p50: number; p99: number; max: number }>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL("./server-child.ts", import.meta.url));
/** The repository root: `--import tsx` resolves from the working directory. */
const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function startServerChild(env: Record<string, string>): Promise<ServerChild> {
  const child: ChildProcess = fork(CHILD, [], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // tsx loads the TypeScript; --expose-gc lets memory figures be taken after a collection.
    // BENCH_CPU_PROF=<dir> writes the server's CPU profile there when it exits (open it in DevTools).
    execArgv: ["--import", "tsx", "--expose-gc", ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const channel = childChannel<ChildMessage>(child, "server child");
  const ready = await channel.next("ready");
  return {
    appUrl: `http://127.0.0.1:${ready.appPort}`,
    bareUrl: `http://127.0.0.1:${ready.barePort}`,
    pid: child.pid!,
    stats: async () => (await channel.request("stats")).stats,
    cpu: async () => (await channel.request("cpu")).micros,
    loop: async () => {
      const { p50, p99, max } = await channel.request("loop");
      return { p50, p99, max };
    },
    close: channel.close,
  };
}

export interface ProductServer {
  appUrl: string;
  pid: number;
  stats(): Promise<ChildStats>;
  close(): Promise<void>;
}


/**
 * The server exactly as `npm start` runs it: the bundle in build/ (rebuilt when stale) under plain
 * `node`, with bench/product-probe.mjs preloaded to answer `stats` over IPC and --expose-gc so the
 * figures are taken after a full collection. REMINDERS=off keeps an hourly sweep out of the figures.
 */
export async function startProductServer(env: Record<string, string>): Promise<ProductServer> {
  await buildNode({ ifStale: true });
  const port = await freePort();
  const child: ChildProcess = fork(join(NODE_BUILD_DIR, "node.js"), [], {
    cwd: ROOT,
    env: { ...process.env, REMINDERS: "off", ...env, PORT: String(port), HOST: "127.0.0.1" },
    // Not the bench's own execArgv (tsx's loader): the product's process has none.
    execArgv: ["--expose-gc", "--import", fileURLToPath(new URL("./product-probe.mjs", import.meta.url))],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const channel = childChannel<{ type: "stats"; stats: ChildStats } | { type: "error"; message: string }>(child, "product server");
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  return {
    appUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stats: async () => (await channel.request("stats")).stats,
    close: channel.close,
  };
}
