// A small libSQL server for development and tests: Hrana v2 over HTTP (JSON) on top of the embedded
// `libsql` driver, one SQLite file per namespace (`/t/<name>/`), plus admin routes so that code which
// cannot call into Node (a Worker under test) can create databases and read request counters.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "libsql";
import { HranaError, bindArgs, encodeValue, scanSql, type NamedArg } from "./hrana-values.js";

export interface LibsqlServerOptions {
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, every /t/* request must send `Authorization: Bearer <authToken>`; otherwise 401 JSON {error}. */
  authToken?: string;
  /** Protects /admin/* the same way; defaults to authToken. */
  adminToken?: string;
}

export interface LibsqlServer {
  /** http://HOST:PORT */
  url: string;
  port: number;
  /** `${url}/t/${name}/`, with the trailing slash the client needs to resolve `v2/pipeline`. */
  databaseUrl(name: string): string;
  /** Creates <dataDir>/<name>.db; until readyAfterMs has passed it answers 404, like a fresh Turso database. */
  createDatabase(name: string, opts?: { readyAfterMs?: number }): void;
  deleteDatabase(name: string): void;
  hasDatabase(name: string): boolean;
  /** Pipeline requests served for that namespace. */
  requestCount(name: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

const NAME = /^[a-z0-9_-]{1,64}$/;
const STREAM_IDLE_MS = 10_000;
// The driver is synchronous, so SQLite's own busy timeout would block the event loop, and with it the
// stream that holds the lock and would release it. Lock waits are retried asynchronously instead.
const BUSY_WAIT_MS = 5_000;
const MAX_IDLE_CONNECTIONS = 4;
const MAX_BODY_BYTES = 32 * 1024 * 1024;
// sqld (and so Turso) refuses a response over 10 MB; so does this server, so a read that would break
// there breaks here first, in development and tests.
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

type Db = Database.Database;
interface Namespace { name: string; file: string; readyAt: number; idle: Db[]; streams: Set<Stream>; requests: number; maxRequestBytes: number; deleted: boolean }

/** A Hrana stream: one connection of its own, so a transaction on it cannot leak into other streams. */
interface Stream {
  ns: Namespace;
  db: Db;
  sqls: Map<number, string>;
  closed: boolean;
  /** A statement on the connection gave up on SQLITE_BUSY and stays active (see withBusyWait). */
  tainted: boolean;
  baton?: string;
  timer?: NodeJS.Timeout;
}

// The parts of Hrana requests we read; anything malformed fails inside a request and becomes its error.
interface StmtJson { sql?: string | null; sql_id?: number | null; args?: unknown[]; named_args?: NamedArg[]; want_rows?: boolean }
interface CondJson { type: string; step?: number; cond?: CondJson; conds?: CondJson[] }
interface BatchJson { steps: { condition?: CondJson | null; stmt: StmtJson }[] }
interface RequestJson { type: string; stmt?: StmtJson; batch?: BatchJson; sql?: string | null; sql_id?: number | null }

class HttpError extends Error {
  /** With a code, the body also carries a Hrana Error, which the client turns into LibsqlError(code). */
  constructor(readonly status: number, message: string, readonly code?: string) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Hrana `Error`; SQLite's extended codes (SQLITE_CONSTRAINT_UNIQUE) become LibsqlError.code on the client. */
function protoError(e: unknown): { message: string; code: string } {
  const message = e instanceof Error ? e.message : String(e);
  return { message, code: errorCode(e) ?? "INTERNAL_ERROR" };
}

/**
 * Runs `run` until it stops failing with SQLITE_BUSY (which means it had no effect) or BUSY_WAIT_MS pass.
 * `run` must reuse one prepared statement: the driver does not reset a statement that failed with
 * SQLITE_BUSY, and while it is active COMMIT fails ("SQL statements in progress"). Running it again to
 * success resets it; if we give up, the connection is not reused.
 */
async function withBusyWait<T>(stream: Stream, run: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      return run();
    } catch (e) {
      if (errorCode(e) !== "SQLITE_BUSY") throw e;
      if (Date.now() + delay > deadline) {
        stream.tainted = true;
        throw e;
      }
      await sleep(delay);
    }
  }
}

function sqlText(stream: Stream, sql: string | null | undefined, sqlId: number | null | undefined): string {
  if (typeof sql === "string" && sqlId == null) return sql;
  if (sql == null && typeof sqlId === "number") {
    const stored = stream.sqls.get(sqlId);
    if (stored === undefined) throw new HranaError(`SQL text ${sqlId} was not stored on this stream`, "SQL_NOT_FOUND");
    return stored;
  }
  throw new HranaError("Exactly one of sql and sql_id must be given", "HRANA_PROTO_ERROR");
}

async function execute(stream: Stream, stmt: StmtJson) {
  const sql = sqlText(stream, stmt.sql, stmt.sql_id);
  const shape = scanSql(sql);
  if (shape.statements === 0) throw new HranaError("SQL string does not contain any statement", "SQL_NO_STATEMENT");
  // The driver would run the first statement and silently drop the rest; sqld refuses, and so do we.
  if (shape.statements > 1) throw new HranaError("SQL string contains more than one statement", "SQL_MANY_STATEMENTS");
  const { db } = stream;
  const prepared = db.prepare(sql);
  const args = bindArgs(shape.params, stmt.args ?? [], stmt.named_args ?? []);
  const [totalBefore] = changeCounters(db);
  let cols: { name: string; decltype: string | null }[] = [];
  let rows: unknown[][] = [];
  if (prepared.reader) {
    cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type }));
    const reader = prepared.raw().safeIntegers(true);
    rows = (await withBusyWait(stream, () => reader.all(args))) as unknown[][];
  } else {
    await withBusyWait(stream, () => prepared.run(args));
  }
  // changes() keeps the count of the last write, so a statement that wrote nothing must not report it.
  const [totalAfter, changes, rowid] = changeCounters(db);
  const affected = totalAfter === totalBefore ? 0 : Number(changes);
  return {
    cols,
    rows: stmt.want_rows === false ? [] : rows.map((row) => row.map(encodeValue)),
    affected_row_count: affected,
    last_insert_rowid: affected > 0 ? String(rowid) : null,
    rows_read: rows.length,
    rows_written: affected,
  };
}

function changeCounters(db: Db): [bigint, bigint, bigint] {
  const stmt = db.prepare("SELECT total_changes(), changes(), last_insert_rowid()");
  return stmt.raw().safeIntegers(true).all()[0] as [bigint, bigint, bigint];
}

function evalCond(cond: CondJson, outcomes: Map<number, boolean>, current: number, db: Db): boolean {
  switch (cond.type) {
    case "ok":
    case "error": {
      const step = cond.step ?? -1;
      if (!Number.isInteger(step) || step < 0 || step >= current) {
        throw new HranaError(`Condition refers to step ${step}, which does not precede step ${current}`, "HRANA_PROTO_ERROR");
      }
      return outcomes.get(step) === (cond.type === "ok");
    }
    case "not":
      return !evalCond(cond.cond!, outcomes, current, db);
    case "and":
      return cond.conds!.every((c) => evalCond(c, outcomes, current, db));
    case "or":
      return cond.conds!.some((c) => evalCond(c, outcomes, current, db));
    case "is_autocommit":
      return !db.inTransaction;
  }
  throw new HranaError(`Unknown batch condition ${JSON.stringify(cond.type)}`, "HRANA_PROTO_ERROR");
}

async function runBatch(stream: Stream, batch: BatchJson) {
  const step_results: unknown[] = [];
  const step_errors: unknown[] = [];
  const outcomes = new Map<number, boolean>(); // step -> succeeded; skipped steps are absent
  for (const [i, step] of batch.steps.entries()) {
    if (step.condition != null && !evalCond(step.condition, outcomes, i, stream.db)) {
      step_results.push(null);
      step_errors.push(null);
      continue;
    }
    try {
      step_results.push(await execute(stream, step.stmt));
      step_errors.push(null);
      outcomes.set(i, true);
    } catch (e) {
      step_results.push(null);
      step_errors.push(protoError(e));
      outcomes.set(i, false);
    }
  }
  return { step_results, step_errors };
}

function describe(stream: Stream, sql: string) {
  const { params, words } = scanSql(sql);
  const prepared = stream.db.prepare(sql);
  const cols = prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type })) : [];
  // The driver does not expose sqlite3_stmt_readonly; the leading keyword is a fair approximation here.
  const isReadonly = ["SELECT", "VALUES", "EXPLAIN"].includes(words[0] ?? "");
  return { params: params.map((name) => ({ name: name ?? null })), cols, is_explain: words[0] === "EXPLAIN", is_readonly: isReadonly };
}

export async function startLibsqlServer(opts: LibsqlServerOptions): Promise<LibsqlServer> {
  const host = opts.host ?? "127.0.0.1";
  const adminToken = opts.adminToken ?? opts.authToken;
  const namespaces = new Map<string, Namespace>();
  const batons = new Map<string, Stream>();
  mkdirSync(opts.dataDir, { recursive: true });

  const open = (ns: Namespace): Db => new Database(ns.file);

  function register(name: string, readyAt: number) {
    const ns: Namespace = { name, file: join(opts.dataDir, `${name}.db`), readyAt, idle: [], streams: new Set(), requests: 0, maxRequestBytes: 0, deleted: false };
    const db = open(ns);
    // WAL lets readers and a writer on different streams proceed side by side, as on a real server.
    db.exec("PRAGMA journal_mode=WAL");
    ns.idle.push(db);
    namespaces.set(name, ns);
  }

  function release(ns: Namespace, db: Db, tainted: boolean) {
    try {
      if (db.inTransaction) db.exec("ROLLBACK");
    } catch {} // a connection still in a transaction is closed below rather than reused
    if (!ns.deleted && !tainted && db.open && !db.inTransaction && ns.idle.length < MAX_IDLE_CONNECTIONS) ns.idle.push(db);
    else if (db.open) db.close();
  }

  function openStream(ns: Namespace): Stream {
    const stream: Stream = { ns, db: ns.idle.pop() ?? open(ns), sqls: new Map(), closed: false, tainted: false };
    ns.streams.add(stream);
    return stream;
  }

  function closeStream(stream: Stream) {
    if (stream.closed) return;
    stream.closed = true;
    clearTimeout(stream.timer);
    if (stream.baton) batons.delete(stream.baton);
    stream.ns.streams.delete(stream);
    release(stream.ns, stream.db, stream.tainted);
  }

  async function handleRequest(stream: Stream, req: RequestJson): Promise<object> {
    switch (req.type) {
      case "execute":
        return { type: "execute", result: await execute(stream, req.stmt!) };
      case "batch":
        return { type: "batch", result: await runBatch(stream, req.batch!) };
      case "sequence":
        // Not retried on SQLITE_BUSY: statements before the busy one have already run.
        stream.db.exec(sqlText(stream, req.sql, req.sql_id));
        return { type: "sequence" };
      case "describe":
        return { type: "describe", result: describe(stream, sqlText(stream, req.sql, req.sql_id)) };
      case "store_sql":
        if (typeof req.sql_id !== "number" || typeof req.sql !== "string") throw new HranaError("store_sql needs sql_id and sql", "HRANA_PROTO_ERROR");
        if (stream.sqls.has(req.sql_id)) throw new HranaError(`SQL text ${req.sql_id} is already stored`, "SQL_STORE_DUPLICATE");
        stream.sqls.set(req.sql_id, req.sql);
        return { type: "store_sql" };
      case "close_sql":
        stream.sqls.delete(req.sql_id ?? -1);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !stream.db.inTransaction };
      case "close":
        closeStream(stream);
        return { type: "close" };
    }
    throw new HranaError(`Unknown request type ${JSON.stringify(req.type)}`, "HRANA_PROTO_ERROR");
  }

  async function pipeline(ns: Namespace, body: { baton?: string | null; requests?: RequestJson[] }) {
    if (!Array.isArray(body.requests)) throw new HttpError(400, "The body must be {baton, requests: [...]}", "HRANA_PROTO_ERROR");
    let stream: Stream;
    if (body.baton != null) {
      const found = batons.get(body.baton);
      if (!found || found.ns !== ns) throw new HttpError(400, "Unknown or expired baton: the stream was closed", "STREAM_EXPIRED");
      // A baton is good for one request, which keeps requests on a stream strictly in sequence.
      batons.delete(body.baton);
      clearTimeout(found.timer);
      stream = found;
    } else {
      stream = openStream(ns);
    }
    const results: object[] = [];
    for (const req of body.requests) {
      // Every request gets a result, even after an error (Hrana runs the whole pipeline).
      try {
        if (stream.closed) throw new HranaError("The stream is closed", "STREAM_CLOSED");
        const response = await handleRequest(stream, req);
        if (JSON.stringify(response).length > MAX_RESPONSE_BYTES) throw new HranaError(`Response is too large (over ${MAX_RESPONSE_BYTES} bytes)`, "RESPONSE_TOO_LARGE");
        results.push({ type: "ok", response });
      } catch (e) {
        results.push({ type: "error", error: protoError(e) });
      }
    }
    let baton: string | null = null;
    if (!stream.closed) {
      baton = randomBytes(18).toString("base64url");
      stream.baton = baton;
      batons.set(baton, stream);
      // An abandoned stream would hold its transaction (and maybe the write lock) forever.
      stream.timer = setTimeout(() => closeStream(stream), STREAM_IDLE_MS).unref();
    }
    return { baton, base_url: null, results };
  }

  function createDatabase(name: string, createOpts?: { readyAfterMs?: number }) {
    if (!NAME.test(name)) throw new HttpError(400, `Invalid database name ${JSON.stringify(name)}: use 1-64 of a-z, 0-9, - and _`);
    if (namespaces.has(name) || existsSync(join(opts.dataDir, `${name}.db`))) throw new HttpError(409, `Database ${name} already exists`);
    register(name, Date.now() + (createOpts?.readyAfterMs ?? 0));
  }

  function deleteDatabase(name: string) {
    const ns = namespaces.get(name);
    if (!ns) throw new HttpError(404, `Database ${name} does not exist`);
    ns.deleted = true;
    namespaces.delete(name);
    for (const stream of [...ns.streams]) closeStream(stream);
    for (const db of ns.idle.splice(0)) db.close();
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(ns.file + suffix, { force: true });
  }

  for (const file of readdirSync(opts.dataDir)) {
    const name = file.endsWith(".db") ? file.slice(0, -3) : "";
    if (NAME.test(name)) register(name, 0);
  }

  async function route(req: IncomingMessage): Promise<[number, unknown]> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const [, area, name = "", ...rest] = path.split("/");
    const sub = rest.join("/").replace(/\/$/, "");
    if (req.method === "GET" && path === "/health") return [200, { ok: true }];

    if (area === "admin") {
      checkToken(req, adminToken);
      if (name === "databases" && rest.length === 1 && req.method === "POST") {
        const body = (await readJson(req, true)) as { readyAfterMs?: number };
        createDatabase(rest[0]!, { readyAfterMs: body.readyAfterMs });
        return [201, { url: server.databaseUrl(rest[0]!) }];
      }
      if (name === "databases" && rest.length === 1 && req.method === "DELETE") {
        deleteDatabase(rest[0]!);
        return [200, {}];
      }
      if (name === "stats" && sub === "" && req.method === "GET") {
        return [200, Object.fromEntries([...namespaces.values()].map((ns) => [ns.name, ns.requests]))];
      }
      // The largest request body each database received since the last reset (chunked writes' size).
      if (name === "stats" && sub === "bytes" && req.method === "GET") {
        return [200, Object.fromEntries([...namespaces.values()].map((ns) => [ns.name, ns.maxRequestBytes]))];
      }
      if (name === "stats" && sub === "reset" && req.method === "POST") {
        server.resetCounts();
        return [200, {}];
      }
      throw new HttpError(404, `No admin route ${req.method} ${path}`);
    }

    if (area !== "t") throw new HttpError(404, `No route ${req.method} ${path}`);
    checkToken(req, opts.authToken);
    const ns = namespaces.get(name);
    if (!ns || Date.now() < ns.readyAt) throw new HttpError(404, `Database ${name} not found`);
    if (req.method === "GET" && (sub === "v2" || sub === "health" || sub === "")) return [200, {}];
    if (req.method === "POST" && sub === "v2/pipeline") {
      const body = await readJson(req, false, (size) => (ns.maxRequestBytes = Math.max(ns.maxRequestBytes, size)));
      ns.requests++;
      return [200, await pipeline(ns, body as Parameters<typeof pipeline>[1])];
    }
    // v3 and v3-protobuf land here too, so a client asking for protocol 3 falls back to v2.
    throw new HttpError(404, `No route ${req.method} ${path}`);
  }

  const http = createServer((req, res) => {
    route(req).then(
      ([status, body]) => send(res, status, body),
      (e: unknown) => {
        const { message } = e instanceof Error ? e : { message: String(e) };
        if (!(e instanceof HttpError)) send(res, 500, { error: message });
        else send(res, e.status, e.code ? { error: message, message, code: e.code } : { error: message });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (http.address() as { port: number }).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const server: LibsqlServer = {
    url,
    port,
    databaseUrl: (name) => `${url}/t/${name}/`,
    createDatabase,
    deleteDatabase,
    hasDatabase: (name) => namespaces.has(name),
    requestCount: (name) => namespaces.get(name)?.requests ?? 0,
    resetCounts: () => namespaces.forEach((ns) => ((ns.requests = 0), (ns.maxRequestBytes = 0))),
    async close() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      for (const ns of namespaces.values()) {
        ns.deleted = true;
        for (const stream of [...ns.streams]) closeStream(stream);
        for (const db of ns.idle.splice(0)) db.close();
      }
      namespaces.clear();
    },
  };
  return server;
}

function checkToken(req: IncomingMessage, token: string | undefined) {
  if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
    throw new HttpError(401, "Missing or wrong Authorization: Bearer token");
  }
}

async function readJson(req: IncomingMessage, emptyIsObject: boolean, onSize?: (bytes: number) => void): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Request body too large");
    chunks.push(chunk);
  }
  onSize?.(size);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "" && emptyIsObject) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {}
  if (typeof value === "object" && value !== null) return value;
  throw new HttpError(400, "The body must be a JSON object");
}

function send(res: ServerResponse, status: number, body: unknown) {
  // Exactly "application/json": the client only parses error bodies with that exact content type.
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
