/** Date-only values are in the tenant's time zone (DESIGN §4): these convert between an instant and that calendar. */

// Building an Intl.DateTimeFormat costs far more than using one (the bench saw 0.4 ms a call): keep one per zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

/** Each zone's last answer: its date stays the same within a minute (below). */
const lastDates = new Map<string, { minute: number; date: string }>();
/** Since 1972 every zone's UTC offset is a whole number of minutes (Liberia's −0:44:30 ended then). */
const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1972, 0, 1);

/** The tenant-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(instant: Date, timeZone: string): string {
  // A date changes only at a whole minute, so one ICU format per zone and minute serves every request in it (issue 19).
  const ms = instant.getTime();
  const minute = Math.floor(ms / 60_000);
  const last = lastDates.get(timeZone);
  if (last && last.minute === minute && ms >= WHOLE_MINUTE_OFFSETS_SINCE) return last.date;
  let format = dateFormats.get(timeZone);
  // en-CA formats as YYYY-MM-DD.
  if (!format) dateFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })));
  const date = format.format(instant);
  if (ms >= WHOLE_MINUTE_OFFSETS_SINCE) lastDates.set(timeZone, { minute, date });
  return date;
}

/** The instant a tenant-local wall-clock time occurs (DST-safe by one correction step). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const guess = new Date(`${date}T${time}Z`);
  const offset = offsetMinutes(guess, timeZone);
  const first = new Date(guess.getTime() - offset * 60_000);
  const corrected = offsetMinutes(first, timeZone);
  return corrected === offset ? first : new Date(guess.getTime() - corrected * 60_000);
}

/** The zone's UTC offset in minutes at an instant (Asia/Shanghai: +480). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  let format = partFormats.get(timeZone);
  if (!format) partFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })));
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}
