/** Shared by the Node global setup, the vitest config and workerd tests: no imports, so workerd can load it. */
export const LIBSQL_TEST_TOKEN = "test-libsql-secret";
export const TURSO_TEST = { organization: "qingdan-test", group: "tenants", apiToken: "test-turso-platform-token", readyAfterMs: 1500 };
