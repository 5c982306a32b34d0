import { type Client, createClient, type InStatement, type TransactionMode } from "@libsql/client";
import { createFileClient } from "./libsql-driver.js";

/**
 * How long a statement waits for another connection's write lock before SQLITE_BUSY. The server,
 * `npm run reminders` and `npm run migrate` are separate processes on one DATA_DIR (and a client
 * holds up to 20 connections of its own); a write batch takes milliseconds, so 5 s is a queue, not
 * a hang.
 */
export const BUSY_TIMEOUT_MS = 5_000;

export type FileDriver = "thin" | "stock";

const READ_ONLY = /^\s*(select|pragma|explain)\b/i;
const WRITES = /\b(insert|update|delete|replace|create|drop|alter)\b/i;

const sqlOf = (statement: InStatement) => (typeof statement === "string" ? statement : statement.sql);
const writes = (statement: InStatement) => {
  const sql = sqlOf(statement);
  return !READ_ONLY.test(sql) || (/^\s*with\b/i.test(sql) && WRITES.test(sql));
};

/**
 * A libSQL file database for Node: every connection has a busy timeout, and a batch that writes
 * begins IMMEDIATE. A deferred batch reads first and asks for the write lock later; in WAL, if
 * another process committed in between, SQLite answers SQLITE_BUSY at once (the busy timeout
 * cannot help a snapshot that is already stale). Taking the write lock first makes it wait instead.
 * Interactive transactions already begin IMMEDIATE (`transaction()` defaults to "write").
 * `thin` is our own file driver (libsql-driver.ts: statements kept prepared, cheap rows); `stock`
 * is @libsql/client's (FILE_DB_DRIVER).
 */
export function openLibsqlFile(url: string, driver: FileDriver = "stock"): Client {
  const client = driver === "thin" ? createFileClient(url, { timeout: BUSY_TIMEOUT_MS }) : createClient({ url, timeout: BUSY_TIMEOUT_MS });
  const batch = client.batch.bind(client);
  client.batch = (statements: InStatement[], mode?: TransactionMode) =>
    batch(statements, mode === undefined || mode === "deferred" ? (statements.some(writes) ? "write" : "deferred") : mode);
  return client;
}
