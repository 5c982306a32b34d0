// China's statutory holidays and the weekend days made working days (调休), from `chinese-days`.
// The data is read directly, by date string: the package's own helpers parse dates through the host's
// time zone, and a date-only rule must not change with where the server runs.
import data from "chinese-days/dist/chinese-days.json";

const holidays: Record<string, string> = data.holidays;
const makeUpWorkdays: Record<string, string> = data.workdays;

export type RollPolicy = "next" | "previous" | "none";

const coveredYears = new Set(Object.keys(holidays).map((d) => Number(d.slice(0, 4))));

/** Whether the calendar data knows this year's holidays; a date in a year it does not is refused, not guessed. */
export const isYearCovered = (year: number) => coveredYears.has(year);

export class CalendarNotCoveredError extends Error {
  constructor(readonly year: number) {
    super(`China's holiday calendar for ${year} is not published in the data yet`);
  }
}

const assertCovered = (date: string) => {
  const year = Number(date.slice(0, 4));
  if (!isYearCovered(year)) throw new CalendarNotCoveredError(year);
};

/** Day of week of a YYYY-MM-DD date, 0 = Sunday, computed in UTC so the host's zone plays no part. */
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: string): boolean {
  assertCovered(date);
  if (makeUpWorkdays[date]) return true;
  if (holidays[date]) return false;
  const day = weekday(date);
  return day !== 0 && day !== 6;
}

/** The holiday's name (e.g. "国庆节"), when the date is one. */
export function holidayName(date: string): string | undefined {
  return holidays[date]?.split(",")[1];
}

/** A due date on a holiday or weekend moves to the next (or previous) working day; `none` keeps it. */
export function rollToWorkingDay(date: string, policy: RollPolicy = "next"): string {
  if (policy === "none") return date;
  const step = policy === "next" ? 1 : -1;
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, step);
  return d;
}

/** The date `count` working days after `date` (the start day itself not counted). */
export function addWorkingDays(date: string, count: number): string {
  let d = date;
  for (let left = count; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days in (from, to]: how many working days a clock ran. */
export function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}
