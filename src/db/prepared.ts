import { Column, is, noopDecoder, SQL } from "drizzle-orm";
import type { TenantDb } from "./tenant/index.js";

/**
 * A hot query prepared once per database handle rather than built again each request (drizzle
 * rebuilding the same SQL text was 10–16 % of a light read, issue 19). The tenant's handle lives as
 * long as its LRU entry; a request's guarded handle (auth/guard.ts) gets its own and drops it with
 * the request. Prepared queries take their values as `sql.placeholder`s.
 */
export function preparedPerHandle<Q>(build: (db: TenantDb) => Q): (db: TenantDb) => Q {
  const prepared = new WeakMap<TenantDb, Q>();
  return (db) => {
    let query = prepared.get(db);
    if (!query) prepared.set(db, (query = build(db)));
    return query;
  };
}

/**
 * Where a driver may keep a row's values as a plain array (the thin Node file driver does,
 * src/platform/node/libsql-driver.ts). Rows without it are read by index, as any libSQL row can be.
 */
export const ROW_VALUES: unique symbol = Symbol.for("qingdan.rowValues");

type Decode = (value: unknown) => unknown;

/** drizzle's libSQL session hands a blob on as a Buffer where there is one (Node), else as text. */
function blobValue(value: ArrayBuffer): unknown {
  const buffer = (globalThis as { Buffer?: { from(b: ArrayBuffer): unknown } }).Buffer;
  return buffer ? buffer.from(value) : new TextDecoder().decode(value);
}

const isOwnDecoder = (decode: Decode) => decode !== Column.prototype.mapFromDriverValue && decode !== noopDecoder.mapFromDriverValue;

/**
 * The rows of a flat select (one level of fields, as `.values()` returns them) as objects, each value
 * through its column's own decoder, exactly as drizzle maps them. drizzle does it per cell with
 * `is()` checks, a path walk and two copies of the row: ≈10 % of the CPU of a 50-row task list
 * (issue 19). The fields must be the select's own, in its order.
 */
export function flatRowMapper<R>(fields: Record<string, unknown>): (rows: readonly ArrayLike<unknown>[]) => R[] {
  const names = Object.keys(fields);
  const decoders = names.map((name): Decode | null => {
    const field = fields[name];
    if (is(field, Column)) return isOwnDecoder(field.mapFromDriverValue) ? (v) => field.mapFromDriverValue(v) : null;
    if (is(field, SQL)) {
      // `decoder` is drizzle's own (marked internal): what `sql<T>` maps its value with, `.mapWith()` included.
      const { decoder } = field as unknown as { decoder: { mapFromDriverValue: Decode } };
      return isOwnDecoder(decoder.mapFromDriverValue) ? (v) => decoder.mapFromDriverValue(v) : null;
    }
    throw new TypeError(`flatRowMapper: field ${name} is not a column or an SQL expression`);
  });
  const width = names.length;
  return (rows) => {
    const out: R[] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const values = ((row as { [ROW_VALUES]?: unknown[] })[ROW_VALUES] ?? row) as ArrayLike<unknown>;
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < width; i++) {
        let v = values[i];
        if (v instanceof ArrayBuffer) v = blobValue(v);
        const decode = decoders[i];
        obj[names[i]!] = v === null || v === undefined || !decode ? (v ?? null) : decode(v);
      }
      out[r] = obj as R;
    }
    return out;
  };
}
