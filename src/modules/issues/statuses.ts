import { sql } from "drizzle-orm";
import { type IssueRow, type IssueStatus, unacknowledgedStatuses, unresolvedStatuses } from "../../db/tenant/schema.js";

// The one home of what a problem's status means (the lists themselves live with the table in
// db/tenant/projects.ts): unresolved, waiting for acknowledgement, overdue. SQL and TypeScript read
// the same lists, so the reminder job, the calendar, the reports and the pages cannot disagree.

const sqlList = (xs: readonly string[]) => sql.raw(`(${xs.map((x) => `'${x}'`).join(", ")})`);

/** `('open', 'transferred', …)`: for `status IN ${UNRESOLVED_SQL}`. */
export const UNRESOLVED_SQL = sqlList(unresolvedStatuses);
export const UNACKNOWLEDGED_SQL = sqlList(unacknowledgedStatuses);

export const isUnresolved = (status: IssueStatus) => (unresolvedStatuses as readonly IssueStatus[]).includes(status);
export const isUnacknowledged = (status: IssueStatus) => (unacknowledgedStatuses as readonly IssueStatus[]).includes(status);

/** A problem overdue at `now` (table alias `alias`): unresolved past resolve-by, or unacknowledged past acknowledge-by. */
export const overdueAt = (now: string, alias = "i") => {
  const a = sql.raw(alias);
  return sql`((${a}.status IN ${UNRESOLVED_SQL} AND ${a}.resolve_due_at < ${now}) OR (${a}.status IN ${UNACKNOWLEDGED_SQL} AND ${a}.ack_due_at < ${now}))`;
};

/** The deadline a problem runs against: acknowledge-by while unacknowledged (when it comes first), else resolve-by. */
export function runningClock(row: Pick<IssueRow, "status" | "ackDueAt" | "resolveDueAt">): { kind: "ack" | "resolve"; due: string } {
  return isUnacknowledged(row.status) && row.ackDueAt < row.resolveDueAt ? { kind: "ack", due: row.ackDueAt } : { kind: "resolve", due: row.resolveDueAt };
}

/** `runningClock` in SQL (table alias `alias`). */
export const RUNNING_DUE_SQL = (alias = "i") => {
  const a = sql.raw(alias);
  return sql`(CASE WHEN ${a}.status IN ${UNACKNOWLEDGED_SQL} AND ${a}.ack_due_at < ${a}.resolve_due_at THEN ${a}.ack_due_at ELSE ${a}.resolve_due_at END)`;
};

/** The same rule on one row, computed against `now` at read time; nothing stores it. */
export function overdueFlags(row: Pick<IssueRow, "status" | "ackDueAt" | "resolveDueAt">, now: string) {
  return {
    isAckOverdue: isUnacknowledged(row.status) && row.ackDueAt < now,
    isResolveOverdue: isUnresolved(row.status) && row.resolveDueAt < now,
  };
}
