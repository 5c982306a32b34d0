import fc from "fast-check";
import { RRuleTemporal } from "rrule-temporal";
import { describe, expect, it } from "vitest";
import { expandRRule, RRuleError } from "../../src/modules/checklists/rrule.js";
import { RRULE_PATTERN } from "../../src/modules/checklists/recurrence.js";

/**
 * Our RRULE expansion (rrule.ts, written to keep a Temporal polyfill out of the Worker) must give
 * the dates rrule-temporal 2.2.8 gives, as the checklists used it: DTSTART 09:00 on 1 January in
 * the tenant's zone, the dates of that year. rrule-temporal stays a devDependency as the reference.
 */
function reference(rule: string, year: number): string[] {
  const rr = new RRuleTemporal({ rruleString: `DTSTART;TZID=Asia/Shanghai:${year}0101T090000\nRRULE:${rule}`, maxIterations: 5000 });
  return rr
    .between(new Date(Date.UTC(year - 1, 11, 30)), new Date(Date.UTC(year + 1, 0, 2)), true)
    .map((d) => d.toPlainDate().toString())
    .filter((d) => d.startsWith(`${year}-`));
}

const days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const list = <T>(arb: fc.Arbitrary<T>) => fc.uniqueArray(arb, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(","));
const signed = (max: number) => fc.integer({ min: -max, max }).filter((n) => n !== 0);
const plainDays = list(fc.constantFrom(...days));
const ordinalDays = list(fc.tuple(signed(5), fc.constantFrom(...days)).map(([n, d]) => `${n}${d}`));

/** Rules RFC 5545 defines (the combinations it leaves undefined are refused by both). */
const rules = fc.oneof(
  fc.record({
    FREQ: fc.constant("YEARLY"),
    BYMONTH: fc.option(list(fc.integer({ min: 1, max: 12 })), { nil: undefined }),
    BYMONTHDAY: fc.option(list(signed(31)), { nil: undefined }),
    BYDAY: fc.option(fc.oneof(plainDays, ordinalDays), { nil: undefined }),
    BYSETPOS: fc.option(list(signed(10)), { nil: undefined }),
    COUNT: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  }),
  fc.record({
    FREQ: fc.constant("YEARLY"),
    BYYEARDAY: fc.option(list(signed(366)), { nil: undefined }),
    BYWEEKNO: fc.option(list(signed(53)), { nil: undefined }),
    BYDAY: fc.option(plainDays, { nil: undefined }),
    WKST: fc.option(fc.constantFrom(...days), { nil: undefined }),
  }),
  fc.record({
    FREQ: fc.constant("MONTHLY"),
    INTERVAL: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    BYMONTH: fc.option(list(fc.integer({ min: 1, max: 12 })), { nil: undefined }),
    BYMONTHDAY: fc.option(list(signed(31)), { nil: undefined }),
    BYDAY: fc.option(fc.oneof(plainDays, ordinalDays), { nil: undefined }),
    BYSETPOS: fc.option(list(signed(6)), { nil: undefined }),
    COUNT: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  }),
  fc.record({
    FREQ: fc.constant("WEEKLY"),
    INTERVAL: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    BYMONTH: fc.option(list(fc.integer({ min: 1, max: 12 })), { nil: undefined }),
    BYDAY: fc.option(plainDays, { nil: undefined }),
    BYSETPOS: fc.option(list(signed(3)), { nil: undefined }),
    WKST: fc.option(fc.constantFrom(...days), { nil: undefined }),
  }),
  fc.record({
    FREQ: fc.constant("DAILY"),
    INTERVAL: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    BYMONTH: fc.option(list(fc.integer({ min: 1, max: 12 })), { nil: undefined }),
    BYMONTHDAY: fc.option(list(signed(31)), { nil: undefined }),
    BYDAY: fc.option(plainDays, { nil: undefined }),
    COUNT: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  }),
).map((parts) =>
  Object.entries(parts)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(";"),
);

const ours = (rule: string, year: number) => {
  try {
    return expandRRule(rule, year);
  } catch (error) {
    if (error instanceof RRuleError) return "refused";
    throw error;
  }
};

describe("RRULE expansion agrees with rrule-temporal", () => {
  it("on the rules the presets and the DOMAIN examples use", () => {
    const examples = [
      "FREQ=MONTHLY;BYMONTHDAY=25",
      "FREQ=MONTHLY;BYMONTHDAY=-1",
      "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
      "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1",
      "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1",
      "FREQ=WEEKLY;BYDAY=FR",
      "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
      "FREQ=YEARLY;BYMONTH=3;BYDAY=2MO",
      "FREQ=MONTHLY;INTERVAL=3",
      "FREQ=DAILY;INTERVAL=10;COUNT=5",
    ];
    for (const year of [2026, 2027, 2028, 2030]) for (const rule of examples) expect(ours(rule, year), `${rule} in ${year}`).toEqual(reference(rule, year));
  });

  it("on any rule RRULE_PATTERN admits, in any year", () => {
    fc.assert(
      fc.property(rules, fc.integer({ min: 2020, max: 2040 }), (rule, year) => {
        expect(RRULE_PATTERN.test(rule)).toBe(true);
        const mine = ours(rule, year);
        if (mine === "refused") return; // an RFC-undefined combination: a 400, never a guess
        expect(mine, `${rule} in ${year}`).toEqual(reference(rule, year));
      }),
      { numRuns: Number(process.env.RRULE_RUNS ?? 500) },
    );
  });

  it("refuses what the RFC leaves undefined and values out of range", () => {
    for (const rule of ["FREQ=WEEKLY;BYDAY=1MO", "FREQ=DAILY;BYDAY=-1FR", "FREQ=WEEKLY;BYMONTHDAY=3", "FREQ=MONTHLY;BYYEARDAY=100", "FREQ=MONTHLY;BYWEEKNO=3", "FREQ=MONTHLY;BYSETPOS=1", "FREQ=MONTHLY;BYMONTH=13", "FREQ=MONTHLY;BYMONTHDAY=0", "FREQ=MONTHLY;BYDAY=XX", "FREQ=MONTHLY;INTERVAL=0"])
      expect(ours(rule, 2027), rule).toBe("refused");
  });
});
