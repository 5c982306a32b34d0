import { and, asc, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant/index.js";
import { issueCategories, issues, type IssueCategoryRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { categoryNamer, issueColumns, type IssueSelect, issueView } from "./reads.js";
import { overdueAt, RUNNING_DUE_SQL, UNACKNOWLEDGED_SQL, UNRESOLVED_SQL } from "./statuses.js";

// The system's reads for the reminder job and reports: not filtered by any member's visibility.

/** The statements of `overdueProblems`, for a caller that batches them with its own (the reminder job: one round trip). */
export const overdueProblemsQueries = (db: TenantDb, at: string) =>
  [
    db
      .select(issueColumns)
      .from(issues)
      .where(overdueAt(at, "issues"))
      .orderBy(sql`CASE WHEN ${issues.status} IN ${UNACKNOWLEDGED_SQL} THEN min(${issues.ackDueAt}, ${issues.resolveDueAt}) ELSE ${issues.resolveDueAt} END`, asc(issues.id)),
    db.select().from(issueCategories),
  ] as const;

/** Problems as the API shows them, read at `at`. */
export function problemViews(rows: unknown[], categories: IssueCategoryRow[], at: string) {
  const nameOf = categoryNamer(categories);
  return (rows as IssueSelect[]).map((r) => issueView(r, nameOf, at));
}

/**
 * Every problem of the tenant overdue at `now` (unacknowledged past acknowledge-by, or unresolved past
 * resolve-by), earliest deadline first, with who to tell: the handler, and to escalate to, the
 * supervisor and the road chief.
 */
export async function overdueProblems(ctx: Pick<ServiceContext, "db">, now: Date) {
  const at = now.toISOString();
  const [rows, categories] = await ctx.db.batch(overdueProblemsQueries(ctx.db, at));
  return problemViews(rows, categories, at);
}

/** Unresolved problems not overdue at `at` whose running deadline (`runningClock`) falls before `until`: what handlers hear of ahead. */
export const dueProblemsQuery = (db: TenantDb, at: string, until: string) =>
  db
    .select(issueColumns)
    .from(issues)
    .where(and(sql`${issues.status} IN ${UNRESOLVED_SQL}`, sql`NOT ${overdueAt(at, "issues")}`, sql`${RUNNING_DUE_SQL("issues")} < ${until}`))
    .orderBy(asc(issues.id));
