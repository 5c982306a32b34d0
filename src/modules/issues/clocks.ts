import { addDays, addWorkingDays, CalendarNotCoveredError, isWorkingDay } from "../../calendar/china-workdays.js";
import { localDate, offsetMinutes, zonedInstant } from "../../calendar/zoned.js";
import type { ClockUnit } from "../../db/tenant/schema.js";
import { ProblemError } from "../../http/problem.js";

/**
 * When a clock of `days` units started at `start` runs out, in the tenant's zone.
 *
 * - `calendar_days`: the same local time of day, `days` calendar days later.
 * - `working_days`, started on a working day: the same local time of day, `days` working days later
 *   (China's calendar: holidays skipped, 调休 make-up weekends counted). 2026-09-30 10:00 + 3 → 2026-10-10 10:00.
 * - `working_days`, started on a weekend or holiday: the clock starts at the next working day's
 *   00:00 and runs `days` whole working days, so it ends at the end (24:00) of the last of them.
 *
 * Throws a 422 problem when the holiday calendar does not cover a year the clock passes through.
 */
export function dueAt(start: Date, days: number, unit: ClockUnit, timeZone: string): Date {
  const date = localDate(start, timeZone);
  const time = localTimeOfDay(start, timeZone);
  if (unit === "calendar_days") return zonedInstant(addDays(date, days), time, timeZone);
  try {
    if (isWorkingDay(date)) return zonedInstant(addWorkingDays(date, days), time, timeZone);
    let first = addDays(date, 1);
    while (!isWorkingDay(first)) first = addDays(first, 1);
    const last = addWorkingDays(first, days - 1);
    return zonedInstant(addDays(last, 1), "00:00:00", timeZone);
  } catch (error) {
    if (error instanceof CalendarNotCoveredError) throw calendarNotCovered(error.year);
    throw error;
  }
}

export const calendarNotCovered = (year: number) =>
  new ProblemError(422, "calendar.year_not_covered", `${year} 年的节假日安排尚未收录，无法按工作日计算期限 / China's ${year} holiday calendar is not in the data yet, so working-day deadlines cannot be computed`);

/** HH:MM:SS.mmm of an instant on the tenant's wall clock. */
function localTimeOfDay(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return shifted.toISOString().slice(11, 23);
}
