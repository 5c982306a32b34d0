import { addDays, isCalendarDate, isWeekend } from "./days.js";
import { JsonSyntaxError, parseJsonWithLines } from "./json-lines.js";
import type { CalendarDay } from "./work-calendar.js";

/**
 * One year of China's holiday arrangement as an operator loads it (`npm run calendar -- import`):
 *
 * ```json
 * { "year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
 *   "holidays": [{ "name": "元旦", "from": "2027-01-01", "to": "2027-01-03" }, { "name": "清明节", "date": "2027-04-05" }],
 *   "workdays": [{ "name": "春节", "date": "2027-02-20" }] }
 * ```
 * or an iCalendar file of all-day events (SUMMARY "春节" or "春节 休" for rest days, "春节 补班" / "上班" for
 * make-up working days; X-QINGDAN-KIND:holiday|workday settles it explicitly).
 */
export interface CalendarYearFile {
  year: number;
  source: string;
  days: CalendarDay[];
}

export interface FileProblem {
  line: number;
  reason: string;
}

/** A file refused whole: every problem found, each with its line. */
export class CalendarFileError extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.reason}`).join("\n"));
  }
}

const MAX_NAME = 40;

/** Checks a year's days: dates real and in the year, each date once, make-up days on weekends, names short. */
function checkYear(year: number, entries: { line: number; day: CalendarDay }[], problems: FileProblem[]): CalendarDay[] {
  const seen = new Map<string, number>();
  for (const { line, day } of entries) {
    if (!day.name || day.name.length > MAX_NAME) problems.push({ line, reason: `the name must be 1–${MAX_NAME} characters` });
    if (!day.date.startsWith(`${year}-`)) problems.push({ line, reason: `${day.date} is not in ${year}` });
    if (day.kind === "workday" && !isWeekend(day.date)) problems.push({ line, reason: `${day.date} is a weekday: a make-up working day (调休 班) falls on a weekend` });
    const before = seen.get(day.date);
    if (before !== undefined) problems.push({ line, reason: `${day.date} is already given on line ${before}` });
    else seen.set(day.date, line);
  }
  if (!entries.some((e) => e.day.kind === "holiday")) problems.push({ line: 1, reason: `no holidays for ${year}: a year's arrangement always has some` });
  return entries.map((e) => e.day).sort((a, b) => a.date.localeCompare(b.date));
}

export function parseCalendarJson(text: string): CalendarYearFile {
  let parsed: ReturnType<typeof parseJsonWithLines>;
  try {
    parsed = parseJsonWithLines(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new CalendarFileError([{ line: error.line, reason: `not valid JSON: ${error.message}` }]);
    throw error;
  }
  const { value, lineOf } = parsed;
  const problems: FileProblem[] = [];
  const at = (node: unknown) => (typeof node === "object" && node !== null ? (lineOf(node) ?? 1) : 1);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CalendarFileError([{ line: 1, reason: "the file must be one JSON object: { year, source, holidays, workdays }" }]);
  const root = value as Record<string, unknown>;
  for (const key of Object.keys(root)) if (!["year", "source", "holidays", "workdays"].includes(key)) problems.push({ line: at(root), reason: `unknown field "${key}"` });
  const year = root.year;
  if (typeof year !== "number" || !Number.isInteger(year) || year < 2000 || year > 2100) throw new CalendarFileError([...problems, { line: at(root), reason: '"year" must be a whole number from 2000 to 2100' }]);
  const source = root.source;
  if (typeof source !== "string" || !source.trim() || source.length > 300) problems.push({ line: at(root), reason: '"source" must say where the arrangement comes from (1–300 characters), e.g. the State Council notice' });
  const entries: { line: number; day: CalendarDay }[] = [];
  for (const kind of ["holidays", "workdays"] as const) {
    const list = root[kind] ?? [];
    if (!Array.isArray(list)) {
      problems.push({ line: at(root), reason: `"${kind}" must be a list` });
      continue;
    }
    for (const entry of list) {
      const line = at(entry);
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        problems.push({ line, reason: `each of "${kind}" must be { name, date } or { name, from, to }` });
        continue;
      }
      const e = entry as Record<string, unknown>;
      const unknown = Object.keys(e).filter((k) => !["name", "date", "from", "to"].includes(k));
      if (unknown.length) problems.push({ line, reason: `unknown field "${unknown[0]}"` });
      const name = typeof e.name === "string" ? e.name.trim() : "";
      const dates = datesOf(e, kind === "workdays", line, problems);
      for (const date of dates) entries.push({ line, day: { date, kind: kind === "holidays" ? "holiday" : "workday", name } });
    }
  }
  const days = checkYear(year, entries, problems);
  if (problems.length) throw new CalendarFileError(problems.sort((a, b) => a.line - b.line));
  return { year, source: (source as string).trim(), days };
}

function datesOf(e: Record<string, unknown>, single: boolean, line: number, problems: FileProblem[]): string[] {
  const isDate = (v: unknown): v is string => typeof v === "string" && isCalendarDate(v);
  if (e.date !== undefined) {
    if (e.from !== undefined || e.to !== undefined) return problems.push({ line, reason: 'give "date", or "from" and "to", not both' }), [];
    if (!isDate(e.date)) return problems.push({ line, reason: `"date" must be a real date as YYYY-MM-DD, not ${JSON.stringify(e.date)}` }), [];
    return [e.date];
  }
  if (single && (e.from !== undefined || e.to !== undefined)) return problems.push({ line, reason: 'a make-up working day is one "date"' }), [];
  if (!isDate(e.from) || !isDate(e.to)) return problems.push({ line, reason: '"date", or "from" and "to", must be real dates as YYYY-MM-DD' }), [];
  if (e.to < e.from) return problems.push({ line, reason: `"to" (${e.to}) is before "from" (${e.from})` }), [];
  const dates: string[] = [];
  for (let d = e.from; d <= e.to && dates.length <= 31; d = addDays(d, 1)) dates.push(d);
  if (dates.length > 31) return problems.push({ line, reason: "a holiday longer than 31 days is surely a mistake" }), [];
  return dates;
}

/** An iCalendar file of all-day events; `year` picks one year from a file that spans several. */
export function parseCalendarIcs(text: string, options: { year?: number; source?: string } = {}): CalendarYearFile {
  const problems: FileProblem[] = [];
  // Unfold continuation lines (RFC 5545 §3.1) and keep each logical line's first physical line number.
  const logical: { line: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if ((raw.startsWith(" ") || raw.startsWith("\t")) && logical.length) logical[logical.length - 1]!.text += raw.slice(1);
    else if (raw.trim()) logical.push({ line: index + 1, text: raw });
  });
  if (!logical[0] || logical[0].text.trim() !== "BEGIN:VCALENDAR") throw new CalendarFileError([{ line: 1, reason: "not an iCalendar file: it must begin with BEGIN:VCALENDAR" }]);
  let calendarName: string | undefined;
  const events: { line: number; fields: Map<string, { params: string; value: string }> }[] = [];
  let current: (typeof events)[number] | undefined;
  for (const { line, text: l } of logical) {
    const colon = l.indexOf(":");
    const head = colon < 0 ? l : l.slice(0, colon);
    const value = colon < 0 ? "" : l.slice(colon + 1).trim();
    const [name = "", ...params] = head.split(";");
    const key = name.toUpperCase();
    if (key === "BEGIN" && value === "VEVENT") current = { line, fields: new Map() };
    else if (key === "END" && value === "VEVENT") {
      if (current) events.push(current);
      current = undefined;
    } else if (current) current.fields.set(key, { params: params.join(";").toUpperCase(), value });
    else if (key === "X-WR-CALNAME") calendarName = value;
  }
  if (current) problems.push({ line: current.line, reason: "this VEVENT has no END:VEVENT" });
  const dated: { line: number; day: CalendarDay }[] = [];
  for (const event of events) {
    const start = icsDate(event.fields.get("DTSTART")?.value);
    if (!start) {
      problems.push({ line: event.line, reason: "DTSTART must be an all-day date (DTSTART;VALUE=DATE:YYYYMMDD)" });
      continue;
    }
    const endField = event.fields.get("DTEND")?.value;
    const end = endField ? icsDate(endField) : addDays(start, 1);
    if (!end || end <= start) {
      problems.push({ line: event.line, reason: "DTEND must be a date after DTSTART (it is exclusive)" });
      continue;
    }
    const summary = (event.fields.get("SUMMARY")?.value ?? "").replace(/\\,/g, ",").trim();
    const declared = event.fields.get("X-QINGDAN-KIND")?.value.toLowerCase();
    if (declared && declared !== "holiday" && declared !== "workday") problems.push({ line: event.line, reason: "X-QINGDAN-KIND must be holiday or workday" });
    const kind = declared === "workday" || (!declared && /补班|上班|调休上班|\b班$|^班/.test(summary)) ? "workday" : "holiday";
    const name = summary.replace(/[\s(（]*(补班|调休上班|上班|放假|假期|休息|休|班)[)）]?$/, "").trim() || summary;
    for (let d = start, n = 0; d < end && n < 32; d = addDays(d, 1), n++) dated.push({ line: event.line, day: { date: d, kind, name } });
  }
  const years = [...new Set(dated.map((d) => Number(d.day.date.slice(0, 4))))].sort();
  const year = options.year ?? (years.length === 1 ? years[0] : undefined);
  if (year === undefined) throw new CalendarFileError([...problems, { line: 1, reason: years.length ? `the file spans ${years.join(", ")}: say which year to import (--year)` : "the file has no all-day events" }]);
  const days = checkYear(year, dated.filter((d) => d.day.date.startsWith(`${year}-`)), problems);
  if (problems.length) throw new CalendarFileError(problems.sort((a, b) => a.line - b.line));
  const source = options.source ?? calendarName;
  if (!source) throw new CalendarFileError([{ line: 1, reason: "say where the arrangement comes from: --source \"…\" (the file has no X-WR-CALNAME)" }]);
  return { year, source, days };
}

function icsDate(value: string | undefined): string | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})$/.exec(value) : null;
  if (!m) return undefined;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  return isCalendarDate(date) ? date : undefined;
}
