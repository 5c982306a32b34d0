/** Date-only arithmetic on YYYY-MM-DD strings, in UTC so the host's zone plays no part. */

/** Day of week, 0 = Sunday. */
export const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export const isWeekend = (date: string) => {
  const day = weekday(date);
  return day === 0 || day === 6;
};

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const yearOf = (date: string) => Number(date.slice(0, 4));

/** The last day of a month (1-12) of a year. */
export const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/** A real calendar date in YYYY-MM-DD form (rejects 2027-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
