import { addDays, lastDayOfMonth } from "../../calendar/days.js";
import type { RollPolicy, WorkCalendar } from "../../calendar/work-calendar.js";
import { expandRRule } from "./rrule.js";

export const MAX_OCCURRENCES_PER_YEAR = 366;
/**
 * The RRULE parts we accept: enough for 每月/每季/每半年/每年 time nodes; no DTSTART (the checklist's
 * year sets it). `X-WORKDAYS=CN` is our extension (RFC 5545 allows x-name parts): the dates are China's
 * working days (holidays skipped, 调休 Saturdays included): `FREQ=DAILY;X-WORKDAYS=CN` is 每个工作日,
 * `FREQ=MONTHLY;BYSETPOS=-1;X-WORKDAYS=CN` 每月最后一个工作日.
 */
export const RRULE_PATTERN = /^(RRULE:)?FREQ=(YEARLY|MONTHLY|WEEKLY|DAILY)(;(INTERVAL|COUNT|BYMONTH|BYMONTHDAY|BYDAY|BYSETPOS|BYYEARDAY|BYWEEKNO|WKST|X-WORKDAYS)=[A-Z0-9,+-]{1,60}){0,8}$/;

export interface Occurrence {
  /** The recurrence's own date. */
  nominalDate: string;
  /** The deadline after rolling off holidays and weekends. */
  dueDate: string;
  /** Why it moved, when it did: e.g. "国庆节". */
  rolledFrom?: string;
  /** The first day of the period this occurrence closes: the day after the previous one, or 1 January. */
  periodStart: string;
  /** The date rests on a year whose official holiday arrangement has not been published (weekends only so far). */
  calendarProvisional?: true;
}

/** A rule the engine cannot use; the message is "中文 / English" so the problem shows the reader's half. */
export class RecurrenceError extends Error {}

const parts = (rule: string) => new Map(rule.replace(/^RRULE:/, "").split(";").map((p) => p.split("=") as [string, string]));

/** Whether the rule's dates are China's working days (so they depend on the calendar whatever the roll policy). */
export const isWorkdayRule = (rule: string | null) => Boolean(rule && parts(rule).get("X-WORKDAYS"));

/**
 * The nominal dates a rule produces within a calendar year. They are calendar dates in the tenant's
 * zone; no time of day is involved, so the zone does not enter the arithmetic.
 */
export function nominalDates(rule: string, year: number, calendar: WorkCalendar): string[] {
  if (!RRULE_PATTERN.test(rule)) throw new RecurrenceError("不支持的重复规则 / Unsupported RRULE");
  const rules = parts(rule);
  const dates = rules.has("X-WORKDAYS") ? workdayDates(rules, year, calendar) : rruleDates(rule, year);
  const inYear = [...new Set(dates.filter((d) => d.startsWith(`${year}-`)))].sort();
  if (inYear.length === 0) throw new RecurrenceError(`该规则在清单年度（${year} 年）内没有日期 / The rule has no date in the checklist's year (${year})`);
  if (inYear.length > MAX_OCCURRENCES_PER_YEAR) throw new RecurrenceError("规则每天多于一个日期 / More than one date a day");
  return inYear;
}

function rruleDates(rule: string, year: number): string[] {
  try {
    return expandRRule(rule, year);
  } catch (error) {
    const part = error instanceof Error ? error.message : String(error);
    throw new RecurrenceError(`无法使用重复规则中的 ${part}（取值超出范围，或与其他部分的组合在 RFC 5545 中没有定义） / The rule's ${part} cannot be used (a value out of range, or a combination RFC 5545 leaves undefined)`);
  }
}

const workdayRuleMessage = "X-WORKDAYS=CN 只能用于 FREQ=DAILY（每个工作日）或 FREQ=MONTHLY;BYSETPOS=n（每月第 n 个或倒数第 n 个工作日，可加 BYMONTH） / X-WORKDAYS=CN works only with FREQ=DAILY (every working day) or FREQ=MONTHLY;BYSETPOS=n (the nth or nth-last working day of the month, optionally with BYMONTH)";

/** China's working days of the year (DAILY), or the n-th working day of each month (MONTHLY + BYSETPOS). */
function workdayDates(rules: Map<string, string>, year: number, calendar: WorkCalendar): string[] {
  const freq = rules.get("FREQ");
  const allowed = freq === "DAILY" ? ["FREQ", "X-WORKDAYS"] : ["FREQ", "X-WORKDAYS", "BYSETPOS", "BYMONTH"];
  if (rules.get("X-WORKDAYS") !== "CN" || (freq !== "DAILY" && freq !== "MONTHLY") || [...rules.keys()].some((k) => !allowed.includes(k))) throw new RecurrenceError(workdayRuleMessage);
  const days: string[] = [];
  if (freq === "DAILY") {
    for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = addDays(d, 1)) if (calendar.isWorkingDay(d)) days.push(d);
    return days;
  }
  const position = Number(rules.get("BYSETPOS"));
  if (!Number.isInteger(position) || position === 0 || Math.abs(position) > 23) throw new RecurrenceError(workdayRuleMessage);
  const months = rules.has("BYMONTH") ? rules.get("BYMONTH")!.split(",").map(Number) : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (months.some((m) => !Number.isInteger(m) || m < 1 || m > 12)) throw new RecurrenceError(workdayRuleMessage);
  for (const month of months) {
    const working: string[] = [];
    const last = lastDayOfMonth(year, month);
    for (let d = last.slice(0, 8) + "01"; d <= last; d = addDays(d, 1)) if (calendar.isWorkingDay(d)) working.push(d);
    const pick = position > 0 ? working[position - 1] : working[working.length + position];
    if (pick) days.push(pick);
  }
  return days;
}

/**
 * Occurrences with their rolled due dates and periods. A year without official holiday data is not
 * refused: its dates are computed weekends-only and flagged `calendarProvisional`.
 */
export function occurrences(item: { recurrence: string | null; dueDate: string | null; rollPolicy: RollPolicy }, year: number, calendar: WorkCalendar): Occurrence[] {
  const dates = item.recurrence ? nominalDates(item.recurrence, year, calendar) : item.dueDate ? [item.dueDate] : [];
  const workdayRule = isWorkdayRule(item.recurrence);
  let periodStart = `${year}-01-01`;
  return dates.map((nominalDate) => {
    const dueDate = calendar.rollToWorkingDay(nominalDate, item.rollPolicy);
    // A date depends on the calendar when the rule picks working days or the roll asked which days work.
    const provisional = (workdayRule || item.rollPolicy !== "none") && calendar.provisionalBetween(nominalDate, dueDate);
    const occurrence: Occurrence = {
      nominalDate,
      dueDate,
      periodStart,
      ...(dueDate !== nominalDate ? { rolledFrom: calendar.holidayName(nominalDate) ?? "周末" } : {}),
      ...(provisional ? { calendarProvisional: true as const } : {}),
    };
    periodStart = addDays(nominalDate, 1);
    return occurrence;
  });
}
