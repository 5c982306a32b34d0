// `npm run dev:worker`: the Worker in workerd (wrangler's startWorker API) against the local libSQL
// server, with persistent databases under ./data/libsql, so a person can sign up, log in and call the
// Worker with curl. The hourly cron runs as in production; type `cron [ISO time]` + Enter to run it now.
//
// In-process rather than a `wrangler dev` child: the pinned wrangler's /cdn-cgi/handler/scheduled
// answers 500 when [assets] is configured (a miniflare bug fixed in later releases), while
// startWorker's `scheduled()` calls the Worker's handler directly; and stopping this one process
// (Ctrl-C, SIGTERM) disposes workerd and closes the libSQL server, with no child left behind.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Cron } from "croner";
import { unstable_startWorker } from "wrangler";
import { startLibsqlServer } from "../tools/libsql-server/server.js";

Object.assign(process.env, { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" });
const LIBSQL_PORT = Number(process.env.LIBSQL_PORT ?? 8080);
const WORKER_PORT = Number(process.env.PORT ?? 8787);
const DATA = process.env.DEV_DATA_DIR ?? "./data";

// Local secrets live in .dev.vars (git-ignored), made once so tokens survive restarts.
if (!existsSync(".dev.vars")) {
  const secret = randomBytes(24).toString("base64url");
  writeFileSync(
    ".dev.vars",
    [`JWT_SECRET=${randomBytes(36).toString("base64url")}`, `CONTROL_DB_AUTH_TOKEN=${secret}`, `TENANT_DB_AUTH_TOKEN=${secret}`, `LIBSQL_SERVER_ADMIN_TOKEN=${secret}`, ""].join("\n"),
  );
}
const devVars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8").split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);

const libsql = await startLibsqlServer({ dataDir: `${DATA}/libsql`, port: LIBSQL_PORT, authToken: devVars.TENANT_DB_AUTH_TOKEN });
if (!libsql.hasDatabase("control")) libsql.createDatabase("control");
console.log(`libSQL server on ${libsql.url} (data in ${DATA}/libsql)`);

// Development values: wrangler.toml holds none, so a deploy that lacks its own fails at once.
const vars: Record<string, string> = {
  ...devVars,
  TENANT_DB_PROVIDER: "libsql-server",
  CONTROL_DB_URL: `${libsql.url}/t/control/`,
  LIBSQL_SERVER_URL: libsql.url,
  PUBLIC_URL: `http://127.0.0.1:${WORKER_PORT}`,
};
const worker = await unstable_startWorker({
  config: "wrangler.toml",
  bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
  dev: { server: { hostname: "127.0.0.1", port: WORKER_PORT }, inspector: false, persist: `${DATA}/wrangler`, watch: false, logLevel: "warn" },
});
// Where the user worker listens, and the secret wrangler's proxy presents to it: captured as it reloads.
let userWorker: { url: string; headers: Record<string, string> } | undefined;
const proxy = worker.raw.proxy as unknown as { onReloadComplete(event: { proxyData: { userWorkerUrl: { protocol: string; hostname: string; port: string }; headers: Record<string, string> } }): void };
const onReloadComplete = proxy.onReloadComplete.bind(proxy);
proxy.onReloadComplete = (event) => {
  const { protocol, hostname, port } = event.proxyData.userWorkerUrl;
  userWorker = { url: `${protocol}//${hostname}:${port}`, headers: event.proxyData.headers };
  onReloadComplete(event);
};
await worker.ready;
console.log(`Worker on http://127.0.0.1:${WORKER_PORT} (docs at /docs); type "cron [ISO time]" to run the hourly cron; Ctrl-C stops everything`);

async function runCron(at = new Date()) {
  try {
    if (!userWorker) throw new Error("the Worker has not started");
    // Straight to the user worker's entry, naming the worker: through wrangler's proxy (or with
    // [assets]) the trigger reaches the assets router, which has no scheduled handler.
    const res = await fetch(`${userWorker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("0 * * * *")}&time=${at.getTime()}`, {
      headers: { ...userWorker.headers, "MF-Route-Override": "qingdan" },
    });
    console.log(`cron at ${at.toISOString()}: ${res.status} ${await res.text()}`);
  } catch (error) {
    console.error(`cron at ${at.toISOString()} failed: ${error instanceof Error ? error.message : error}`);
  }
}
const hourly = new Cron("0 * * * *", { timezone: "UTC" }, () => void runCron());

createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, time] = line.trim().split(/\s+/);
  if (command !== "cron") return;
  const at = time ? new Date(time) : new Date();
  if (Number.isNaN(at.getTime())) console.error("cron takes an ISO 8601 time, e.g. cron 2026-12-28T01:00:00Z");
  else void runCron(at);
});

/** Every process this one started, however deep (workerd, esbuild's service), from `ps`. */
function descendants(root: number): number[] {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n").map((l) => l.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  for (let frontier = [root]; frontier.length > 0; ) {
    frontier = rows.filter(([, ppid]) => frontier.includes(ppid!)).map(([pid]) => pid!);
    found.push(...frontier);
  }
  return found;
}

const signal = (pids: number[], name: NodeJS.Signals) => pids.filter((pid) => {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false; // already gone
  }
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  hourly.stop();
  // wrangler's dispose() leaves workerd and esbuild running (esbuild even panics), and its own signal
  // handler may exit first: end them by pid, synchronously, here and again on exit.
  const children = descendants(process.pid);
  console.log(`stopping the Worker (${children.length} processes) and the libSQL server`);
  process.once("exit", () => signal(children, "SIGKILL"));
  signal(children, "SIGTERM");
  void libsql.close().finally(() => process.exit(0));
}
// Ahead of wrangler's own handlers, which may end the process before ours would run.
process.prependListener("SIGINT", stop);
process.prependListener("SIGTERM", stop);
