import type { BatchItem } from "drizzle-orm/batch";
import { type Client, LibsqlError } from "@libsql/client";
import type { TenantDb } from "./tenant/index.js";

export type Statement = BatchItem<"sqlite">;

/** One round trip, one transaction: every write of a request plus its audit rows go through here. */
export async function runBatch(db: Pick<TenantDb, "batch">, statements: Statement[]): Promise<void> {
  if (statements.length === 0) return;
  await db.batch(statements as [Statement, ...Statement[]]);
}

/**
 * The libSQL client under a drizzle handle (drizzle sets `$client`; its types leave it out): for a
 * statement whose SQL text is written once and reused, where drizzle's builder would walk thousands
 * of values (the reminder claim). A request's guarded handle has its own (auth/guard.ts).
 */
export const clientOf = (db: TenantDb): Client => (db as unknown as { $client: Client }).$client;

export function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? "");
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || /UNIQUE constraint failed/.test(message)) return true;
    if (e instanceof LibsqlError && e.code === "SQLITE_CONSTRAINT") return /UNIQUE/.test(message);
  }
  return false;
}
