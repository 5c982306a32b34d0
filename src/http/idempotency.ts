import { eq } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { idempotencyKeys } from "../db/tenant/schema.js";
import { sha256Hex } from "../platform/crypto.js";
import type { AppEnv } from "./env.js";
import { ProblemError } from "./problem.js";

const KEY = /^[\x21-\x7e]{1,255}$/;
const IN_FLIGHT = 0;
const KEEP_MS = 24 * 3_600_000;

// Both the control database (signup) and tenant databases have a table of this shape.
type IdempotencyTable = typeof idempotencyKeys;
// biome-ignore lint: drizzle's database type varies by schema; only the table matters here
type AnyDb = LibSQLDatabase<any>;

/**
 * `Idempotency-Key` on a POST: the first request claims the key before it runs, so a concurrent
 * retry is told to wait (409) instead of creating twice; later retries get the stored answer.
 */
export function idempotency(storeOf: (c: Context<AppEnv>) => { db: AnyDb; table: IdempotencyTable; scope: string }): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const given = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || given === undefined || c.var.idempotencyClaimed) return next();
    c.set("idempotencyClaimed", true);
    if (!KEY.test(given)) throw new ProblemError(400, "validation.failed", undefined, [{ path: "header.Idempotency-Key", message: "1–255 个可见 ASCII 字符 / 1–255 visible ASCII characters" }]);

    const { db, table, scope } = storeOf(c);
    const key = `${scope}:${given}`;
    const requestHash = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    const now = c.var.ports.now?.() ?? new Date();

    const claimed = await db.insert(table).values({ key, requestHash, status: IN_FLIGHT, body: "", createdAt: now.toISOString() }).onConflictDoNothing().returning({ key: table.key });
    if (claimed.length === 0) {
      const [prior] = await db.select().from(table).where(eq(table.key, key)).limit(1);
      if (prior && now.getTime() - Date.parse(prior.createdAt) < KEEP_MS) {
        if (prior.requestHash !== requestHash) throw new ProblemError(422, "idempotency.key_reused");
        if (prior.status === IN_FLIGHT) throw new ProblemError(409, "idempotency.key_reused", "同一请求仍在处理中 / The first request with this key is still running");
        return new Response(prior.body, { status: prior.status, headers: { "content-type": "application/json", "idempotent-replayed": "true" } });
      }
      await db.update(table).set({ requestHash, status: IN_FLIGHT, body: "", createdAt: now.toISOString() }).where(eq(table.key, key));
    }

    try {
      await next();
    } catch (error) {
      await db.delete(table).where(eq(table.key, key));
      throw error;
    }
    if (c.error || c.res.status >= 500) {
      // A failure on our side is not an answer to keep: let the retry run again.
      await db.delete(table).where(eq(table.key, key));
      return;
    }
    const body = await c.res.clone().text();
    await db.update(table).set({ status: c.res.status, body }).where(eq(table.key, key));
  });
}
