import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "turso",
  schema: "./src/db/tenant/schema.ts",
  out: "./migrations/tenant",
  dbCredentials: { url: process.env.DATABASE_URL ?? "file:./data/drizzle-kit-tenant.db", authToken: process.env.DATABASE_AUTH_TOKEN },
});
