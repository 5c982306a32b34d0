// `npm run dev:worker`: the Worker in `wrangler dev` against the local libSQL server, with persistent
// databases under ./data/libsql, so a person can sign up, log in and call the Worker with curl.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { startLibsqlServer } from "../tools/libsql-server/server.js";

const LIBSQL_PORT = Number(process.env.LIBSQL_PORT ?? 8080);
const WORKER_PORT = Number(process.env.PORT ?? 8787);

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

const libsql = await startLibsqlServer({ dataDir: "./data/libsql", port: LIBSQL_PORT, authToken: devVars.TENANT_DB_AUTH_TOKEN });
if (!libsql.hasDatabase("control")) libsql.createDatabase("control");
console.log(`libSQL server on ${libsql.url} (data in ./data/libsql)`);

const wrangler = spawn(
  process.execPath,
  ["node_modules/wrangler/bin/wrangler.js", "dev", "--port", String(WORKER_PORT), "--ip", "127.0.0.1",
    "--var", `CONTROL_DB_URL:${libsql.url}/t/control/`, "--var", `LIBSQL_SERVER_URL:${libsql.url}`, "--var", `PUBLIC_URL:http://127.0.0.1:${WORKER_PORT}`],
  { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" } },
);
console.log(`Worker on http://127.0.0.1:${WORKER_PORT} (docs at /docs); Ctrl-C stops both`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // SIGINT to wrangler's own node process: killing a wrapper would leave workerd running.
  wrangler.kill("SIGINT");
  await new Promise((r) => wrangler.once("exit", r));
  await libsql.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", (code) => {
  if (!stopping) libsql.close().then(() => process.exit(code ?? 1));
});
