import { execFileSync } from "node:child_process";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { LIBSQL_TEST_TOKEN, TEST_FILE_QUOTA_BYTES, TEST_JWT_SECRETS, TURSO_TEST } from "./test/support/constants.js";

const here = (path: string) => new URL(path, import.meta.url).pathname;

// The workerd projects serve the console from public/ (wrangler.toml [assets]) and the browser journeys
// open it: built here when missing or older than web/ (≈ 3 s; 0.3 s to find it fresh), however vitest
// is started. A bare `npx vitest run` used to skip npm's pretest, and the Worker projects ran no test.
execFileSync(process.execPath, ["--import", "tsx", here("./scripts/build-console.ts"), "--if-stale"], { stdio: "inherit" });

/** The Worker inside workerd, its databases in the local libSQL server that the global setup starts. */
function workerdProject(name: string, include: string[], bindings: (libsqlUrl: string, tursoUrl: string) => Record<string, string>) {
  // worker-mailer sends to the global setup's SMTP server (plain SMTP on loopback).
  return {
    resolve: { alias: { "#target": here("./test/support/worker-target.ts") } },
    plugins: [
      cloudflareTest(({ inject }) => ({
        main: "./src/worker.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // Uploaded files go to miniflare's local R2 (in memory per run), so the Worker's store is the one tested.
          r2Buckets: ["FILES"],
          bindings: {
            CONTROL_DB_URL: `${inject("libsqlUrl")}/t/control/`,
            CONTROL_DB_AUTH_TOKEN: LIBSQL_TEST_TOKEN,
            TENANT_DB_AUTH_TOKEN: LIBSQL_TEST_TOKEN,
            JWT_SECRET: TEST_JWT_SECRETS.workerd,
            FILE_QUOTA_BYTES: String(TEST_FILE_QUOTA_BYTES),
            PUBLIC_URL: "http://qingdan.test",
            LOG: "silent",
            SMTP_HOST: "127.0.0.1",
            SMTP_PORT: String(inject("smtpPort")),
            SMTP_SECURE: "false",
            SMTP_STARTTLS: "false",
            ...bindings(inject("libsqlUrl"), inject("tursoUrl")),
          },
        },
      })),
    ],
    test: { name, include, exclude: name === "workerd" ? ["test/node/**", "test/tools/**", "test/workerd/**"] : [], globalSetup: ["./test/support/global-setup.ts"], testTimeout: 60_000, hookTimeout: 120_000 },
  };
}

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
          exclude: ["test/workerd/**", "test/**/*.workerd.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // Browser journeys: the app started as `npm start` does, driven in Debian's Chromium at phone
      // size. An explicit include, so nothing else under test/e2e is taken for a test.
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.ts"],
          environment: "node",
          globalSetup: ["./test/e2e/support/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A page answers in its own time on a loaded machine: vitest's 1 s default for expect.poll
          // failed journeys whose page was right a moment later.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      // Behaviour tests (everything but test/node, test/tools and test/workerd) run here as well.
      workerdProject("workerd", ["test/**/*.test.ts"], (libsqlUrl) => ({ TENANT_DB_PROVIDER: "libsql-server", LIBSQL_SERVER_URL: libsqlUrl, LIBSQL_SERVER_ADMIN_TOKEN: LIBSQL_TEST_TOKEN })),
      // The production provisioning path: Turso's Platform API (the checked stand-in) in front of libSQL.
      workerdProject("workerd-turso", ["test/workerd/**/*.test.ts"], (_libsqlUrl, tursoUrl) => ({
        TENANT_DB_PROVIDER: "turso",
        TURSO_ORGANIZATION: TURSO_TEST.organization,
        TURSO_GROUP: TURSO_TEST.group,
        TURSO_API_TOKEN: TURSO_TEST.apiToken,
        TURSO_API_BASE: tursoUrl,
        TURSO_DATABASE_URL: "http://{hostname}/",
        PROVISION_WAIT_MS: "300",
      })),
    ],
  },
});
