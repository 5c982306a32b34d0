import * as v from "valibot";

/** `2026`, `2026-H1`, `2026-Q3` or `2026-11`: the ledger's 年, 半年, 季, 月. */
export const periodField = v.pipe(v.string(), v.regex(/^\d{4}(-(H[12]|Q[1-4]|(0[1-9]|1[0-2])))?$/, "周期格式如 2026、2026-H1、2026-Q3、2026-11 / A period such as 2026, 2026-H1, 2026-Q3 or 2026-11"));

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The first and last dates of a period (inclusive). */
export function periodRange(period: string): { start: string; end: string } {
  const year = Number(period.slice(0, 4));
  const part = period.slice(5);
  let from = 1;
  let to = 12;
  if (part.startsWith("H")) [from, to] = part === "H1" ? [1, 6] : [7, 12];
  else if (part.startsWith("Q")) {
    const q = Number(part.slice(1));
    [from, to] = [3 * q - 2, 3 * q];
  } else if (part) [from, to] = [Number(part), Number(part)];
  return { start: `${year}-${pad(from)}-01`, end: `${year}-${pad(to)}-${pad(lastDay(year, to))}` };
}
