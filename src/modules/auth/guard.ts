import type { Client, InArgs, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";
import { LibSQLDatabase } from "drizzle-orm/libsql/driver-core";
import { LibSQLSession } from "drizzle-orm/libsql/session";
import type { TenantDb } from "../../db/tenant/index.js";
import { Lru } from "../../platform/lru.js";
import { ProblemError } from "../../http/problem.js";

/**
 * Session guard: the statement that proves, inside the request's own round trip, that the member
 * behind an access token is still active at the session version the token carries. It is put in
 * front of the request's statements (a batch step, so a failed check rolls the batch back and no
 * write lands); `json()` of a non-JSON literal is how plain SQL raises an error on demand.
 */
const GUARD_SQL =
  "SELECT CASE WHEN EXISTS (SELECT 1 FROM members WHERE id = ? AND status = 'active' AND session_version = ?) THEN 1 ELSE json('qd-session-ended') END";

export const sessionEnded = () => new ProblemError("auth.session_ended");

const isGuardFailure = (error: unknown) => /malformed JSON/i.test(String((error as Error)?.message ?? "")) || /malformed JSON/i.test(String((error as { cause?: Error })?.cause?.message ?? ""));

type Executor = Pick<Client, "execute" | "batch">;

/** Wraps execute/batch so the guard rides along once (or on every call, for writes). */
function guarded<T extends Executor>(inner: T, state: GuardState): T {
  const guard = (): InStatement => ({ sql: GUARD_SQL, args: [state.memberId, state.sessionVersion] as InArgs });
  const run = async <R>(work: () => Promise<R>): Promise<R> => {
    try {
      const result = await work();
      state.passed();
      return result;
    } catch (error) {
      if (isGuardFailure(error)) {
        state.failed();
        throw sessionEnded();
      }
      throw error;
    }
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "execute") {
        return (stmt: InStatement | string, args?: InArgs) => {
          if (!state.pending()) return (target.execute as (s: InStatement | string, a?: InArgs) => Promise<ResultSet>)(stmt, args);
          const statement: InStatement = typeof stmt === "string" ? (args ? { sql: stmt, args } : stmt) : stmt;
          return run(async () => (await target.batch([guard(), statement], "deferred"))[1]!);
        };
      }
      if (prop === "batch") {
        return (stmts: InStatement[], mode?: TransactionMode) => {
          if (!state.pending()) return target.batch(stmts, mode);
          return run(async () => (await target.batch([guard(), ...stmts], mode)).slice(1));
        };
      }
      if (prop === "transaction") {
        return async (mode?: TransactionMode) => guarded(await (target as unknown as Client).transaction(mode), state) as unknown as Transaction;
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

interface GuardState {
  memberId: string;
  sessionVersion: number;
  /** Whether the next statement must carry the guard. */
  pending(): boolean;
  passed(): void;
  failed(): void;
}

/** How long a read may trust an access token after its member was last checked: at most 60 s. */
export const READ_TRUST_MS = 60_000;

/**
 * Per isolate: when each (tenant, member, session version) last passed the guard. Reads within
 * READ_TRUST_MS of that skip the guard; writes always carry it.
 */
export class SessionChecks {
  private readonly seen = new Lru<string, number>(20_000);

  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * The database handle for one request: the tenant's own handle when a read may trust the token,
   * otherwise one whose statements prove the member's standing in the same round trip.
   */
  handleFor(base: TenantDb, who: { tenantId: string; memberId: string; sessionVersion: number }, write: boolean): TenantDb {
    const key = `${who.tenantId}:${who.memberId}:${who.sessionVersion}`;
    const at = this.seen.get(key);
    if (!write && at !== undefined && this.clock() - at < READ_TRUST_MS) return base;
    let done = false;
    const state: GuardState = {
      memberId: who.memberId,
      sessionVersion: who.sessionVersion,
      // A read needs one proof per request; every write statement carries its own.
      pending: () => write || !done,
      passed: () => {
        done = true;
        this.seen.set(key, this.clock());
      },
      failed: () => this.seen.delete(key),
    };
    return withClient(base, guarded((base as unknown as { $client: Client }).$client, state));
  }
}

/** A drizzle handle over another client that shares the base handle's dialect and relational schema (building one from scratch re-reads the schema). */
function withClient(base: TenantDb, client: Client): TenantDb {
  const internals = base as unknown as { dialect: ConstructorParameters<typeof LibSQLSession>[1]; _: { schema?: unknown; fullSchema?: unknown; tableNamesMap?: unknown } };
  const relational = internals._.schema ? { fullSchema: internals._.fullSchema, schema: internals._.schema, tableNamesMap: internals._.tableNamesMap } : undefined;
  const session = new LibSQLSession(client, internals.dialect, relational as never, {}, undefined);
  const db = new LibSQLDatabase("async", internals.dialect, session as never, relational as never) as unknown as TenantDb;
  (db as unknown as { $client: Client }).$client = client;
  return db;
}
