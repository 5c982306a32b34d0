import { addDays, lastDayOfMonth } from "../../calendar/days.js";
import type { WorkCalendar } from "../../calendar/work-calendar.js";

/** Date helpers of the log's month (YYYY-MM). */
export const monthOfDate = (date: string) => date.slice(0, 7);
export const firstOf = (month: string) => `${month}-01`;
export const lastOf = (month: string) => lastDayOfMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));

/** The month's working days under the tenant's calendar (weekends-only where the year is not yet official). */
export function workingDatesOf(calendar: WorkCalendar, month: string): string[] {
  const out: string[] = [];
  for (let d = firstOf(month), end = lastOf(month); d <= end; d = addDays(d, 1)) if (calendar.isWorkingDay(d)) out.push(d);
  return out;
}

/** The month's last working day: the 每月小结 may be submitted from then on. */
export const lastWorkingDayOf = (calendar: WorkCalendar, month: string) => workingDatesOf(calendar, month).at(-1) ?? lastOf(month);

/** The months (YYYY-MM) from `start` to `end` dates, inclusive. */
export function monthsBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let m = monthOfDate(start); m <= monthOfDate(end); ) {
    out.push(m);
    const [y, mm] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, "0")}`;
  }
  return out;
}
