import { asc, eq } from "drizzle-orm";
import { calendarDays, calendarYears, type CalendarYearRow } from "../db/control/schema.js";
import type { ControlDb } from "../platform/ports.js";
import type { CalendarYearFile } from "./import-file.js";
import type { CalendarDay } from "./work-calendar.js";

/**
 * Replaces a year of the national calendar in one batch (all of it or nothing), and marks it for the
 * re-roll sweep: every tenant's dates computed provisionally for it are recomputed by the job queue.
 */
export async function importNationalYear(control: ControlDb, file: CalendarYearFile, now: Date): Promise<{ replaced: boolean }> {
  const [before] = await control.select().from(calendarYears).where(eq(calendarYears.year, file.year));
  const at = now.toISOString();
  await control.batch([
    control.delete(calendarDays).where(eq(calendarDays.year, file.year)),
    ...chunk(file.days, 200).map((part) => control.insert(calendarDays).values(part.map((d) => ({ ...d, year: file.year })))),
    control
      .insert(calendarYears)
      .values({ year: file.year, source: file.source, importedAt: at, rerollDispatchedAt: null })
      .onConflictDoUpdate({ target: calendarYears.year, set: { source: file.source, importedAt: at, rerollDispatchedAt: null } }),
  ] as never);
  return { replaced: Boolean(before) };
}

/** What the control database knows of a year: official (with its source and days), or nothing (provisional). */
export async function nationalYear(control: ControlDb, year: number): Promise<{ year: CalendarYearRow | null; days: CalendarDay[] }> {
  const [years, days] = await control.batch([
    control.select().from(calendarYears).where(eq(calendarYears.year, year)),
    control.select({ date: calendarDays.date, kind: calendarDays.kind, name: calendarDays.name }).from(calendarDays).where(eq(calendarDays.year, year)).orderBy(asc(calendarDays.date)),
  ]);
  return { year: years[0] ?? null, days };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
