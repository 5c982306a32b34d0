import type { InStatement, InValue } from "@libsql/client";
import { fillPlaceholders, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";

const dialect = new SQLiteSyncDialect();

/**
 * A planning statement whose SQL text is the same for every tenant: written by drizzle once per
 * process (its values as `sql.placeholder`s) and run on the handle's client (`clientOf`, in a batch
 * or alone). drizzle built the morning's queries again for every tenant, walking their conditions
 * and mapping their rows: ≈ 6 ms of a tenant's planning with the promise plumbing (issue 19).
 */
export function onceSql<V extends Record<string, InValue>>(build: () => SQL): (values: V) => InStatement {
  let query: { sql: string; params: unknown[] } | undefined;
  return (values) => {
    query ??= dialect.sqlToQuery(build());
    return { sql: query.sql, args: fillPlaceholders(query.params, values) as InValue[] };
  };
}
