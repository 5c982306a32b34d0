import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp } from "./app.js";
import { consoleFiles } from "./platform/node/console-files.js";
import { nodeEnvSchema, parseEnv } from "./config.js";
import { nodePorts } from "./platform/node/node-ports.js";
import { scheduleReminders } from "./platform/node/reminder-queue.js";
import { serveApp } from "./platform/node/serve-app.js";
import { nodeSite } from "./platform/node/site.js";

const env = parseEnv(nodeEnvSchema, process.env);
const { ports, dataDir, close } = await nodePorts(env);

// Scalar's own browser bundle, served from this origin: bureaus' networks may not reach a CDN.
const scalarScript = fileURLToPath(new URL("../node_modules/@scalar/api-reference/dist/browser/standalone.js", import.meta.url));
const app = createApp(ports, { docsScript: serveStatic({ path: scalarScript, root: "/" }) });

const reminders = env.REMINDERS === "on" ? scheduleReminders(ports, env) : undefined;

// The console (built into public/ by scripts/build-console.ts, as `npm start` does first) at every
// path the API does not own: the same split as Workers static assets' run_worker_first.
const files = consoleFiles(fileURLToPath(new URL("../public", import.meta.url)));
const site = nodeSite(app, files);

const server = serveApp(site, { port: env.PORT, hostname: env.HOST }, (info) => {
  const base = `http://${info.address === "::" ? "localhost" : info.address}:${info.port}`;
  console.log(`qingdan listening on ${base} (data in ${dataDir})`);
  console.log(`工作台 console: ${base}/ · API docs: ${base}/docs · OpenAPI: ${base}/openapi.json`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    reminders?.stop();
    server.close(() => {
      close();
      process.exit(0);
    });
  });
}
