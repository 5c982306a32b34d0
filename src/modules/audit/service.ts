import { and, desc, eq, lt } from "drizzle-orm";
import { newId } from "../../db/ids.js";
import { auditLog } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** An audit row to put in the same batch as the change it records, so neither lands without the other. */
export function auditInsert(ctx: AuditContext, change: AuditChange, id = newId("aud", ctx.now.getTime())) {
  return ctx.db.insert(auditLog).values(auditRow(ctx, change, id, ctx.now.toISOString()));
}

type AuditContext = Pick<ServiceContext, "db" | "requestId" | "now"> & { actor?: { memberId: string } | null };

/** The row one change writes: who, what, before and after, under the request that did it. */
function auditRow(ctx: AuditContext, change: AuditChange, id: string, at: string) {
  return {
    id,
    actorId: ctx.actor?.memberId ?? null,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: ctx.requestId,
    at,
  };
}

export async function listAudit(ctx: ServiceContext, filter: { entityType?: string; entityId?: string; limit: number; cursor?: string }) {
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(
      and(
        filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
        filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
        filter.cursor ? lt(auditLog.id, filter.cursor) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(filter.limit + 1);
  return rows;
}

/** Many audit rows as one multi-row insert (bulk imports): chunked under SQLite's bound-parameter limit. */
export function auditInsertMany(ctx: AuditContext, changes: AuditChange[], chunk = 500) {
  const at = ctx.now.toISOString();
  const rows = changes.map((change) => auditRow(ctx, change, newId("aud", ctx.now.getTime()), at));
  const statements = [];
  for (let i = 0; i < rows.length; i += chunk) statements.push(ctx.db.insert(auditLog).values(rows.slice(i, i + chunk)));
  return statements;
}
