import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp } from "./app.js";
import { nodeEnvSchema, parseEnv } from "./config.js";
import { nodePorts } from "./platform/node/node-ports.js";
import { scheduleReminders } from "./platform/node/reminder-queue.js";
import { serveApp } from "./platform/node/serve-app.js";

const env = parseEnv(nodeEnvSchema, process.env);
const { ports, dataDir, close } = await nodePorts(env);

// Scalar's own browser bundle, served from this origin: bureaus' networks may not reach a CDN.
const scalarScript = fileURLToPath(new URL("../node_modules/@scalar/api-reference/dist/browser/standalone.js", import.meta.url));
const app = createApp(ports, { docsScript: serveStatic({ path: scalarScript, root: "/" }) });

const reminders = env.REMINDERS === "on" ? scheduleReminders(ports) : undefined;

const server = serveApp(app, { port: env.PORT, hostname: env.HOST }, (info) => {
  const base = `http://${info.address === "::" ? "localhost" : info.address}:${info.port}`;
  console.log(`qingdan listening on ${base} (data in ${dataDir})`);
  console.log(`API docs: ${base}/docs · OpenAPI: ${base}/openapi.json`);
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
