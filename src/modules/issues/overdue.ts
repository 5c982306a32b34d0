import { asc, sql } from "drizzle-orm";
import { issueCategories, issues } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { categoryNamer, issueColumns, type IssueSelect, issueView } from "./reads.js";
import { overdueAt, UNACKNOWLEDGED_SQL } from "./statuses.js";

/**
 * Every problem of the tenant overdue at `now` (unacknowledged past acknowledge-by, or unresolved past
 * resolve-by), earliest deadline first, with who to tell: the handler, and to escalate to, the
 * supervisor and the road chief. Not filtered by any member's visibility: it is for the system's jobs.
 */
export async function overdueProblems(ctx: Pick<ServiceContext, "db">, now: Date) {
  const at = now.toISOString();
  const [rows, categories] = await ctx.db.batch([
    ctx.db
      .select(issueColumns)
      .from(issues)
      .where(overdueAt(at, "issues"))
      .orderBy(sql`CASE WHEN ${issues.status} IN ${UNACKNOWLEDGED_SQL} THEN min(${issues.ackDueAt}, ${issues.resolveDueAt}) ELSE ${issues.resolveDueAt} END`, asc(issues.id)),
    ctx.db.select().from(issueCategories),
  ]);
  const nameOf = categoryNamer(categories);
  return (rows as IssueSelect[]).map((r) => issueView(r, nameOf, at));
}
