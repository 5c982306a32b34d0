import { and, eq, lt } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { idempotencyKeys } from "../db/tenant/schema.js";
import { fromBase64Url, sha256Hex, toBase64Url } from "../platform/crypto.js";
import type { PublicEnv } from "./env.js";
import { ProblemError } from "./problem.js";

const KEY = /^[\x21-\x7e]{1,255}$/;
const IN_FLIGHT = 0;
/** Stored answers are kept a day, then swept. */
const KEEP_MS = 24 * 3_600_000;
/** A claim is a lease: a request still "running" after this is taken to have died with its process. */
export const LEASE_MS = 30_000;

// Both the control database (signup) and tenant databases have a table of this shape.
type IdempotencyTable = typeof idempotencyKeys;
// biome-ignore lint: drizzle's database type varies by schema; only the table matters here
type AnyDb = LibSQLDatabase<any>;

/**
 * Answers hold secrets (API tokens, invitation tokens, signup's session): they are stored sealed
 * with AES-GCM under a key derived from the server secret and the client's Idempotency-Key, which is
 * itself stored only as a hash. Reading the database alone opens nothing; the client that holds
 * the key gets its answer back.
 */
async function sealingKey(secret: string, scope: string, given: string) {
  const raw = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`idempotency\n${secret}\n${scope}\n${given}`));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function seal(key: CryptoKey, text: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(text)));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return toBase64Url(out);
}

async function unseal(key: CryptoKey, stored: string) {
  const bytes = fromBase64Url(stored);
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, key, bytes.slice(12)));
}

/**
 * `Idempotency-Key` on a POST: the first request claims the key (a short lease) before it runs, so
 * a concurrent retry is told to wait (409) instead of creating twice; later retries within a day get
 * the stored answer. Claiming also sweeps the answers older than a day.
 */
export function idempotency<E extends PublicEnv>(storeOf: (c: Context<E>) => { db: AnyDb; table: IdempotencyTable; scope: string }): MiddlewareHandler<E> {
  return createMiddleware<E>(async (ec, next) => {
    const c = ec as unknown as Context<PublicEnv>;
    const given = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || given === undefined || c.get("idempotencyClaimed")) return next();
    c.set("idempotencyClaimed", true);
    if (!KEY.test(given)) throw new ProblemError("validation.failed", { errors: [{ path: "header.Idempotency-Key", message: "1–255 个可见 ASCII 字符 / 1–255 visible ASCII characters" }] });

    const { db, table, scope } = storeOf(ec);
    const key = await sha256Hex(`${scope}:${given}`);
    const sealing = await sealingKey(c.get("ports").config.jwtSecret, scope, given);
    const requestHash = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    const now = c.get("ports").now?.() ?? new Date();
    const stamp = now.toISOString();

    const [, claimed] = await db.batch([
      db.delete(table).where(lt(table.createdAt, new Date(now.getTime() - KEEP_MS).toISOString())),
      db.insert(table).values({ key, requestHash, status: IN_FLIGHT, body: "", createdAt: stamp }).onConflictDoNothing().returning({ key: table.key }),
    ]);
    if (claimed.length === 0) {
      const [prior] = await db.select().from(table).where(eq(table.key, key)).limit(1);
      const age = prior ? now.getTime() - Date.parse(prior.createdAt) : Infinity;
      const leaseOver = prior?.status === IN_FLIGHT && age >= LEASE_MS;
      if (prior && age < KEEP_MS && !leaseOver) {
        if (prior.requestHash !== requestHash) throw new ProblemError("idempotency.key_reused");
        if (prior.status === IN_FLIGHT) throw new ProblemError("idempotency.in_flight");
        return new Response(await unseal(sealing, prior.body), { status: prior.status, headers: { "content-type": "application/json", "idempotent-replayed": "true" } });
      }
      // Expired, or claimed by a request that died: this one takes the key over (only if nobody else just did).
      const taken = await db
        .update(table)
        .set({ requestHash, status: IN_FLIGHT, body: "", createdAt: stamp })
        .where(and(eq(table.key, key), eq(table.createdAt, prior?.createdAt ?? "")))
        .returning({ key: table.key });
      if (taken.length === 0) throw new ProblemError("idempotency.in_flight");
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
    const body = await seal(sealing, await c.res.clone().text());
    await db.update(table).set({ status: c.res.status, body }).where(eq(table.key, key));
  });
}
