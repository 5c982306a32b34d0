// node --import tsx tools/turso-standin/cli.ts --port 8081 --libsql-port 8080 --org acme --group default --api-token t --token secret
// Starts a local libSQL server and the Platform API stand-in in front of it (it creates databases in-process).
import { parseArgs } from "node:util";
import { startLibsqlServer } from "../libsql-server/server.js";
import { startTursoStandin } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8081" },
    "libsql-port": { type: "string", default: "8080" },
    data: { type: "string", default: "./data/libsql" },
    org: { type: "string", default: "acme" },
    group: { type: "string", default: "default" },
    "api-token": { type: "string", default: "dev-api-token" },
    token: { type: "string" },
    "ready-after": { type: "string", default: "1000" },
    // 409 as documented, or 400 as the real API answers a duplicate name since mid-2026.
    "duplicate-status": { type: "string", default: "409" },
  },
});

const libsql = await startLibsqlServer({ dataDir: values.data, port: Number(values["libsql-port"]), authToken: values.token });
const standin = await startTursoStandin({
  libsql,
  organization: values.org,
  group: values.group,
  apiToken: values["api-token"],
  readyAfterMs: Number(values["ready-after"]),
  duplicateStatus: values["duplicate-status"] === "400" ? 400 : 409,
  port: Number(values.port),
});
console.log(`Turso Platform API stand-in on ${standin.url} (org ${values.org}, group ${values.group}); libSQL on ${libsql.url}`);
console.log(`Hostnames it answers look like ${new URL(libsql.url).host}/t/<name>: use http://<Hostname>/ as the database URL`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (standin.violations.length > 0) console.error(`spec violations:\n  ${standin.violations.join("\n  ")}`);
    Promise.all([standin.close(), libsql.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
