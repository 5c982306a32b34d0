import { count, max } from "drizzle-orm";
import { calendarDays, calendarYears } from "../db/control/schema.js";
import type { ControlDb } from "../platform/ports.js";
import { CHINESE_DAYS_SOURCE, chineseDaysByYear } from "./chinese-days-seed.js";
import type { CalendarDay, NationalCalendarData } from "./work-calendar.js";

/** How stale a process's copy may get before it asks the control database whether anything was imported. */
export const NATIONAL_CALENDAR_TTL_MS = 5 * 60_000;

const EMPTY: NationalCalendarData = { officialYears: new Set(), days: new Map() };

/**
 * China's national calendar, held in memory per process (Node) or isolate (Workers), so a request
 * computes dates without asking the control database. It is loaded once at start; after the TTL a
 * request hands `refreshIfStale()` to the runtime to run beside it (waitUntil on Workers), which asks
 * one cheap question (how many years, newest import) and reloads only when the answer changed.
 */
export class NationalCalendar {
  private data = EMPTY;
  private stamp = "";
  private checkedAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly control: ControlDb,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  current(): NationalCalendarData {
    return this.data;
  }

  /** Seeds the years chinese-days knows that the database lacks (an operator's import of a year wins), then loads. */
  async start(): Promise<void> {
    const known = new Set((await this.control.select({ year: calendarYears.year }).from(calendarYears)).map((r) => r.year));
    const missing = [...chineseDaysByYear()].filter(([year]) => !known.has(year));
    if (missing.length) {
      const at = new Date(this.now()).toISOString();
      await this.control.batch([
        this.control.insert(calendarYears).values(missing.map(([year]) => ({ year, source: CHINESE_DAYS_SOURCE, importedAt: at }))).onConflictDoNothing(),
        ...missing.flatMap(([year, days]) => chunks(days, 200).map((part) => this.control.insert(calendarDays).values(part.map((d) => ({ ...d, year }))).onConflictDoNothing())),
      ] as never);
    }
    await this.reload();
  }

  /** A refresh when the copy is older than the TTL (one at a time); undefined when it is fresh. */
  refreshIfStale(): Promise<void> | undefined {
    if (this.now() - this.checkedAt < (this.options.ttlMs ?? NATIONAL_CALENDAR_TTL_MS)) return undefined;
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Reloads if an import happened since the last load. */
  async refresh(): Promise<void> {
    const [row] = await this.control.select({ years: count(), newest: max(calendarYears.importedAt) }).from(calendarYears);
    this.checkedAt = this.now();
    if (stampOf(row) !== this.stamp) await this.reload();
  }

  async reload(): Promise<void> {
    const [years, days] = await this.control.batch([this.control.select().from(calendarYears), this.control.select().from(calendarDays)]);
    this.data = {
      officialYears: new Set(years.map((y) => y.year)),
      days: new Map(days.map((d): [string, CalendarDay] => [d.date, { date: d.date, kind: d.kind, name: d.name }])),
    };
    this.stamp = stampOf({ years: years.length, newest: years.reduce<string | null>((m, y) => (m === null || y.importedAt > m ? y.importedAt : m), null) });
    this.checkedAt = this.now();
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}

const stampOf = (row: { years: number; newest: string | null } | undefined) => `${row?.years ?? 0}|${row?.newest ?? ""}`;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
