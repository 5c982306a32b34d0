import { describe, expect, it } from "vitest";
import { addWorkingDays, CalendarNotCoveredError, holidayName, isWorkingDay, rollToWorkingDay, workingDaysBetween } from "../../src/calendar/china-workdays.js";
import { localDate, zonedInstant } from "../../src/calendar/zoned.js";

describe("China's working-day calendar", () => {
  it("knows the 2026 National Day holiday and its make-up Saturday", () => {
    for (let d = 1; d <= 7; d++) expect(isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(holidayName("2026-10-01")).toBe("国庆节");
    expect(isWorkingDay("2026-10-08")).toBe(true);
    expect(isWorkingDay("2026-10-10")).toBe(true); // Saturday, 调休
    expect(isWorkingDay("2026-01-04")).toBe(true); // Sunday, 调休
    expect(isWorkingDay("2026-10-11")).toBe(false); // an ordinary Sunday
  });

  it("rolls due dates by policy", () => {
    expect(rollToWorkingDay("2026-10-03", "next")).toBe("2026-10-08");
    expect(rollToWorkingDay("2026-10-03", "previous")).toBe("2026-09-30");
    expect(rollToWorkingDay("2026-10-03", "none")).toBe("2026-10-03");
    expect(rollToWorkingDay("2026-10-10", "next")).toBe("2026-10-10");
  });

  it("counts working days across the holiday", () => {
    expect(addWorkingDays("2026-09-30", 1)).toBe("2026-10-08");
    expect(addWorkingDays("2026-09-30", 3)).toBe("2026-10-10");
    expect(workingDaysBetween("2026-09-30", "2026-10-10")).toBe(3);
  });

  it("refuses a year the data does not cover instead of guessing", () => {
    expect(() => isWorkingDay("2099-05-01")).toThrow(CalendarNotCoveredError);
  });
});

describe("tenant-local dates", () => {
  it("map instants to Asia/Shanghai dates and back", () => {
    expect(localDate(new Date("2026-10-31T16:30:00Z"), "Asia/Shanghai")).toBe("2026-11-01");
    expect(zonedInstant("2026-11-01", "00:30:00", "Asia/Shanghai").toISOString()).toBe("2026-10-31T16:30:00.000Z");
    expect(zonedInstant("2026-07-01", "09:00:00", "America/New_York").toISOString()).toBe("2026-07-01T13:00:00.000Z");
  });
});
