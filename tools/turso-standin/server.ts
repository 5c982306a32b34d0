// A local stand-in for the parts of Turso's Platform API that the provisioner calls. Every request
// and every answer is checked against Turso's published OpenAPI document (turso-platform-openapi.json
// beside this file); what breaks it lands in `violations`, so tests notice when client or stand-in drift.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { openApiChecker, type Operation } from "./openapi-check.js";

/** The parts of tools/libsql-server's server the stand-in drives. */
export interface LibsqlHost {
  url: string;
  createDatabase(name: string, opts?: { readyAfterMs?: number }): void;
  deleteDatabase(name: string): void;
  hasDatabase(name: string): boolean;
}

export interface TursoStandinOptions {
  libsql: LibsqlHost;
  organization: string;
  group: string;
  /** More groups of the organization, so a test can own a database in a group that is not ours. */
  otherGroups?: string[];
  apiToken: string;
  /** How long a new database answers 404, as a fresh Turso database does (default 0). */
  readyAfterMs?: number;
  /**
   * Makes the next `count` createDatabase calls fail with `status` (default 503). With `afterCreating`
   * the database is made first, as when Turso acted but its answer was lost on the way back.
   */
  failCreates?: { count: number; status?: number; retryAfter?: string; afterCreating?: boolean };
  /**
   * How a duplicate database name is answered: 409 as Turso documents it, or 400 as the Platform API
   * has answered since mid-2026 (tursodatabase/turso-docs#409). Default 409.
   */
  duplicateStatus?: 400 | 409;
  port?: number;
  host?: string;
}

export interface TursoStandin {
  url: string;
  requests: { method: string; path: string; status: number }[];
  violations: string[];
  close(): Promise<void>;
}

interface Db {
  Name: string;
  DbId: string;
  Hostname: string;
  group: string;
}

type Answer = [status: number, body: unknown, headers?: Record<string, string>];

const SPEC = JSON.parse(readFileSync(new URL("./turso-platform-openapi.json", import.meta.url), "utf8"));
// The spec states this only in prose (CreateDatabaseInput.name's description).
const DATABASE_NAME = /^[a-z0-9-]{1,64}$/;
const MAX_BODY_BYTES = 1024 * 1024;
const REGION = "aws-us-east-1";

export async function startTursoStandin(opts: TursoStandinOptions): Promise<TursoStandin> {
  const checker = openApiChecker(SPEC);
  const groups = new Set([opts.group, ...(opts.otherGroups ?? [])]);
  const databases = new Map<string, Db>();
  const requests: TursoStandin["requests"] = [];
  const violations: string[] = [];
  const libsqlHost = new URL(opts.libsql.url).host;
  const record = (name: string, group: string): Db => {
    const db = { Name: name, DbId: randomUUID(), Hostname: `${libsqlHost}/t/${name}`, group };
    databases.set(name, db);
    return db;
  };
  let failuresLeft = opts.failCreates?.count ?? 0;

  const describe = (db: Db) => ({
    Name: db.Name,
    DbId: db.DbId,
    Hostname: db.Hostname,
    block_reads: false,
    block_writes: false,
    regions: [REGION],
    primaryRegion: REGION,
    group: db.group,
    delete_protection: false,
    parent: null,
  });
  /** Databases the libSQL server already had (left on disk by an earlier run) count as ours. */
  function lookup(name: string): Db | undefined {
    return databases.get(name) ?? (opts.libsql.hasDatabase(name) ? record(name, opts.group) : undefined);
  }
  const notFound = (name: string): Answer => [404, { error: `could not find database with name ${name}: record not found` }];

  function createDatabase(body: { name: string; group: string }): Answer {
    if (!groups.has(body.group)) return [400, { error: "group not found" }];
    if (lookup(body.name)) return [opts.duplicateStatus ?? 409, { error: `database with name ${body.name} already exists` }];
    opts.libsql.createDatabase(body.name, { readyAfterMs: opts.readyAfterMs ?? 0 });
    const db = record(body.name, body.group);
    return [200, { database: { DbId: db.DbId, Hostname: db.Hostname, Name: db.Name } }];
  }

  function handle(op: Operation, params: Record<string, string>, query: URLSearchParams, body: any): Answer {
    switch (op.id) {
      case "listDatabases": {
        const group = query.get("group");
        return [200, { databases: [...databases.values()].filter((db) => !group || db.group === group).map(describe) }];
      }
      case "createDatabase": {
        if (!DATABASE_NAME.test(body.name)) {
          violations.push(`createDatabase: name ${JSON.stringify(body.name)} is not 1-64 of a-z, 0-9 and -`);
          return [400, { error: "invalid database name: must contain only lowercase letters, numbers, dashes and be at most 64 characters" }];
        }
        if (failuresLeft > 0) {
          failuresLeft--;
          const fault = opts.failCreates!;
          if (fault.afterCreating) createDatabase(body);
          return [fault.status ?? 503, { error: "service unavailable" }, fault.retryAfter ? { "retry-after": fault.retryAfter } : {}];
        }
        return createDatabase(body);
      }
      case "getDatabase": {
        const db = lookup(params.databaseName!);
        return db ? [200, { database: describe(db) }] : notFound(params.databaseName!);
      }
      case "deleteDatabase": {
        const db = lookup(params.databaseName!);
        if (!db) return notFound(params.databaseName!);
        databases.delete(db.Name);
        if (opts.libsql.hasDatabase(db.Name)) opts.libsql.deleteDatabase(db.Name);
        return [200, { database: db.Name }];
      }
    }
    violations.push(`${op.id} is in the spec but the stand-in does not implement it`);
    return [501, { error: `${op.id} is not implemented by the stand-in` }];
  }

  async function route(req: IncomingMessage, url: URL): Promise<[Answer, Operation | undefined]> {
    const where = `${req.method} ${url.pathname}`;
    const text = await readBody(req);
    const found = checker.match(req.method ?? "GET", url.pathname);
    if (!found.op) {
      violations.push(`${where}: ${found.error}`);
      return [[found.status, { error: found.status === 404 ? "not found" : "method not allowed" }], undefined];
    }
    const { op, params } = found;
    // bearerAuth is the document's only security scheme, though it attaches it to no operation.
    const auth = req.headers.authorization;
    if (!auth || !/^Bearer \S+$/.test(auth)) {
      violations.push(`${where}: no Authorization: Bearer header`);
      return [[401, { error: "missing or malformed Authorization header" }], op];
    }
    if (auth !== `Bearer ${opts.apiToken}`) return [[401, { error: "invalid token" }], op];

    const check = checker.checkRequest(op, { params, query: url.searchParams, contentType: req.headers["content-type"], body: text });
    violations.push(...[...check.errors, ...check.undocumented].map((v) => `${where}: ${v}`));
    // Not checked as an answer (hence no operation): the request is already recorded as the fault, and
    // the spec declares no 400 for most operations although Turso refuses malformed requests with one.
    if (check.errors.length > 0) return [[400, { error: check.errors.join("; ") }], undefined];

    if (params.organizationSlug !== undefined && params.organizationSlug !== opts.organization) {
      // The spec documents no "unknown organization" answer; use the operation's own not-found or bad-request one.
      const status = op.id === "createDatabase" ? 400 : 404;
      return [[status, { error: `organization ${params.organizationSlug} not found` }], op];
    }
    return [handle(op, params, url.searchParams, check.body), op];
  }

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://standin");
    // Outside the API: lets a Worker under test (which cannot read this process's memory) read the findings.
    if (url.pathname === "/__standin/report") return send(res, 200, { violations, requests });
    route(req, url)
      .catch((e: unknown): [Answer, undefined] => [[e instanceof BodyTooLarge ? 413 : 500, { error: (e as Error)?.message ?? String(e) }], undefined])
      .then(([[status, body, headers], op]) => {
        if (op) violations.push(...checker.checkResponse(op, status, body).map((v) => `${req.method} ${url.pathname}: stand-in answer: ${v}`));
        requests.push({ method: req.method ?? "", path: url.pathname + url.search, status });
        send(res, status, body, headers);
      });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = http.address() as { port: number; address: string };

  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    requests,
    violations,
    async close() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
