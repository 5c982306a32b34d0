import { eq } from "drizzle-orm";
import { isWeekend } from "../../calendar/days.js";
import { overridesQuery, tenantCalendar } from "../../calendar/tenant.js";
import { calendarDayOverrides, type CalendarDayOverrideRow } from "../../db/tenant/calendar-days.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { rerollForDay } from "./reroll.js";

const admin = (ctx: ServiceContext) => {
  if (ctx.actor.role !== "admin") throw forbidden();
};

/** A day as this bureau's work sees it: the bureau's own setting over the national calendar over the weekend rule. */
function dayView(ctx: ServiceContext, date: string, overrides: CalendarDayOverrideRow[]) {
  const calendar = tenantCalendar(ctx.nationalCalendar, overrides);
  const own = overrides.find((o) => o.date === date);
  const national = ctx.nationalCalendar.days.get(date) ?? null;
  const year = Number(date.slice(0, 4));
  return {
    date,
    workingDay: calendar.isWorkingDay(date),
    source: own ? ("tenant" as const) : national ? ("national" as const) : isWeekend(date) ? ("weekend" as const) : ("weekday" as const),
    kind: own?.kind ?? national?.kind ?? null,
    name: own?.name ?? national?.name ?? null,
    national: national ? { kind: national.kind, name: national.name } : null,
    /** No official arrangement for the year yet: the national part is weekends only for now. */
    calendarProvisional: !calendar.isOfficial(year),
    updatedBy: own?.updatedBy ?? null,
    updatedAt: own?.updatedAt ?? null,
  };
}

export async function calendarDay(ctx: ServiceContext, date: string) {
  admin(ctx);
  return dayView(ctx, date, await overridesQuery(ctx.db));
}

/** Sets the bureau's own arrangement for a day; open tasks whose dates the day decides follow at once. */
export async function setCalendarDay(ctx: ServiceContext, date: string, input: { kind: "holiday" | "workday"; name: string }) {
  admin(ctx);
  const before = (await overridesQuery(ctx.db)).find((o) => o.date === date) ?? null;
  const row: CalendarDayOverrideRow = { date, kind: input.kind, name: input.name, updatedBy: ctx.actor.memberId, updatedAt: ctx.now.toISOString() };
  const rerolled = await rerollForDay(ctx, {
    day: date,
    set: row,
    write: ctx.db.insert(calendarDayOverrides).values(row).onConflictDoUpdate({ target: calendarDayOverrides.date, set: { kind: row.kind, name: row.name, updatedBy: row.updatedBy, updatedAt: row.updatedAt } }),
    audit: auditInsert(ctx, { action: "calendar_day.set", entityType: "calendar_day", entityId: date, before, after: row }),
  });
  return { ...dayView(ctx, date, await overridesQuery(ctx.db)), rerolled };
}

export async function removeCalendarDay(ctx: ServiceContext, date: string) {
  admin(ctx);
  const [before] = await ctx.db.select().from(calendarDayOverrides).where(eq(calendarDayOverrides.date, date));
  if (!before) throw notFound("calendar_day.not_found");
  await rerollForDay(ctx, { day: date, set: null, write: ctx.db.delete(calendarDayOverrides).where(eq(calendarDayOverrides.date, date)), audit: auditInsert(ctx, { action: "calendar_day.removed", entityType: "calendar_day", entityId: date, before }) });
}
