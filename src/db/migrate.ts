import type { Client } from "@libsql/client";

export interface BundledMigration { tag: string; when: number; hash: string; statements: string[] }
export interface BundledMigrations { control: BundledMigration[]; tenant: BundledMigration[] }

/** Same bookkeeping table as drizzle's migrator, so `drizzle-kit migrate` and this agree on what is applied. */
const MIGRATIONS_TABLE = "__drizzle_migrations";

/**
 * Applies the pending migrations in one batch (one transaction, one round trip after the read),
 * and answers the schema version: how many migrations the database now has.
 */
export async function applyMigrations(client: Pick<Client, "execute" | "batch">, migrations: BundledMigration[]): Promise<number> {
  await client.execute(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  const last = await client.execute(`SELECT created_at FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`);
  const lastWhen = last.rows[0] ? Number(last.rows[0][0]) : -1;
  const pending = migrations.filter((m) => m.when > lastWhen);
  if (pending.length > 0) {
    await client.batch(
      pending.flatMap((m) => [
        ...m.statements,
        { sql: `INSERT INTO "${MIGRATIONS_TABLE}" (hash, created_at) VALUES (?, ?)`, args: [m.hash, m.when] },
      ]),
      "write",
    );
  }
  return migrations.length;
}

export function latestVersion(migrations: BundledMigration[]): number {
  return migrations.length;
}
