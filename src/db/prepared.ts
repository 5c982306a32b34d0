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
