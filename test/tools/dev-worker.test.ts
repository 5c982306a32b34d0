import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONSOLE_HEADERS } from "../../src/http/console-csp.js";

/** A process that has ended: gone, or a zombie waiting for init to reap it. */
function ended(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z") ?? true;
  } catch {
    return true;
  }
}

/**
 * Issue 11 §7: `npm run dev:worker` runs the Worker's cron on demand (the pinned wrangler's manual
 * trigger answers 500 with [assets]) and leaves no process behind when stopped. It also serves the
 * console as Workers static assets do, so the assets' security headers are checked here.
 */
describe("npm run dev:worker", () => {
  it("runs the cron on demand, and SIGTERM stops every process it started", async () => {
    const data = mkdtempSync(join(tmpdir(), "qingdan-dev-worker-"));
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/dev-worker.ts"], {
      env: { ...process.env, PORT: "18797", LIBSQL_PORT: "18090", DEV_DATA_DIR: data },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", () => {});
    const until = async (pattern: RegExp, ms: number) => {
      for (const end = Date.now() + ms; !pattern.test(out) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 200));
      return pattern.test(out);
    };
    try {
      expect(await until(/Worker on http:\/\/127\.0\.0\.1:18797/, 90_000)).toBe(true);
      expect((await fetch("http://127.0.0.1:18797/healthz")).status).toBe(200);
      // Issue #10 §7: Workers static assets send the console's security headers (public/_headers) on
      // the page, its assets and the SPA fallback — the same constant the Node entry sends.
      const page = await fetch("http://127.0.0.1:18797/");
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
      expect(script).toBeTruthy();
      for (const [path, res] of [["/", page], [script!, await fetch(`http://127.0.0.1:18797${script}`)], ["/tasks/x", await fetch("http://127.0.0.1:18797/tasks/x")]] as const) {
        expect(res.status, path).toBe(200);
        for (const [name, value] of Object.entries(CONSOLE_HEADERS)) expect(res.headers.get(name), `${path} ${name}`).toBe(value);
      }
      child.stdin.write("cron 2026-12-28T01:00:00Z\n");
      expect(await until(/cron at 2026-12-28T01:00:00\.000Z: /, 30_000)).toBe(true);
      expect(out).toMatch(/cron at 2026-12-28T01:00:00\.000Z: 200 ok/);

      const started = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n").map((l) => l.trim().split(/\s+/).map(Number));
      const descendants: number[] = [];
      for (let frontier = [child.pid!]; frontier.length > 0; ) {
        frontier = started.filter(([, ppid]) => frontier.includes(ppid!)).map(([pid]) => pid!);
        descendants.push(...frontier);
      }
      expect(descendants.length).toBeGreaterThan(0); // workerd at least

      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      for (const end = Date.now() + 5_000; descendants.some((pid) => !ended(pid)) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
      expect(descendants.filter((pid) => !ended(pid))).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(data, { recursive: true, force: true });
    }
  }, 150_000);
});
