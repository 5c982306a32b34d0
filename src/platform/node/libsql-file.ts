import { type Client, createClient, type InStatement, type Transaction, type TransactionMode } from "@libsql/client";
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
  const thin = driver === "thin";
  // The thin driver sets synchronous=NORMAL on each connection it opens; the stock one, before each write.
  const client = thin ? createFileClient(url, { timeout: BUSY_TIMEOUT_MS, synchronousNormal: true }) : createClient({ url, timeout: BUSY_TIMEOUT_MS });
  const relax = thin ? async () => {} : () => relaxSync(client);
  const batch = client.batch.bind(client);
  const transaction = client.transaction.bind(client);
  client.batch = async (statements: InStatement[], mode?: TransactionMode) => {
    const chosen = mode === undefined || mode === "deferred" ? (statements.some(writes) ? "write" : "deferred") : mode;
    if (chosen !== "deferred" && chosen !== "read") await relax();
    return batch(statements, chosen);
  };
  client.transaction = async (mode?: TransactionMode) => {
    if (mode !== "read") await relax();
    return closeWaits.opened(await transaction(mode));
  };
  const closeWaits = closeAfterTransactions(client);
  return client;
}

/**
 * The tenant LRU closes a client when another tenant needs its room, which may be while one of this
 * client's interactive transactions is still open. The stock client then ended that transaction
 * under its owner (TRANSACTION_CLOSED: a 500 for a request that did nothing wrong). So a close waits
 * until the client's open transactions commit, roll back or close. (The thin driver's pool already
 * keeps a held connection open; this is a no-op there.)
 */
function closeAfterTransactions(client: Client) {
  const close = client.close.bind(client);
  let open = 0;
  let closeWhenSettled = false;
  client.close = () => {
    if (open > 0) closeWhenSettled = true;
    else close();
  };
  return {
    opened(tx: Transaction): Transaction {
      open++;
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        open--;
        if (open === 0 && closeWhenSettled) close();
      };
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      const end = tx.close.bind(tx);
      tx.commit = () => commit().finally(settle);
      tx.rollback = () => rollback().finally(settle);
      tx.close = () => {
        try {
          end();
        } finally {
          settle();
        }
      };
      return tx;
    },
  };
}

/**
 * WAL with synchronous=NORMAL: a commit appends to the WAL without an fsync (the checkpoint syncs).
 * The libSQL driver is synchronous, so under the default (FULL) every commit held the whole event
 * loop for its fsync: 4.5 ms mean, 14 ms p99 on a quiet disk, seconds on a busy one (ADR 0020).
 * NORMAL keeps the file consistent; a power cut may lose the last commits, a process crash does not.
 * The setting belongs to a connection and cannot change inside a transaction. The thin driver sets it
 * as it opens each connection (createFileClient's synchronousNormal); the stock client opens its own,
 * so there it is set just before a write begins: its pool hands out the most recently returned
 * connection (LIFO), the one this statement just used. A write that gets another is only slower.
 */
const relaxSync = (client: Client) => client.execute("PRAGMA synchronous=NORMAL");
