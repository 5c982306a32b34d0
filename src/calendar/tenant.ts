import { sql } from "drizzle-orm";
import type { TenantDb } from "../db/tenant/index.js";
import { calendarDayOverrides, type CalendarDayOverrideRow } from "../db/tenant/calendar-days.js";
import type { NationalCalendarData } from "./work-calendar.js";
import { onceSql } from "../db/once-sql.js";
import { WorkCalendar } from "./work-calendar.js";

/** The tenant's own days: a small select to put in the batch of whatever computes dates. */
export const overridesQuery = (db: TenantDb) => db.select().from(calendarDayOverrides);

/** The same days for the morning job's first round trip (plan-morning.ts), its text written once: all three are text. */
export const overridesStatement = onceSql(() => sql`SELECT date, kind, name FROM ${calendarDayOverrides}`);
export const overrideRows = (rows: readonly ArrayLike<unknown>[]) => rows.map((r) => ({ date: r[0] as string, kind: r[1] as CalendarDayOverrideRow["kind"], name: r[2] as string }));

export const tenantCalendar = (national: NationalCalendarData, rows: Pick<CalendarDayOverrideRow, "date" | "kind" | "name">[]) =>
  new WorkCalendar(national, rows.map(({ date, kind, name }) => ({ date, kind, name })));

const memo = new WeakMap<object, Promise<WorkCalendar>>();

/**
 * The calendar a request's dates are computed under: the process's national calendar and the tenant's
 * own days, read once per service context (one small select; services that already batch reads can
 * put `overridesQuery` in theirs and call `tenantCalendar`).
 */
export function workCalendar(ctx: { db: TenantDb; nationalCalendar: NationalCalendarData }): Promise<WorkCalendar> {
  let found = memo.get(ctx);
  if (!found) memo.set(ctx, (found = overridesQuery(ctx.db).then((rows) => tenantCalendar(ctx.nationalCalendar, rows))));
  return found;
}
