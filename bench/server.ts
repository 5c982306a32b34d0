// Starts bench/server-child.ts in its own Node process, so the load generator (autocannon, in the
// bench process) and the server do not share one event loop: on 2 cores each gets its own.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ChildStats } from "./server-child.js";

export interface ServerChild {
  appUrl: string;
  bareUrl: string;
  pid: number;
  stats(): Promise<ChildStats>;
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
  const next = <T extends ChildMessage["type"]>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type === "error") {
          cleanup();
          reject(new Error(`server child failed: ${m.message}`));
        } else if (m.type === type) {
          cleanup();
          resolve(m as Extract<ChildMessage, { type: T }>);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`server child exited (${code}) while waiting for ${type}`));
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
    });

  const ready = await next("ready");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    appUrl: `http://127.0.0.1:${ready.appPort}`,
    bareUrl: `http://127.0.0.1:${ready.barePort}`,
    pid: child.pid!,
    async stats() {
      const reply = next("stats");
      child.send({ type: "stats" });
      return (await reply).stats;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: "close" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
