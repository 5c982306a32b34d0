import { RRuleTemporal } from "rrule-temporal";
import { addDays, CalendarNotCoveredError, holidayName, isYearCovered, type RollPolicy, rollToWorkingDay } from "../../calendar/china-workdays.js";

export const MAX_OCCURRENCES_PER_YEAR = 366;
/** The RRULE parts we accept: enough for 每月/每季/每半年/每年 time nodes; no DTSTART (the checklist's year sets it). */
export const RRULE_PATTERN = /^(RRULE:)?FREQ=(YEARLY|MONTHLY|WEEKLY|DAILY)(;(INTERVAL|COUNT|BYMONTH|BYMONTHDAY|BYDAY|BYSETPOS|BYYEARDAY|BYWEEKNO|WKST)=[A-Z0-9,+-]{1,60}){0,8}$/;

export interface Occurrence {
  /** The recurrence's own date. */
  nominalDate: string;
  /** The deadline after rolling off holidays and weekends. */
  dueDate: string;
  /** Why it moved, when it did: e.g. "国庆节". */
  rolledFrom?: string;
  /** The first day of the period this occurrence closes: the day after the previous one, or 1 January. */
  periodStart: string;
}

export class RecurrenceError extends Error {}

/** The nominal dates a rule produces within a calendar year, in the tenant's time zone. */
export function nominalDates(rule: string, year: number, timeZone: string): string[] {
  const body = rule.replace(/^RRULE:/, "");
  if (!RRULE_PATTERN.test(rule)) throw new RecurrenceError("unsupported RRULE");
  let dates: string[];
  try {
    // 09:00 local keeps every occurrence safely inside its day whatever the zone's offset.
    const rr = new RRuleTemporal({ rruleString: `DTSTART;TZID=${timeZone}:${year}0101T090000\nRRULE:${body}`, maxIterations: 5000 });
    const from = new Date(Date.UTC(year - 1, 11, 30));
    const to = new Date(Date.UTC(year + 1, 0, 2));
    dates = rr.between(from, to, true).map((d) => d.toPlainDate().toString());
  } catch (error) {
    throw new RecurrenceError(error instanceof Error ? error.message : String(error));
  }
  const inYear = [...new Set(dates.filter((d) => d.startsWith(`${year}-`)))].sort();
  if (inYear.length === 0) throw new RecurrenceError("the rule has no date in the checklist's year");
  if (inYear.length > MAX_OCCURRENCES_PER_YEAR) throw new RecurrenceError("more than one date a day");
  return inYear;
}

/** Occurrences with their rolled due dates and periods. Throws CalendarNotCoveredError for a year without holiday data. */
export function occurrences(item: { recurrence: string | null; dueDate: string | null; rollPolicy: RollPolicy }, year: number, timeZone: string): Occurrence[] {
  if (!isYearCovered(year)) throw new CalendarNotCoveredError(year);
  const dates = item.recurrence ? nominalDates(item.recurrence, year, timeZone) : item.dueDate ? [item.dueDate] : [];
  let periodStart = `${year}-01-01`;
  return dates.map((nominalDate) => {
    const dueDate = rollToWorkingDay(nominalDate, item.rollPolicy);
    const occurrence: Occurrence = { nominalDate, dueDate, periodStart, ...(dueDate !== nominalDate ? { rolledFrom: holidayName(nominalDate) ?? "周末" } : {}) };
    periodStart = addDays(nominalDate, 1);
    return occurrence;
  });
}
