// The years chinese-days knows, as rows for the control database. Read by date string, not through the
// package's helpers: those parse dates in the host's zone, and a date-only rule must not move with the server.
import data from "chinese-days/dist/chinese-days.json";
import pkg from "chinese-days/package.json";
import type { CalendarDay, NationalCalendarData } from "./work-calendar.js";

export const CHINESE_DAYS_SOURCE = `chinese-days ${pkg.version}`;

/** "National Day,国庆节,3" → "国庆节". */
const nameOf = (value: string) => value.split(",")[1] ?? value;

export function chineseDaysByYear(): Map<number, CalendarDay[]> {
  const years = new Map<number, CalendarDay[]>();
  const add = (date: string, day: CalendarDay) => {
    const year = Number(date.slice(0, 4));
    years.set(year, [...(years.get(year) ?? []), day]);
  };
  for (const [date, value] of Object.entries(data.holidays as Record<string, string>)) add(date, { date, kind: "holiday", name: nameOf(value) });
  for (const [date, value] of Object.entries(data.workdays as Record<string, string>)) add(date, { date, kind: "workday", name: nameOf(value) });
  return years;
}

/** The package's data as a calendar, for code that has no control database (benches, unit tests). */
export function chineseDaysCalendar(): NationalCalendarData {
  const byYear = chineseDaysByYear();
  return { officialYears: new Set(byYear.keys()), days: new Map([...byYear.values()].flat().map((d) => [d.date, d])) };
}
