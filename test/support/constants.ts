/** Shared by the Node global setup, the vitest config and workerd tests: no imports, so workerd can load it. */
export const LIBSQL_TEST_TOKEN = "test-libsql-secret";
export const TURSO_TEST = { organization: "qingdan-test", group: "tenants", apiToken: "test-turso-platform-token", readyAfterMs: 1500 };

/** The app secret on each test runtime (signed file URLs are checked against it in tests). */
export const TEST_JWT_SECRETS = { node: "test-secret-test-secret-test-secret-0123", workerd: "workerd-test-secret-workerd-test-secret-0123" } as const;

/** Each tenant's file quota in tests: small enough that a test fills it with a few photos. */
export const TEST_FILE_QUOTA_BYTES = 8 * 1024 * 1024;
