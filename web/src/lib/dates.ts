/** Today's date (YYYY-MM-DD) in a time zone: the tenant's, since dates in the API are the tenant's. */
export function todayIn(timeZone = "Asia/Shanghai", now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** `10月1日` / `Oct 1` for a YYYY-MM-DD date, read as a calendar date (no time zone shift). */
export function shortDate(date: string, locale: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * The holiday a due date rolled off, for 「原定 10月1日（国庆节）顺延」. chinese-days' table is loaded
 * only when some date did roll (it is ~10 KB gzipped); names are zh-CN or English.
 */
export async function holidayName(date: string, locale: string): Promise<string | undefined> {
  const { default: days } = await import("chinese-days");
  const name = days.getDayDetail(date)?.name;
  if (!name || days.isWorkday(date)) return undefined;
  const [en, zh] = name.split(",");
  return locale === "en" ? en : zh;
}
