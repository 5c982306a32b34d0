import type { InStatement, InValue, ResultSet } from "@libsql/client";
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

/**
 * A bulk read answered as one JSON value, `SELECT json_group_array(json_array(…)) FROM …` (in the
 * scan's order, as its rows would come): an array a row, or a value a row (`json_group_array(key)`).
 * The libsql binding costs ≈ 3 µs a row and ≈ 0.4 a value, and the file driver builds an object a
 * row: part 9's 600 task rows of 8 columns cost ≈ 2.2 ms of CPU as rows against ≈ 1.5 as one JSON
 * text parsed at once (issue 19).
 */
export const jsonRows = <T>(result: ResultSet | undefined): T[] => JSON.parse(String(result?.rows[0]?.[0] ?? "[]")) as T[];
