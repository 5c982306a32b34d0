import { describe, expect, it } from "vitest";
import { chineseDaysCalendar } from "../../src/calendar/chinese-days-seed.js";
import { WorkCalendar } from "../../src/calendar/work-calendar.js";
import { localDate, zonedInstant } from "../../src/calendar/zoned.js";

const national = chineseDaysCalendar();
const cal = new WorkCalendar(national);

describe("China's working-day calendar", () => {
  it("knows the 2026 National Day holiday and its make-up Saturday", () => {
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(cal.holidayName("2026-10-01")).toBe("国庆节");
    expect(cal.isWorkingDay("2026-10-08")).toBe(true);
    expect(cal.isWorkingDay("2026-10-10")).toBe(true); // Saturday, 调休
    expect(cal.isWorkingDay("2026-01-04")).toBe(true); // Sunday, 调休
    expect(cal.isWorkingDay("2026-10-11")).toBe(false); // an ordinary Sunday
  });

  it("rolls due dates by policy", () => {
    expect(cal.rollToWorkingDay("2026-10-03", "next")).toBe("2026-10-08");
    expect(cal.rollToWorkingDay("2026-10-03", "previous")).toBe("2026-09-30");
    expect(cal.rollToWorkingDay("2026-10-03", "none")).toBe("2026-10-03");
    expect(cal.rollToWorkingDay("2026-10-10", "next")).toBe("2026-10-10");
  });

  it("counts working days across the holiday", () => {
    expect(cal.addWorkingDays("2026-09-30", 1)).toBe("2026-10-08");
    expect(cal.addWorkingDays("2026-09-30", 3)).toBe("2026-10-10");
    expect(cal.workingDaysBetween("2026-09-30", "2026-10-10")).toBe(3);
  });

  it("computes a year without official data weekends-only and says it is provisional, instead of refusing", () => {
    expect(cal.isOfficial(2026)).toBe(true);
    expect(cal.isOfficial(2099)).toBe(false);
    expect(cal.isWorkingDay("2099-05-01")).toBe(true); // a Friday: no Labour Day known yet
    expect(cal.isWorkingDay("2099-05-02")).toBe(false); // a Saturday
    expect(cal.provisionalBetween("2099-05-01")).toBe(true);
    expect(cal.provisionalBetween("2026-12-30", "2026-12-31")).toBe(false);
    expect(cal.provisionalBetween("2026-12-31", "2099-01-04")).toBe(true);
  });

  it("puts a tenant's own days on top of the national calendar", () => {
    const mine = new WorkCalendar(national, [
      { date: "2026-10-09", kind: "holiday", name: "市庆" },
      { date: "2026-10-11", kind: "workday", name: "局内调休" },
    ]);
    expect(mine.isWorkingDay("2026-10-09")).toBe(false);
    expect(mine.holidayName("2026-10-09")).toBe("市庆");
    expect(mine.rollToWorkingDay("2026-10-03", "next")).toBe("2026-10-08");
    expect(mine.rollToWorkingDay("2026-10-09", "next")).toBe("2026-10-10");
    expect(mine.isWorkingDay("2026-10-11")).toBe(true);
    // The national calendar itself is untouched for everyone else.
    expect(cal.isWorkingDay("2026-10-09")).toBe(true);
  });

  it("stops rolling after two months of non-working days rather than hang", () => {
    const everyDayOff = new WorkCalendar(national, Array.from({ length: 120 }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), kind: "holiday" as const, name: "假" })));
    expect(everyDayOff.rollToWorkingDay("2026-01-01", "next")).toBe("2026-03-04");
  });
});

describe("tenant-local dates", () => {
  it("map instants to Asia/Shanghai dates and back", () => {
    expect(localDate(new Date("2026-10-31T16:30:00Z"), "Asia/Shanghai")).toBe("2026-11-01");
    expect(zonedInstant("2026-11-01", "00:30:00", "Asia/Shanghai").toISOString()).toBe("2026-10-31T16:30:00.000Z");
    expect(zonedInstant("2026-07-01", "09:00:00", "America/New_York").toISOString()).toBe("2026-07-01T13:00:00.000Z");
  });
});
