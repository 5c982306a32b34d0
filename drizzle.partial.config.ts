// Generates a migration for only some of the tenant schema files (TENANT_SCHEMA=a.ts,b.ts), so one
// feature's migration does not sweep up another feature's unfinished tables.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "turso",
  schema: (process.env.TENANT_SCHEMA ?? "platform.ts").split(",").map((f) => `./src/db/tenant/${f.trim()}`),
  out: "./migrations/tenant",
  dbCredentials: { url: "file:./data/drizzle-kit-tenant.db" },
});
