/**
 * RFC 5545 RRULE expansion for one calendar year, with DTSTART on 1 January: the only use a
 * checklist makes of a rule. rrule-temporal did this and brought a whole Temporal polyfill into the
 * Worker (52 KiB of its 250 KiB gzipped budget, docs/adr/0009); this is the subset RRULE_PATTERN
 * admits, on date-only arithmetic, held to rrule-temporal's answers by test/node/rrule-oracle.test.ts.
 *
 * The steps are the RFC's (and python-dateutil's): walk the periods FREQ and INTERVAL make from
 * DTSTART, keep each period's days that pass every BYxxx part, apply BYSETPOS within the period,
 * drop what falls before DTSTART, and stop at COUNT.
 */

const FREQS = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY"] as const;
type Freq = (typeof FREQS)[number];
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** A rule the expansion cannot use; the caller turns it into the API's bilingual problem. */
export class RRuleError extends Error {}

interface Rule {
  freq: Freq;
  interval: number;
  count?: number;
  byMonth?: number[];
  byMonthDay?: number[];
  /** Weekdays 0 = Monday, with an ordinal (1, -1, …) or 0 for every one. */
  byDay?: { day: number; n: number }[];
  bySetPos?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  wkst: number;
}

const ints = (value: string, key: string, ok: (n: number) => boolean) =>
  value.split(",").map((token) => {
    const n = Number(token);
    if (!/^[+-]?\d{1,3}$/.test(token) || !ok(n)) throw new RRuleError(`${key}=${value}`);
    return n;
  });

/** A part that takes one number (INTERVAL, COUNT). */
const one = (value: string, key: string) => {
  const [n, ...more] = ints(value, key, (x) => x >= 1);
  if (n === undefined || more.length) throw new RRuleError(`${key}=${value}`);
  return n;
};

/** Reads the rule's parts (names and values upper-case, as RRULE_PATTERN has made them). */
export function parseRRule(text: string): Rule {
  const parts = new Map(text.replace(/^RRULE:/, "").split(";").map((p) => p.split("=") as [string, string]));
  const freq = parts.get("FREQ") as Freq;
  if (!FREQS.includes(freq)) throw new RRuleError(`FREQ=${freq}`);
  const weekday = (token: string) => {
    const i = WEEKDAYS.indexOf(token);
    if (i < 0) throw new RRuleError(token);
    return i;
  };
  const rule: Rule = { freq, interval: 1, wkst: 0 };
  for (const [key, value] of parts) {
    if (key === "INTERVAL") rule.interval = one(value, key);
    else if (key === "COUNT") rule.count = one(value, key);
    else if (key === "BYMONTH") rule.byMonth = ints(value, key, (n) => n >= 1 && n <= 12);
    else if (key === "BYMONTHDAY") rule.byMonthDay = ints(value, key, (n) => n !== 0 && Math.abs(n) <= 31);
    else if (key === "BYYEARDAY") rule.byYearDay = ints(value, key, (n) => n !== 0 && Math.abs(n) <= 366);
    else if (key === "BYWEEKNO") rule.byWeekNo = ints(value, key, (n) => n !== 0 && Math.abs(n) <= 53);
    else if (key === "BYSETPOS") rule.bySetPos = ints(value, key, (n) => n !== 0 && Math.abs(n) <= 366);
    else if (key === "WKST") rule.wkst = weekday(value);
    else if (key === "BYDAY")
      rule.byDay = value.split(",").map((token) => {
        const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(token);
        const n = m?.[1] ? Number(m[1]) : 0;
        if (!m || Math.abs(n) > 53 || (m[1] && n === 0)) throw new RRuleError(`BYDAY=${value}`);
        return { day: weekday(m[2]!), n };
      });
    else if (key !== "FREQ") throw new RRuleError(key);
  }
  // RFC 5545 §3.3.10: the combinations it leaves undefined are refused rather than guessed at.
  const ordinals = rule.byDay?.some((d) => d.n !== 0);
  if (ordinals && (freq === "WEEKLY" || freq === "DAILY" || (freq === "YEARLY" && rule.byWeekNo))) throw new RRuleError("BYDAY");
  if (rule.byMonthDay && freq === "WEEKLY") throw new RRuleError("BYMONTHDAY");
  if (rule.byYearDay && freq !== "YEARLY") throw new RRuleError("BYYEARDAY");
  // Where rrule-temporal (the reference, test/node/rrule-oracle.test.ts) departs from the RFC's
  // intersection of BYxxx parts, we refuse rather than pick an answer a client could not predict:
  // BYYEARDAY with another BYxxx part, and a yearly ordinal BYDAY (-1FR) with BYMONTHDAY.
  if (rule.byYearDay && (rule.byMonth || rule.byMonthDay || rule.byDay || rule.byWeekNo)) throw new RRuleError("BYYEARDAY");
  if (ordinals && freq === "YEARLY" && rule.byMonthDay) throw new RRuleError("BYDAY");
  if (rule.byWeekNo && freq !== "YEARLY") throw new RRuleError("BYWEEKNO");
  if (rule.bySetPos && !(rule.byMonth || rule.byMonthDay || rule.byDay || rule.byYearDay || rule.byWeekNo)) throw new RRuleError("BYSETPOS");
  return rule;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Weekday of a UTC midnight, 0 = Monday. */
const weekdayOf = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
const daysInYear = (year: number) => (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY;

/** The days of a year that lie in the weeks BYWEEKNO names (weeks start on WKST; week 1 has ≥ 4 days of the year). */
function weekNumberDays(year: number, wkst: number, weeks: number[]): Set<number> {
  const jan1 = Date.UTC(year, 0, 1);
  // The first day of week 1: the WKST on or before 4 January.
  const jan4 = jan1 + 3 * DAY;
  const week1 = jan4 - ((weekdayOf(jan4) - wkst + 7) % 7) * DAY;
  const nextWeek1 = (() => {
    const j4 = Date.UTC(year + 1, 0, 4);
    return j4 - ((weekdayOf(j4) - wkst + 7) % 7) * DAY;
  })();
  const count = Math.round((nextWeek1 - week1) / (7 * DAY));
  const days = new Set<number>();
  for (const w of weeks) {
    const n = w > 0 ? w : count + w + 1;
    if (n < 1 || n > count) continue;
    for (let i = 0; i < 7; i++) days.add(week1 + ((n - 1) * 7 + i) * DAY);
  }
  return days;
}

/** Whether a day passes every BYxxx filter of the rule (ordinal weekdays are judged per period). */
function passes(rule: Rule, ms: number, weekNo: Map<number, Set<number>>): boolean {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  if (rule.byMonth && !rule.byMonth.includes(month)) return false;
  if (rule.byMonthDay) {
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const day = d.getUTCDate();
    if (!rule.byMonthDay.some((n) => (n > 0 ? n === day : length + n + 1 === day))) return false;
  }
  if (rule.byYearDay) {
    const length = daysInYear(year);
    const day = (ms - Date.UTC(year, 0, 1)) / DAY + 1;
    if (!rule.byYearDay.some((n) => (n > 0 ? n === day : length + n + 1 === day))) return false;
  }
  if (rule.byWeekNo) {
    // A day at the year's end can lie in next year's week 1. (The first days of a year that belong
    // to the last week of the year before are not taken: rrule-temporal does not, and neither do we.)
    const inWeeks = [year, year + 1].some((y) => {
      if (!weekNo.has(y)) weekNo.set(y, weekNumberDays(y, rule.wkst, rule.byWeekNo!));
      return weekNo.get(y)!.has(ms);
    });
    if (!inWeeks) return false;
  }
  // Ordinal weekdays (2MO) are chosen per period by the caller; plain ones filter here.
  if (rule.byDay?.every((x) => x.n === 0) && !rule.byDay.some((x) => x.day === weekdayOf(ms))) return false;
  return true;
}

/** The days an ordinal BYDAY (2MO, -1FR) picks within [first, last]. */
function ordinalDays(rule: Rule, first: number, last: number): Set<number> {
  const days = new Set<number>();
  for (const { day, n } of rule.byDay ?? []) {
    if (n === 0) continue;
    const at = n > 0 ? first + ((day - weekdayOf(first) + 7) % 7) * DAY + (n - 1) * 7 * DAY : last - ((weekdayOf(last) - day + 7) % 7) * DAY + (n + 1) * 7 * DAY;
    if (at >= first && at <= last) days.add(at);
  }
  return days;
}

/** The periods (first and last day) FREQ and INTERVAL make from 1 January that touch the year. */
function periods(rule: Rule, year: number): [number, number][] {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year, 11, 31);
  const out: [number, number][] = [];
  if (rule.freq === "YEARLY") out.push([start, end]);
  else if (rule.freq === "MONTHLY") for (let m = 0; m < 12; m += rule.interval) out.push([Date.UTC(year, m, 1), Date.UTC(year, m + 1, 0)]);
  else if (rule.freq === "WEEKLY") {
    const first = start - ((weekdayOf(start) - rule.wkst + 7) % 7) * DAY;
    for (let w = first; w <= end; w += 7 * rule.interval * DAY) out.push([w, w + 6 * DAY]);
  } else for (let d = start; d <= end; d += rule.interval * DAY) out.push([d, d]);
  return out;
}

/** The rule's dates within `year` (YYYY-MM-DD, ascending), DTSTART being 1 January of that year. */
export function expandRRule(text: string, year: number): string[] {
  const rule = parseRRule(text);
  const start = Date.UTC(year, 0, 1);
  if (!(rule.byWeekNo || rule.byYearDay || rule.byMonthDay || rule.byDay)) {
    // Parts left unsaid come from DTSTART, 1 January: its day of the month, its month, its weekday.
    if (rule.freq === "YEARLY") rule.byMonth ??= [1];
    if (rule.freq === "YEARLY" || rule.freq === "MONTHLY") rule.byMonthDay = [1];
    if (rule.freq === "WEEKLY") rule.byDay = [{ day: weekdayOf(start), n: 0 }];
  }
  // As rrule-temporal reads BYWEEKNO alone: DTSTART's weekday in each week named.
  if (rule.byWeekNo && !(rule.byDay || rule.byMonthDay || rule.byYearDay)) rule.byDay = [{ day: weekdayOf(start), n: 0 }];
  const end = Date.UTC(year, 11, 31);
  const weekNo = new Map<number, Set<number>>();
  const hasOrdinals = rule.byDay?.some((x) => x.n !== 0);
  const out: number[] = [];
  for (const [first, last] of periods(rule, year)) {
    // Ordinal weekdays count within the month (MONTHLY, or YEARLY with BYMONTH) or the year.
    let chosen: Set<number> | undefined;
    if (hasOrdinals) {
      chosen = new Set();
      const spans: [number, number][] = rule.freq === "YEARLY" && rule.byMonth ? rule.byMonth.map((m) => [Date.UTC(year, m - 1, 1), Date.UTC(year, m, 0)]) : [[first, last]];
      for (const [a, b] of spans) for (const d of ordinalDays(rule, a, b)) chosen.add(d);
    }
    const days: number[] = [];
    for (let d = first; d <= last; d += DAY) {
      if (!passes(rule, d, weekNo)) continue;
      if (chosen && !chosen.has(d) && !rule.byDay!.some((x) => x.n === 0 && x.day === weekdayOf(d))) continue; // 1MO,FR: the first Monday and every Friday
      days.push(d);
    }
    const picked = rule.bySetPos ? [...new Set(rule.bySetPos.map((p) => days[p > 0 ? p - 1 : days.length + p]).filter((d): d is number => d !== undefined))].sort((a, b) => a - b) : days;
    for (const d of picked) if (d >= start) out.push(d);
    if (rule.count !== undefined && out.length >= rule.count) break;
  }
  return out
    .slice(0, rule.count ?? out.length)
    .filter((d) => d <= end)
    .map(iso);
}
