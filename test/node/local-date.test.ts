import { describe, expect, it } from "vitest";
import { localDate } from "../../src/calendar/zoned.js";

const fresh = (instant: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);

describe("localDate (remembers each zone's date for the minute, issue 19)", () => {
  it("turns the date at local midnight to the second, in whole-hour, 45-minute and pre-1972 odd-second zones", () => {
    const cases: [string, number][] = [
      ["Asia/Shanghai", Date.UTC(2026, 11, 31, 15, 58, 0)], // 2027-01-01 00:00 +08:00 two minutes later
      ["Asia/Kathmandu", Date.UTC(2026, 11, 23, 18, 13, 0)], // +05:45: midnight at 18:15 UTC
      ["Africa/Monrovia", Date.UTC(1971, 5, 1, 0, 42, 0)], // −0:44:30 until 1972: midnight at 00:44:30 UTC
    ];
    for (const [zone, start] of cases) {
      const seen = new Set<string>();
      for (let ms = start; ms < start + 4 * 60_000; ms += 1_500) {
        const instant = new Date(ms);
        expect(localDate(instant, zone), `${zone} at ${instant.toISOString()}`).toBe(fresh(instant, zone));
        seen.add(localDate(instant, zone));
      }
      expect(seen.size, zone).toBe(2);
    }
  });

  it("answers each instant on its own, whatever came before (earlier, later, another zone)", () => {
    const a = new Date(Date.UTC(2026, 11, 31, 15, 59, 59));
    const b = new Date(Date.UTC(2026, 11, 31, 16, 0, 0));
    expect([localDate(b, "Asia/Shanghai"), localDate(a, "Asia/Shanghai"), localDate(a, "UTC"), localDate(b, "Asia/Shanghai")]).toEqual(["2027-01-01", "2026-12-31", "2026-12-31", "2027-01-01"]);
    expect(() => localDate(new Date(Number.NaN), "Asia/Shanghai")).toThrow(RangeError);
  });
});
