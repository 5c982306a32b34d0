// Starts bench/server-child.ts in its own Node process, so the load generator (autocannon, in the
// bench process) and the server do not share one event loop: on 2 cores each gets its own.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { childChannel } from "./child-ipc.js";
import type { ChildMessage, ChildStats } from "./server-child.js";

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
