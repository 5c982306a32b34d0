import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const here = (path: string) => new URL(path, import.meta.url).pathname;
const LIBSQL_TEST_TOKEN = "test-libsql-secret";

/**
 * One `vitest run`, two runtimes. The behaviour suite in test/platform runs on Node (the app
 * in-process on libSQL files) and in workerd (the Worker on the local libSQL server over HTTP),
 * from the same files: `#target` resolves to a different Target per project.
 */
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { "#target": here("./test/support/node-target.ts") } },
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias: { "#target": here("./test/support/worker-target.ts") } },
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./src/worker.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                CONTROL_DB_URL: `${inject("libsqlUrl")}/t/control/`,
                CONTROL_DB_AUTH_TOKEN: LIBSQL_TEST_TOKEN,
                LIBSQL_SERVER_URL: inject("libsqlUrl"),
                LIBSQL_SERVER_ADMIN_TOKEN: LIBSQL_TEST_TOKEN,
                TENANT_DB_AUTH_TOKEN: LIBSQL_TEST_TOKEN,
                JWT_SECRET: "workerd-test-secret-workerd-test-secret-0123",
                PUBLIC_URL: "http://qingdan.test",
                LOG: "silent",
              },
            },
          })),
        ],
        test: {
          name: "workerd",
          include: ["test/platform/**/*.test.ts"],
          globalSetup: ["./test/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
