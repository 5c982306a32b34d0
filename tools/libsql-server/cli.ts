// node --import tsx tools/libsql-server/cli.ts --port 8080 --data ./data/libsql --token <secret>
import { parseArgs } from "node:util";
import { startLibsqlServer } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    data: { type: "string", default: "./data/libsql" },
    token: { type: "string" },
    "admin-token": { type: "string" },
  },
});

const server = await startLibsqlServer({
  dataDir: values.data,
  port: Number(values.port),
  host: values.host,
  authToken: values.token,
  adminToken: values["admin-token"],
});
console.log(`libSQL dev server on ${server.url} (data in ${values.data}${values.token ? ", token required" : ""})`);
console.log(`database URL: ${server.databaseUrl("<name>")}   create one: POST ${server.url}/admin/databases/<name>`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
