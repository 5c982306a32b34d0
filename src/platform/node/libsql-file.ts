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
  const transaction = client.transaction.bind(client);
  client.batch = async (statements: InStatement[], mode?: TransactionMode) => {
    const chosen = mode === undefined || mode === "deferred" ? (statements.some(writes) ? "write" : "deferred") : mode;
    if (chosen !== "deferred" && chosen !== "read") await relaxSync(client);
    return batch(statements, chosen);
  };
  client.transaction = async (mode?: TransactionMode) => {
    if (mode !== "read") await relaxSync(client);
    return transaction(mode);
  };
  return client;
}

/**
 * WAL with synchronous=NORMAL: a commit appends to the WAL without an fsync (the checkpoint syncs).
 * The libSQL driver is synchronous, so under the default (FULL) every commit held the whole event
 * loop for its fsync: 4.5 ms mean, 14 ms p99 on a quiet disk, seconds on a busy one (ADR 0020).
 * NORMAL keeps the file consistent; a power cut may lose the last commits, a process crash does not.
 * The setting belongs to a connection and cannot change inside a transaction, so it is set just
 * before a write begins: the pools hand out their most recently returned connection (LIFO), which
 * is the one this statement just used. A write that gets another connection is only slower.
 */
const relaxSync = (client: Client) => client.execute("PRAGMA synchronous=NORMAL");
