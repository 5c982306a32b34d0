import { and, eq, inArray, sql } from "drizzle-orm";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import type { CalendarDay, NationalCalendarData, WorkCalendar } from "../../calendar/work-calendar.js";
import { localDate } from "../../calendar/zoned.js";
import { runBatch, type Statement } from "../../db/batch.js";
import { checklistItems, checklists, dateShifts, issueEvents, issues, tasks } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { auditInsert } from "../audit/service.js";
import { readOrg } from "../checklists/assignees.js";
import { insertTasks, tasksForItem } from "../checklists/generate.js";
import { isWorkdayRule, occurrences, RecurrenceError } from "../checklists/recurrence.js";
import { dueAt } from "../issues/clocks.js";

type Shift = Omit<typeof dateShifts.$inferInsert, "id">;

export interface RerollOutcome {
  tasksMoved: number;
  tasksAdded: number;
  tasksRemoved: number;
  tasksConfirmed: number;
  problemsMoved: number;
  problemsConfirmed: number;
}

/**
 * When a year's official calendar arrives, a tenant's work computed provisionally (weekends only) is
 * computed again: open tasks get their rolled due dates (an every-working-day item gains its 调休
 * Saturdays and loses its holidays), unresolved problems their clocks. Finished and submitted work keeps
 * its dates. Everyone whose date moved is told once, in their next digest (date_shifts), and the run is
 * audited. Running it again changes nothing: what it recomputed is no longer provisional.
 */
export async function rerollProvisional(ctx: ServiceContext): Promise<RerollOutcome> {
  return reroll(ctx, { provisional: true });
}

/**
 * A tenant's own day was set or removed: its open tasks whose date the day decides (due on it, rolled
 * across it, or an every-working-day task on it) are recomputed, and every-working-day items of that
 * year gain or lose the day. Problem clocks already running keep their deadlines. Written with `audit`.
 */
export function rerollForDay(ctx: ServiceContext, change: DayChange): Promise<RerollOutcome> {
  return reroll(ctx, change);
}

/** The tenant's day as it will be (`set` null: removed), the statement that writes it and its audit row: one batch with the tasks it moves. */
export interface DayChange {
  day: string;
  set: CalendarDay | null;
  write: Statement;
  audit: Statement;
}

type Scope = { provisional: true } | DayChange;

async function reroll(ctx: ServiceContext, scope: Scope): Promise<RerollOutcome> {
  const open = inArray(tasks.state, ["open", "returned"]);
  const selection =
    "provisional" in scope
      ? and(eq(tasks.calendarProvisional, true), open)
      : and(open, sql`((${tasks.nominalDate} <= ${scope.day} AND ${tasks.dueDate} >= ${scope.day}) OR ${tasks.nominalDate} = ${scope.day})`);
  const [overrides, openTasks, workdayItems] = await ctx.db.batch([
    overridesQuery(ctx.db),
    ctx.db
      .select({ id: tasks.id, itemId: tasks.itemId, checklistId: tasks.checklistId, title: tasks.title, nominalDate: tasks.nominalDate, dueDate: tasks.dueDate, doneCount: tasks.doneCount, state: tasks.state })
      .from(tasks)
      .where(selection),
    // A tenant's new working day is a date every-working-day items of its year owe work on.
    ctx.db
      .select({ id: checklistItems.id, checklistId: checklistItems.checklistId })
      .from(checklistItems)
      .innerJoin(checklists, eq(checklists.id, checklistItems.checklistId))
      .where(and(sql`${checklistItems.recurrence} LIKE '%X-WORKDAYS%'`, sql`${checklistItems.archivedAt} IS NULL`, eq(checklists.status, "published"), eq(checklists.year, "day" in scope ? Number(scope.day.slice(0, 4)) : -1))),
  ]);
  const days = "provisional" in scope ? overrides : [...overrides.filter((o) => o.date !== scope.day), ...(scope.set ? [scope.set] : [])];
  const calendar = tenantCalendar(ctx.nationalCalendar, days);
  const outcome: RerollOutcome = { tasksMoved: 0, tasksAdded: 0, tasksRemoved: 0, tasksConfirmed: 0, problemsMoved: 0, problemsConfirmed: 0 };
  const statements: Statement[] = [];
  const shifts: Shift[] = [];
  const stamp = ctx.now.toISOString();
  const moved: { id: string; from: string; to: string }[] = [];

  const itemIds = [...new Set([...openTasks.map((t) => t.itemId), ...workdayItems.map((i) => i.id)])];
  if (itemIds.length) {
    const taskIds = openTasks.map((t) => t.id);
    const [items, lists, people] = await ctx.db.batch([
      ctx.db.select().from(checklistItems).where(inArray(checklistItems.id, itemIds)),
      ctx.db.select().from(checklists).where(inArray(checklists.id, [...new Set([...openTasks.map((t) => t.checklistId), ...workdayItems.map((i) => i.checklistId)])])),
      ctx.db.all<{ taskId: string; memberId: string }>(sql`
        SELECT ta.task_id AS taskId, coalesce(ta.member_id, b.secretary_id) AS memberId
        FROM task_assignees ta LEFT JOIN branches b ON b.id = ta.branch_id
        WHERE ta.task_id IN (SELECT value FROM json_each(${JSON.stringify(taskIds)})) AND coalesce(ta.member_id, b.secretary_id) IS NOT NULL`),
    ]);
    const peopleOf = new Map<string, string[]>();
    for (const p of people) peopleOf.set(p.taskId, [...(peopleOf.get(p.taskId) ?? []), p.memberId]);
    const today = localDate(ctx.now, ctx.tenant.timezone);
    for (const item of items) {
      const checklist = lists.find((l) => l.id === item.checklistId);
      if (!checklist) continue;
      let dates;
      try {
        dates = new Map(occurrences(item, checklist.year, calendar).map((o) => [o.nominalDate, o]));
      } catch (error) {
        // A rule that now yields nothing (every working day of a month that became all holidays): keep the tasks as they are.
        if (error instanceof RecurrenceError) continue;
        throw error;
      }
      for (const task of openTasks.filter((t) => t.itemId === item.id)) {
        const now = dates.get(task.nominalDate);
        if (!now && isWorkdayRule(item.recurrence) && task.doneCount === 0) {
          // A working day the provisional calendar assumed is a holiday after all: nobody owes work on it.
          statements.push(ctx.db.run(sql`DELETE FROM task_assignees WHERE task_id = ${task.id}`), ctx.db.delete(tasks).where(eq(tasks.id, task.id)));
          outcome.tasksRemoved++;
          continue;
        }
        const dueDate = now?.dueDate ?? calendar.rollToWorkingDay(task.dueDate, item.rollPolicy);
        const provisional = now?.calendarProvisional ?? calendar.provisionalBetween(task.nominalDate, dueDate);
        statements.push(ctx.db.update(tasks).set({ dueDate, calendarProvisional: provisional, updatedAt: stamp }).where(eq(tasks.id, task.id)));
        if (dueDate !== task.dueDate) {
          outcome.tasksMoved++;
          moved.push({ id: task.id, from: task.dueDate, to: dueDate });
          for (const memberId of peopleOf.get(task.id) ?? []) shifts.push({ memberId, refType: "task", refId: task.id, title: task.title, fromDate: task.dueDate, toDate: dueDate, createdAt: stamp });
        } else outcome.tasksConfirmed++;
      }
      // An every-working-day item gains the make-up Saturdays it did not know of (from today on).
      if (isWorkdayRule(item.recurrence) && checklist.status === "published") {
        const existing = await ctx.db.select({ key: tasks.assigneeKey, nominal: tasks.nominalDate }).from(tasks).where(eq(tasks.itemId, item.id));
        const made = tasksForItem(ctx, calendar, checklist, item, await readOrg(ctx, checklist.branchId), today, new Set(existing.map((t) => `${t.key}|${t.nominal}`)));
        outcome.tasksAdded += made.taskRows.length;
        statements.push(...insertTasks(ctx, made.taskRows, made.assigneeRows));
      }
    }
  }

  const problems = "provisional" in scope ? await rerollProblems(ctx, calendar, stamp, statements, shifts) : { moved: [], confirmed: 0 };
  outcome.problemsMoved = problems.moved.length;
  outcome.problemsConfirmed = problems.confirmed;

  for (let i = 0; i < shifts.length; i += 200) statements.push(ctx.db.insert(dateShifts).values(shifts.slice(i, i + 200)));
  if (!("provisional" in scope)) {
    await runBatch(ctx.db, [scope.write, ...statements, scope.audit]);
    return outcome;
  }
  if (statements.length) {
    statements.push(
      auditInsert(ctx, {
        action: "calendar.rerolled",
        entityType: "calendar",
        entityId: "national",
        after: { ...outcome, officialYears: [...ctx.nationalCalendar.officialYears].filter((y) => y >= ctx.now.getUTCFullYear() - 1).sort(), tasks: moved.slice(0, 200), problems: problems.moved.slice(0, 200) },
      }),
    );
    await runBatch(ctx.db, statements);
  }
  return outcome;
}

/** Unresolved problems' clocks: resolve-by from when it was raised, acknowledge-by (while unacknowledged) from the last transfer or the raising. */
async function rerollProblems(ctx: ServiceContext, calendar: WorkCalendar, stamp: string, statements: Statement[], shifts: Shift[]) {
  const rows = await ctx.db
    .select()
    .from(issues)
    .where(and(eq(issues.calendarProvisional, true), inArray(issues.status, ["open", "transferred", "acknowledged", "in_progress", "returned"])));
  const moved: { id: string; ackDueAt: string; resolveDueAt: string }[] = [];
  let confirmed = 0;
  if (rows.length === 0) return { moved, confirmed };
  const transfers = await ctx.db
    .select({ issueId: issueEvents.issueId, at: sql<string>`max(${issueEvents.at})` })
    .from(issueEvents)
    .where(and(inArray(issueEvents.issueId, rows.map((r) => r.id)), eq(issueEvents.action, "transferred")))
    .groupBy(issueEvents.issueId);
  const tz = ctx.tenant.timezone;
  for (const row of rows) {
    const resolve = dueAt(new Date(row.raisedAt), row.resolveDays, row.resolveUnit, tz, calendar);
    const unacknowledged = row.status === "open" || row.status === "transferred";
    const ackStart = transfers.find((t) => t.issueId === row.id)?.at ?? row.raisedAt;
    const ack = unacknowledged ? dueAt(new Date(ackStart), row.ackDays, row.ackUnit, tz, calendar) : null;
    const ackDueAt = ack ? ack.at.toISOString() : row.ackDueAt;
    const resolveDueAt = resolve.at.toISOString();
    statements.push(ctx.db.update(issues).set({ ackDueAt, resolveDueAt, calendarProvisional: resolve.provisional || Boolean(ack?.provisional), updatedAt: stamp }).where(eq(issues.id, row.id)));
    if (ackDueAt === row.ackDueAt && resolveDueAt === row.resolveDueAt) {
      confirmed++;
      continue;
    }
    moved.push({ id: row.id, ackDueAt, resolveDueAt });
    const [from, to] = unacknowledged && ackDueAt !== row.ackDueAt ? [row.ackDueAt, ackDueAt] : [row.resolveDueAt, resolveDueAt];
    shifts.push({ memberId: row.handlerId, refType: "issue", refId: row.id, title: row.title, fromDate: localDate(new Date(from), tz), toDate: localDate(new Date(to), tz), createdAt: stamp });
  }
  return { moved, confirmed };
}

/** A service context for work the system does for a tenant (no member acts; the audit row says which job). */
export function systemContext(db: ServiceContext["db"], tenant: ServiceContext["tenant"], nationalCalendar: NationalCalendarData, now: Date, job: string): ServiceContext {
  const fileUrl = () => Promise.reject(new Error("a system job shows no files"));
  return { db, tenant, nationalCalendar, now, requestId: job, actor: { memberId: "system", role: "admin", via: "session" }, fileUrl };
}
