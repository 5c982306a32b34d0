import { addDays } from "../../calendar/days.js";
import type { WorkCalendar } from "../../calendar/work-calendar.js";
import { localDate, offsetMinutes, zonedInstant } from "../../calendar/zoned.js";
import type { ClockUnit } from "../../db/tenant/schema.js";

export interface ClockDue {
  at: Date;
  /** A working-day clock ran through a year whose official holiday arrangement has not arrived (weekends only so far). */
  provisional: boolean;
}

/**
 * When a clock of `days` units started at `start` runs out, in the tenant's zone.
 *
 * - `calendar_days`: the same local time of day, `days` calendar days later.
 * - `working_days`, started on a working day: the same local time of day, `days` working days later
 *   (China's calendar: holidays skipped, 调休 make-up weekends counted). 2026-09-30 10:00 + 3 → 2026-10-10 10:00.
 * - `working_days`, started on a weekend or holiday: the clock starts at the next working day's
 *   00:00 and runs `days` whole working days, so it ends at the end (24:00) of the last of them.
 *
 * A year without official holiday data is computed weekends-only, and the answer says so.
 */
export function dueAt(start: Date, days: number, unit: ClockUnit, timeZone: string, calendar: WorkCalendar): ClockDue {
  const date = localDate(start, timeZone);
  const time = localTimeOfDay(start, timeZone);
  if (unit === "calendar_days") return { at: zonedInstant(addDays(date, days), time, timeZone), provisional: false };
  if (calendar.isWorkingDay(date)) {
    const end = calendar.addWorkingDays(date, days);
    return { at: zonedInstant(end, time, timeZone), provisional: calendar.provisionalBetween(date, end) };
  }
  const first = calendar.nextWorkingDay(addDays(date, 1));
  const last = calendar.addWorkingDays(first, days - 1);
  return { at: zonedInstant(addDays(last, 1), "00:00:00", timeZone), provisional: calendar.provisionalBetween(date, last) };
}

/** HH:MM:SS.mmm of an instant on the tenant's wall clock. */
function localTimeOfDay(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return shifted.toISOString().slice(11, 23);
}
