import { Buffer } from "node:buffer";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type Client, type InArgs, type InStatement, type InValue, LibsqlBatchError, LibsqlError, type ResultSet, type Row, type Transaction, type TransactionMode } from "@libsql/client";
import Database from "libsql";
// A row's values array, also read by hot queries' mappers (src/db/prepared.ts) to skip the index getters.
import { ROW_VALUES as VALUES } from "../../db/prepared.js";

/**
 * A thin @libsql/client for `file:` databases on the embedded `libsql` package (the one
 * @libsql/client's own file client uses), with what that client lacks on a hot path (issue 19):
 * each connection keeps its prepared statements (the stock client prepares every statement again
 * and reads `columns()` twice per call), and rows are built cheaply (a shared prototype answers the
 * indices; the column names are plain properties) instead of two `defineProperty` calls per value.
 * Everything else behaves as @libsql/client 0.18's file client does, and is tested as such by the
 * whole Node suite: a pool of connections (an interactive transaction holds one until it settles),
 * batches as one transaction, integers as numbers with a RangeError past 2^53, blobs as
 * ArrayBuffers, SQLite errors as LibsqlError / LibsqlBatchError with the same codes. The Worker
 * does not use it: it speaks HTTP (@libsql/client/http).
 */

type Db = InstanceType<typeof Database>;
type Stmt = ReturnType<Db["prepare"]>;

/** A prepared statement and what was learnt about it once. */
interface Prepared {
  stmt: Stmt;
  returnsData: boolean;
  /** Ends in `LIMIT 1` (true) or `LIMIT ?` ("arg": one row when its last argument is 1). */
  limitOne: boolean | "arg";
  columns: string[];
  columnTypes: string[];
}

/** Statements kept per connection; the oldest is dropped past this (SQLite finalises it with the object). */
const STATEMENT_CACHE = 500;
/** `SELECT *` and `t.*` change their columns when the schema does: such statements are prepared each time, as before. */
const STAR = /(^|[\s,(.])\*\s*(,|from\b|$)/i;
/**
 * A statement that returns at most one row is read with `get()`, one native call, rather than
 * `all()` (a cursor, then a batch read into a 100-slot array): half the cost of a `GET /v1/me`'s
 * member read (≈12 against ≈21 µs). drizzle writes `.limit(1)` as `limit ?` with 1 as the last argument.
 */
const LIMIT_ONE = /\blimit\s+(1|\?)\s*;?\s*$/i;

const minSafe = BigInt(Number.MIN_SAFE_INTEGER);
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
const minInteger = -9223372036854775808n;
const maxInteger = 9223372036854775807n;

const rowProtos: object[] = [];
/** Rows of one width share a prototype: `length` and the indices as getters over the row's values. */
function rowProtoFor(length: number): object {
  let proto = rowProtos[length];
  if (proto) return proto;
  proto = Object.create(Object.prototype) as object;
  Object.defineProperty(proto, "length", { value: length });
  for (let i = 0; i < length; i++) Object.defineProperty(proto, i, { get(this: { [VALUES]: unknown[] }) { return this[VALUES][i]; } });
  return (rowProtos[length] = proto);
}

function valueFromSql(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value < minSafe || value > maxSafe) throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer;
  return value;
}

function valueToSql(value: InValue): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
    return value;
  }
  if (typeof value === "bigint") {
    if (value < minInteger || value > maxInteger) throw new RangeError("bigint is too large to be represented as a 64-bit integer and passed as argument");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

function argsToSql(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(valueToSql);
  const named: Record<string, unknown> = {};
  for (const name in args) named[name[0] === "@" || name[0] === "$" || name[0] === ":" ? name.substring(1) : name] = valueToSql((args as Record<string, InValue>)[name]!);
  return named;
}

const BASE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED", 7: "SQLITE_NOMEM", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT", 12: "SQLITE_NOTFOUND", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 15: "SQLITE_PROTOCOL", 16: "SQLITE_EMPTY", 17: "SQLITE_SCHEMA", 18: "SQLITE_TOOBIG", 19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH",
  21: "SQLITE_MISUSE", 22: "SQLITE_NOLFS", 23: "SQLITE_AUTH", 24: "SQLITE_FORMAT", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB", 27: "SQLITE_NOTICE", 28: "SQLITE_WARNING",
};

function mapError(e: unknown): unknown {
  if (e instanceof Database.SqliteError) {
    const raw = (e as { rawCode?: number }).rawCode;
    const code = raw === undefined ? "SQLITE_UNKNOWN" : (BASE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
    return new LibsqlError(e.message, code, (e as { code?: string }).code, raw, e);
  }
  return e;
}

const inBatch = (e: unknown, index: number) => {
  if (e instanceof LibsqlBatchError) return e;
  if (e instanceof LibsqlError) return new LibsqlBatchError(e.message, index, e.code, e.extendedCode, e.rawCode, e.cause instanceof Error ? e.cause : undefined);
  return e;
};

class FileResultSet implements ResultSet {
  constructor(
    readonly columns: string[],
    readonly columnTypes: string[],
    readonly rows: Row[],
    readonly rowsAffected: number,
    readonly lastInsertRowid: bigint | undefined,
  ) {}

  toJSON() {
    const json = (v: unknown) => (typeof v === "bigint" ? `${v}` : v instanceof ArrayBuffer ? Buffer.from(v).toString("base64") : v);
    return { columns: this.columns, columnTypes: this.columnTypes, rows: this.rows.map((r) => Array.prototype.map.call(r, json)), rowsAffected: this.rowsAffected, lastInsertRowid: this.lastInsertRowid !== undefined ? `${this.lastInsertRowid}` : null };
  }
}

/**
 * libsql 0.5 (its neon binding) frees a closed connection — its file descriptors, WAL index, schema
 * and statements — only when every statement ever prepared on it has been garbage-collected: each
 * holds a reference to the connection, `Database.close()` drops only its own, and there is no API to
 * finalize a statement (upstream libsql-js issue 228, open; 0.6.0-pre.41 has none either). V8
 * frees these native-backed objects in a major GC only (a scavenge promotes them), and a server's
 * small heap seldom needs one: under tenant churn closed connections piled up (issue 19, part 6 on
 * `thin`: 6,047 fds, 634 MiB). The stock client has the same pin, hidden by the garbage its
 * per-call statements make. So closes are counted and a major GC is run once collectAfter of them
 * wait, or collectIdleMs after the last: a closed file waits at most that, a GC (≈10–30 ms) is
 * paid once per collectAfter evictions, each of which costs a file open anyway. ADR 0026.
 */
let collectAfter = 32;
let collectIdleMs = 1_000;

/**
 * This thread's collection policy (each isolate has its own heap, count and timer). A full GC is dearer
 * than its pause: optimised code that embedded a hidden class of short-lived objects (libsql's row
 * iterator, our rows, node:crypto's Hash) is deoptimised when a GC finds every such object dead, and is
 * compiled again. A reminder thread, which opens and closes a file per tenant, sets a laxer policy
 * (reminder-thread.ts, ADR 0026).
 */
export function collectClosedEvery(closes: number, idleMs: number) {
  collectAfter = closes;
  collectIdleMs = idleMs;
}
let unreleased = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let majorGc: (() => void) | undefined;

/**
 * V8's gc(), without --expose-gc on the command line. The flag is process-wide and reminder worker
 * threads each obtain their own gc(): a flag set then unset again let one thread's unset land between
 * another's set and its new context (ReferenceError: gc is not defined, a morning's job failed). So
 * it is set and left set: it only adds `gc` to vm contexts made later, and the app makes none.
 */
export function obtainGc(): () => void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (own) return own;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function collectClosed() {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  if (unreleased === 0) return;
  unreleased = 0;
  (majorGc ??= obtainGc())();
}

function closedOne() {
  unreleased++;
  if (unreleased === collectAfter) setImmediate(collectClosed);
  else if (unreleased < collectAfter && !idleTimer) {
    idleTimer = setTimeout(collectClosed, collectIdleMs);
    idleTimer.unref();
  }
}

/** One SQLite connection and its statements. */
class Connection {
  readonly db: Db;
  private readonly statements = new Map<string, Prepared>();

  constructor(path: string, timeout: number, synchronousNormal: boolean) {
    this.db = new Database(path, { timeout } as never);
    // A connection's setting for its life: set once here, not before every write (libsql-file.ts, relaxSync).
    if (synchronousNormal) this.db.exec("PRAGMA synchronous=NORMAL");
  }

  private prepare(sql: string): Prepared {
    const known = this.statements.get(sql);
    if (known) return known;
    const stmt = this.db.prepare(sql);
    stmt.safeIntegers(true);
    let returnsData = true;
    try {
      stmt.raw(true);
    } catch {
      returnsData = false; // raw() refuses a statement that returns no rows
    }
    const described = returnsData ? stmt.columns() : [];
    const limit = returnsData ? LIMIT_ONE.exec(sql) : null;
    const prepared: Prepared = { stmt, returnsData, limitOne: limit ? (limit[1] === "1" ? true : "arg") : false, columns: described.map((c) => c.name), columnTypes: described.map((c) => c.type ?? "") };
    if (!STAR.test(sql)) {
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  execute(statement: InStatement): ResultSet {
    const sql = typeof statement === "string" ? statement : statement.sql;
    try {
      const args = typeof statement === "string" ? [] : argsToSql(statement.args);
      const p = this.prepare(sql);
      if (!p.returnsData) {
        const info = p.stmt.run(args) as { changes: number; lastInsertRowid: number | bigint };
        return new FileResultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
      }
      let raw: unknown[][];
      if (p.limitOne === true || (p.limitOne === "arg" && Array.isArray(args) && args.length > 0 && Number(args[args.length - 1]) === 1)) {
        const row = p.stmt.get(args) as unknown[] | undefined;
        raw = row ? [row] : [];
      } else raw = p.stmt.all(args) as unknown[][];
      const { columns } = p;
      const rows: Row[] = new Array(raw.length);
      for (let r = 0; r < raw.length; r++) {
        const values = raw[r]!;
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (typeof v === "bigint" || v instanceof Buffer) values[i] = valueFromSql(v);
        }
        // By the row's own width: a statement prepared before a schema change may describe fewer columns than it returns (as the stock client shows).
        const row = Object.create(rowProtoFor(values.length)) as Record<string | symbol, unknown>;
        Object.defineProperty(row, VALUES, { value: values });
        for (let i = 0; i < columns.length; i++) {
          const name = columns[i]!;
          // As the stock client: the first of two like-named columns wins; an index or `length` is not shadowed.
          if (Object.hasOwn(row, name) || name === "length" || (String(Number(name)) === name && Number(name) < values.length)) continue;
          if (name === "__proto__") Object.defineProperty(row, name, { value: values[i], enumerable: true, configurable: true, writable: true });
          else row[name] = values[i];
        }
        rows[r] = row as unknown as Row;
      }
      return new FileResultSet(p.columns, p.columnTypes, rows, 0, undefined);
    } catch (e) {
      throw mapError(e);
    }
  }

  exec(sql: string) {
    try {
      this.db.exec(sql);
    } catch (e) {
      throw mapError(e);
    } finally {
      // A script may change the schema under cached statements' column lists.
      this.statements.clear();
    }
  }

  forgetStatements() {
    this.statements.clear();
  }

  /**
   * libsql frees a connection only once its prepared statements are garbage-collected (see
   * collectAfter): the page cache is given back now, the rest at the next collection.
   */
  close() {
    if (!this.db.open) return;
    this.statements.clear();
    try {
      this.db.exec("PRAGMA shrink_memory");
    } catch {}
    this.db.close();
    closedOne();
  }
}

const beginFor = (mode: TransactionMode) => {
  if (mode === "write") return "BEGIN IMMEDIATE";
  if (mode === "read") return "BEGIN TRANSACTION READONLY";
  if (mode === "deferred") return "BEGIN DEFERRED";
  throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
};

/** Connections of one client; a transaction holds its connection until it settles (as @libsql/client's pool). */
class Pool {
  private readonly idle: Connection[] = [];
  private readonly borrowed = new Set<Connection>();
  private readonly held = new Set<Connection>();
  private readonly waiters: { resolve(c: Connection): void; reject(e: unknown): void; forTransaction: boolean }[] = [];
  closed = false;

  constructor(
    private readonly path: string,
    private readonly timeout: number,
    private readonly max: number,
    private readonly synchronousNormal: boolean,
  ) {}

  private open(forTransaction: boolean): Connection {
    const conn = this.idle.pop() ?? new Connection(this.path, this.timeout, this.synchronousNormal);
    this.borrowed.add(conn);
    if (forTransaction) this.held.add(conn);
    return conn;
  }

  acquire(forTransaction = false): Connection | Promise<Connection> {
    if (this.closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    if (this.idle.length === 0 && this.borrowed.size >= this.max) {
      if (this.held.size >= this.max) {
        return Promise.reject(new LibsqlError(`All ${this.max} of this client's connections are held by open transactions. Commit or roll back one before using the client again, or raise \`concurrency\`.`, "TRANSACTION_ACTIVE"));
      }
      return new Promise((resolve, reject) => this.waiters.push({ resolve, reject, forTransaction }));
    }
    return this.open(forTransaction);
  }

  release(conn: Connection) {
    this.borrowed.delete(conn);
    this.held.delete(conn);
    if (this.closed) {
      conn.close();
      return;
    }
    if (conn.db.open && conn.db.inTransaction) {
      try {
        conn.db.exec("ROLLBACK");
      } catch {}
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      this.borrowed.add(conn);
      if (waiter.forTransaction) this.held.add(conn);
      waiter.resolve(conn);
    } else this.idle.push(conn);
  }

  /** Schema changed through one connection: the others' cached column lists may be stale. */
  forgetStatements() {
    for (const c of [...this.idle, ...this.borrowed]) c.forgetStatements();
  }

  close() {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.close();
    for (const c of this.borrowed) if (!this.held.has(c)) c.close();
    for (const w of this.waiters.splice(0)) w.reject(new LibsqlError("The client is closed", "CLIENT_CLOSED"));
  }
}

const DDL = /^\s*(create|alter|drop)\b/i;

class FileTransaction implements Transaction {
  constructor(
    private conn: Connection | null,
    private readonly pool: Pool,
  ) {}

  private settle() {
    const conn = this.conn;
    if (!conn) return;
    this.conn = null;
    this.pool.release(conn);
  }

  private live(): Connection {
    if (this.closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    return this.conn!;
  }

  async execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const statement: { sql: string; args?: InArgs } = typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : typeof stmt === "object" ? stmt : { sql: stmt };
    const conn = this.live();
    const result = conn.execute(statement);
    if (DDL.test(statement.sql)) this.pool.forgetStatements();
    return result;
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    const results: ResultSet[] = [];
    for (let i = 0; i < stmts.length; i++) {
      try {
        results.push(this.live().execute(normalise(stmts[i]!)));
      } catch (e) {
        throw inBatch(e, i);
      }
    }
    return results;
  }

  async executeMultiple(sql: string): Promise<void> {
    this.live().exec(sql);
  }

  async rollback(): Promise<void> {
    const conn = this.conn;
    if (!conn || !conn.db.open) return this.settle();
    try {
      if (this.closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
      conn.execute("ROLLBACK");
    } finally {
      this.settle();
    }
  }

  async commit(): Promise<void> {
    try {
      this.live().execute("COMMIT");
    } finally {
      this.settle();
    }
  }

  close(): void {
    const conn = this.conn;
    if (!conn) return;
    try {
      if (conn.db.open && conn.db.inTransaction) conn.execute("ROLLBACK");
    } finally {
      this.settle();
    }
  }

  get closed(): boolean {
    const conn = this.conn;
    return !conn || !conn.db.open || !conn.db.inTransaction;
  }
}

const normalise = (stmt: InStatement | [string, InArgs?]): InStatement => (Array.isArray(stmt) ? { sql: stmt[0], args: stmt[1] ?? [] } : stmt);

class FileClient implements Client {
  closed = false;
  readonly protocol = "file";

  constructor(private readonly pool: Pool) {}

  private async borrow<T>(work: (conn: Connection) => T): Promise<T> {
    if (this.closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    // An idle connection is used at once, without an await between taking it and the work: awaiting
    // would let the next request find none idle and open another connection (and its page cache) for
    // a statement that never waits on anything (issue 19: part 6's RSS).
    const got = this.pool.acquire();
    const conn = got instanceof Promise ? await got : got;
    try {
      if (!conn.db.open) throw new LibsqlError("The connection was closed while this operation was in flight", "CLIENT_CLOSED");
      return work(conn);
    } finally {
      this.pool.release(conn);
    }
  }

  execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const statement: { sql: string; args?: InArgs } = typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : stmt;
    return this.borrow((conn) => {
      const result = conn.execute(statement);
      if (DDL.test(statement.sql)) this.pool.forgetStatements();
      return result;
    });
  }

  batch(stmts: (InStatement | [string, InArgs?])[], mode: TransactionMode = "deferred"): Promise<ResultSet[]> {
    return this.borrow((conn) => {
      conn.execute(beginFor(mode));
      const results: ResultSet[] = [];
      let ddl = false;
      for (let i = 0; i < stmts.length; i++) {
        try {
          if (!conn.db.inTransaction) throw new LibsqlBatchError("The transaction has been rolled back", i, "TRANSACTION_CLOSED");
          const statement = normalise(stmts[i]!);
          ddl ||= DDL.test(typeof statement === "string" ? statement : statement.sql);
          results.push(conn.execute(statement));
        } catch (e) {
          throw inBatch(e, i);
        }
      }
      conn.execute("COMMIT");
      if (ddl) this.pool.forgetStatements();
      return results;
    });
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.borrow((conn) => {
      conn.execute("PRAGMA foreign_keys=off");
      try {
        conn.execute(beginFor("deferred"));
        const results: ResultSet[] = [];
        for (let i = 0; i < stmts.length; i++) {
          try {
            if (!conn.db.inTransaction) throw new LibsqlBatchError("The transaction has been rolled back", i, "TRANSACTION_CLOSED");
            results.push(conn.execute(stmts[i]!));
          } catch (e) {
            throw inBatch(e, i);
          }
        }
        conn.execute("COMMIT");
        return results;
      } finally {
        if (conn.db.inTransaction) conn.execute("ROLLBACK");
        conn.execute("PRAGMA foreign_keys=on");
        this.pool.forgetStatements();
      }
    });
  }

  async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
    if (this.closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    const conn = await this.pool.acquire(true);
    try {
      conn.execute(beginFor(mode));
    } catch (e) {
      this.pool.release(conn);
      throw e;
    }
    return new FileTransaction(conn, this.pool);
  }

  executeMultiple(sql: string): Promise<void> {
    return this.borrow((conn) => {
      conn.exec(sql);
      this.pool.forgetStatements();
    });
  }

  async sync(): Promise<never> {
    throw new LibsqlError("sync() is for embedded replicas; this is a plain file database", "SYNC_NOT_SUPPORTED");
  }

  async reconnect(): Promise<void> {
    throw new LibsqlError("reconnect() is not supported by the file driver; open a new client", "RECONNECT_NOT_SUPPORTED");
  }

  close(): void {
    this.closed = true;
    this.pool.close();
  }
}

/** A client for a `file:` URL (`file:/abs/path.db`, `file:///abs/path.db` or `file:relative.db`). */
export function createFileClient(url: string, options: { timeout: number; concurrency?: number; synchronousNormal?: boolean }): Client {
  const match = /^file:(?:\/\/(?:localhost)?(?=\/))?(.+)$/i.exec(url);
  if (!match) throw new LibsqlError(`Not a file: URL: ${JSON.stringify(url)}`, "URL_INVALID");
  const path = decodeURIComponent(match[1]!.replace(/[?#].*$/, ""));
  const pool = new Pool(path, options.timeout, Math.max(1, options.concurrency ?? 20), options.synchronousNormal ?? false);
  // Fail fast if the database cannot be opened at all, as the stock client does.
  const first = pool.acquire() as Connection;
  try {
    first.execute("SELECT 1 AS checkThatTheDatabaseCanBeOpened");
  } catch (e) {
    pool.close();
    throw e;
  } finally {
    if (!pool.closed) pool.release(first);
  }
  return new FileClient(pool);
}
