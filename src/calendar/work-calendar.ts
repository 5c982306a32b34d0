import { addDays, isWeekend, yearOf } from "./days.js";

export type RollPolicy = "next" | "previous" | "none";
/** A dated exception to the weekend rule: a holiday (休) or a make-up working day (调休 班). */
export type DayKind = "holiday" | "workday";

export interface CalendarDay {
  date: string;
  kind: DayKind;
  /** e.g. "国庆节"; a tenant's own day may carry its own name ("市庆"). */
  name: string;
}

/** China's national calendar as the control database holds it: which years are official, and their dated days. */
export interface NationalCalendarData {
  officialYears: ReadonlySet<number>;
  days: ReadonlyMap<string, CalendarDay>;
}

/**
 * No real arrangement has two months without a working day; past this a roll stops where it is,
 * so a tenant who marks a whole quarter as holidays gets dates rather than a hung request.
 */
const MAX_RUN = 62;

/**
 * China's working days for one tenant: the national calendar, the tenant's own days on top. A year
 * without official data is not refused: it is computed weekends-only and said to be provisional
 * (`provisionalBetween`), so every date computed from it can carry `calendarProvisional`.
 * The one home of working-day arithmetic: checklists, problem clocks, pledges and reminders all ask here.
 */
export class WorkCalendar {
  private readonly overrides: ReadonlyMap<string, CalendarDay>;

  constructor(
    private readonly national: NationalCalendarData,
    overrides: Iterable<CalendarDay> = [],
  ) {
    this.overrides = new Map([...overrides].map((d) => [d.date, d]));
  }

  /** The dated day in force (the tenant's own first), if the date is not an ordinary weekday or weekend. */
  dayOf(date: string): CalendarDay | undefined {
    return this.overrides.get(date) ?? this.national.days.get(date);
  }

  isWorkingDay(date: string): boolean {
    const day = this.dayOf(date);
    return day ? day.kind === "workday" : !isWeekend(date);
  }

  /** The holiday's name (e.g. "国庆节"), when the date is one. */
  holidayName(date: string): string | undefined {
    const day = this.dayOf(date);
    return day?.kind === "holiday" ? day.name : undefined;
  }

  isOfficial(year: number): boolean {
    return this.national.officialYears.has(year);
  }

  /** Whether any year from `from`'s to `to`'s (either order) is computed without official data. */
  provisionalBetween(from: string, to: string = from): boolean {
    const [a, b] = from <= to ? [yearOf(from), yearOf(to)] : [yearOf(to), yearOf(from)];
    for (let y = a; y <= b; y++) if (!this.isOfficial(y)) return true;
    return false;
  }

  /** A due date on a holiday or weekend moves to the next (or previous) working day; `none` keeps it. */
  rollToWorkingDay(date: string, policy: RollPolicy = "next"): string {
    if (policy === "none") return date;
    const step = policy === "next" ? 1 : -1;
    let d = date;
    for (let i = 0; i < MAX_RUN && !this.isWorkingDay(d); i++) d = addDays(d, step);
    return d;
  }

  /** The date `count` working days after `date` (the start day itself not counted). */
  addWorkingDays(date: string, count: number): string {
    let d = date;
    for (let left = count, skipped = 0; left > 0 && skipped < MAX_RUN; ) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) {
        left--;
        skipped = 0;
      } else skipped++;
    }
    return d;
  }

  /** Working days in (from, to]: how many working days a clock ran. */
  workingDaysBetween(from: string, to: string): number {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: string): string {
    return this.rollToWorkingDay(date, "next");
  }
}
