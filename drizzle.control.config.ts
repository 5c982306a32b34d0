import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "turso",
  schema: "./src/db/control/schema.ts",
  out: "./migrations/control",
  dbCredentials: { url: process.env.DATABASE_URL ?? "file:./data/control.db", authToken: process.env.DATABASE_AUTH_TOKEN },
});
