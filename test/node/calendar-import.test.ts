import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CalendarFileError, parseCalendarIcs, parseCalendarJson } from "../../src/calendar/import-file.js";
import { runCalendarCli } from "../../src/platform/node/calendar-cli.js";
import { type LibsqlServer, startLibsqlServer } from "../../tools/libsql-server/server.js";

// The 2027 files are test fixtures, NOT the official arrangement (see their `source`).
const FIXTURE_JSON = new URL("../calendar/fixtures/2027-NOT-OFFICIAL.json", import.meta.url).pathname;
const FIXTURE_ICS = new URL("../calendar/fixtures/2027-NOT-OFFICIAL.ics", import.meta.url).pathname;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "qingdan-calendar-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCalendarCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env, now: () => new Date("2026-12-10T02:00:00Z") });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CalendarFileError) return error.problems;
    throw error;
  }
  throw new Error("not refused");
};

describe("calendar files", () => {
  it("reads the JSON shape: ranges and single dates, holidays and make-up working days", () => {
    const file = parseCalendarJson(`{"year": 2027, "source": "s", "holidays": [{"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}], "workdays": [{"name": "国庆节", "date": "2027-10-09"}]}`);
    expect(file.days).toHaveLength(8);
    expect(file.days.at(-1)).toEqual({ date: "2027-10-09", kind: "workday", name: "国庆节" });
  });

  it("refuses a bad file whole, naming each line and reason", () => {
    const text = ['{ "year": 2027, "source": "测试",', '  "holidays": [', '    { "name": "国庆节", "from": "2027-10-01", "to": "2027-10-07" },', '    { "name": "中秋节", "date": "2027-02-30" },', '    { "name": "重复", "date": "2027-10-03" }', "  ],", '  "workdays": [{ "name": "国庆节", "date": "2027-10-08" }]', "}"].join("\n");
    expect(refusal(() => parseCalendarJson(text))).toEqual([
      { line: 4, reason: '"date" must be a real date as YYYY-MM-DD, not "2027-02-30"' },
      { line: 5, reason: "2027-10-03 is already given on line 3" },
      { line: 7, reason: "2027-10-08 is a weekday: a make-up working day (调休 班) falls on a weekend" },
    ]);
    expect(refusal(() => parseCalendarJson('{\n  "year": 2027,\n  "holidays": [\n    { "name": "元旦" "date": "2027-01-01" }\n]}'))).toEqual([{ line: 4, reason: 'not valid JSON: expected "}" but found """' }]);
    expect(refusal(() => parseCalendarJson('{"year": 2027, "source": "s", "holidays": [{"name": "x", "date": "2028-01-01"}], "extra": 1}')).map((p) => p.reason)).toEqual(['unknown field "extra"', "2028-01-01 is not in 2027"]);
  });

  it("reads an iCalendar file of all-day events: 休 and 补班 by their summary", () => {
    const file = parseCalendarIcs(`BEGIN:VCALENDAR\nX-WR-CALNAME:测试\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20271001\nDTEND;VALUE=DATE:20271003\nSUMMARY:国庆节 休\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20271009\nSUMMARY:国庆节补班\nEND:VEVENT\nEND:VCALENDAR\n`);
    expect(file).toEqual({
      year: 2027,
      source: "测试",
      days: [
        { date: "2027-10-01", kind: "holiday", name: "国庆节" },
        { date: "2027-10-02", kind: "holiday", name: "国庆节" },
        { date: "2027-10-09", kind: "workday", name: "国庆节" },
      ],
    });
    expect(refusal(() => parseCalendarIcs(`BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20271001T090000\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR`))).toEqual([
      { line: 2, reason: "DTSTART must be an all-day date (DTSTART;VALUE=DATE:YYYYMMDD)" },
      { line: 1, reason: "the file has no all-day events" },
    ]);
  });
});

describe("npm run calendar", () => {
  it("imports a year into a local control database and shows it; a bad file changes nothing", async () => {
    const db = `file:${join(dir, "control.db")}`;
    expect(await cli(["show", "2027", "--db", db])).toMatchObject({ code: 0, out: expect.stringContaining("2027: provisional") });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{ "year": 2027, "source": "x",\n  "holidays": [{ "name": "元旦", "date": "2027-13-01" }] }');
    const refused = await cli(["import", bad, "--db", db]);
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining("line 2: \"date\" must be a real date") });
    expect((await cli(["show", "2027", "--db", db])).out).toContain("2027: provisional");

    const imported = await cli(["import", FIXTURE_JSON, "--db", db]);
    expect(imported).toMatchObject({ code: 0, out: expect.stringContaining("imported 2027: 28 holiday dates, 4 make-up working days") });
    const shown = await cli(["show", "2027", "--db", db]);
    expect(shown.out).toContain("2027: official — TEST FIXTURE — NOT the official 2027 arrangement");
    expect(shown.out).toContain("2027-10-09 周六 班 国庆节");
    // Years chinese-days knows are there too, seeded as the app seeds them.
    expect((await cli(["show", "2026", "--db", db])).out).toMatch(/2026: official — chinese-days [\d.]+/);
    // Importing again replaces the year (here from the iCalendar file, which has fewer days).
    expect((await cli(["import", FIXTURE_ICS, "--db", db])).out).toContain("replaced 2027: 10 holiday dates, 1 make-up working days");
    expect(await cli(["nonsense"])).toMatchObject({ code: 2, err: expect.stringContaining("usage:") });
  });

  it("imports into a libSQL control database over HTTP (as a Workers deployment's Turso one)", async () => {
    const server: LibsqlServer = await startLibsqlServer({ dataDir: join(dir, "libsql"), authToken: "cli-test-token" });
    try {
      server.createDatabase("control");
      const env = { CONTROL_DB_URL: `${server.url}/t/control/`, CONTROL_DB_AUTH_TOKEN: "cli-test-token" };
      expect((await cli(["import", FIXTURE_JSON], env)).code).toBe(0);
      expect((await cli(["show", "2027"], env)).out).toContain("2027-02-20 周六 班 春节");
      expect(await cli(["show", "2027"], { ...env, CONTROL_DB_AUTH_TOKEN: "wrong" })).toMatchObject({ code: 1, err: expect.stringContaining("cannot reach the control database") });
    } finally {
      await server.close();
    }
  });
});
