// The request-and-wait protocol the bench's child processes speak over IPC (the server child, the SMTP sink).
import type { ChildProcess } from "node:child_process";

/**
 * `next(type)` waits for the child's next message of a type (an `error` message or the child's exit
 * rejects it); `request(type)` asks for one; `close()` asks the child to stop, and kills it after 5 s.
 */
export function childChannel<M extends { type: string }>(child: ChildProcess, name: string) {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const next = <T extends M["type"]>(type: T) =>
    new Promise<Extract<M, { type: T }>>((resolve, reject) => {
      const onMessage = (m: M) => {
        if (m.type === "error" && type !== "error") {
          cleanup();
          reject(new Error(`${name} failed: ${(m as { message?: string }).message}`));
        } else if (m.type === type) {
          cleanup();
          resolve(m as Extract<M, { type: T }>);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${name} exited (${code}) while waiting for ${type}`));
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
    });
  return {
    next,
    async request<T extends M["type"]>(type: T) {
      const reply = next(type);
      child.send({ type });
      return reply;
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

/** CPU time of this process so far (utime + stime), in microseconds: a child reports it when asked. */
export const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
