import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { type Role, type RouteCase, securityMatrix } from "../support/security.js";
import { apiForSuite } from "../support/suite.js";
import { bureauWithChecklist } from "./fixture.js";

const api = apiForSuite();
let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
let routes: RouteCase[];
let tokens: Record<Role, string>;
let foreignAdmin: string;

beforeAll(async () => {
  b = await bureauWithChecklist(api);
  tokens = { admin: b.admin, secretary: b.sec1.accessToken, member: b.m1.accessToken };
  foreignAdmin = (await api.signUp()).accessToken;
  routes = [{ method: "POST", path: "/v1/schedules/preview", body: { year: 2026, preset: { id: "quarter_end" }, rollPolicy: "previous" }, minRole: "secretary", fields: ["year", "preset", "rollPolicy"] }];
});

securityMatrix(() => ({ api, routes, tokens, foreignAdmin }));

const preview = (body: unknown, token = b.admin) => api.post("/v1/schedules/preview", body, token);

// Fixed years throughout: 2026's holiday arrangement is official, 2031's is not published.
describe("the dates a schedule gives before the item exists", () => {
  it("a quarter's last day rolls back off weekends and holidays, saying what it rolled off", async () => {
    const reply = await preview({ year: 2026, preset: { id: "quarter_end" }, rollPolicy: "previous" });
    expect(reply.status).toBe(200);
    expect(reply.body.recurrence).toBe("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1");
    expect(reply.body.occurrences.map((o: any) => [o.nominalDate, o.dueDate, o.rolledFrom ?? null])).toEqual([
      ["2026-03-31", "2026-03-31", null],
      ["2026-06-30", "2026-06-30", null],
      ["2026-09-30", "2026-09-30", null],
      ["2026-12-31", "2026-12-31", null],
    ]);
    // 2026-10-01 is 国庆节 (1–7 October): a single date on it moves to the next working day, 10-08.
    const once = await preview({ year: 2026, dueDate: "2026-10-01" });
    expect(once.body.occurrences).toEqual([expect.objectContaining({ nominalDate: "2026-10-01", dueDate: "2026-10-08", rolledFrom: expect.stringContaining("国庆") })]);
    expect(once.body.calendar).toEqual({ provisionalYears: [], provisionalDates: [], notice: null });
  });

  it("follows this bureau's own days, and another bureau's days never reach it", async () => {
    const other = await api.signUp();
    expect((await api.put("/v1/calendar/days/2026-05-06", { kind: "holiday", name: "市庆" }, other.accessToken)).status).toBe(200);
    const mine = await preview({ year: 2026, dueDate: "2026-05-06" });
    expect(mine.body.occurrences[0]).toMatchObject({ dueDate: "2026-05-06" });
    const theirs = await preview({ year: 2026, dueDate: "2026-05-06" }, other.accessToken);
    expect(theirs.body.occurrences[0]).toMatchObject({ dueDate: "2026-05-07", rolledFrom: "市庆" });
  });

  it("a year without an official arrangement is computed from weekends and says so", async () => {
    const reply = await preview({ year: 2031, preset: { id: "month_last_working_day" } });
    expect(reply.status).toBe(200);
    expect(reply.body.occurrences).toHaveLength(12);
    expect(reply.body.calendar.provisionalYears).toEqual([2031]);
    expect(reply.body.calendar.notice).toMatch(/2031/);
  });

  it("refuses a bad schedule with a field path, in one language", async () => {
    const paths = async (body: unknown) => (expectProblem(await preview(body), 400).errors ?? []).map((e) => e.path);
    expect(await paths({ year: 2026, preset: { id: "monthly_day", day: 40 } })).toEqual(["preset.day"]);
    expect(await paths({ year: 2026, preset: { id: "no_such" } })).toEqual(["preset.id"]);
    expect(await paths({ year: 2026, preset: { id: "quarter_end" }, dueDate: "2026-01-01" })).toEqual(["recurrence"]);
    const english = await api.call("POST", "/v1/schedules/preview", { token: b.admin, body: { year: 2026 }, headers: { "accept-language": "en" } });
    expect(english.status).toBe(400);
    expect(JSON.stringify(english.body)).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
