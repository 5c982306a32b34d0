import { beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../support/api.js";
import { apiForSuite } from "../support/suite.js";
import { bureauWithChecklist } from "./fixture.js";

const api = apiForSuite();
let b: Awaited<ReturnType<typeof bureauWithChecklist>>;
let checklistId: string;

beforeAll(async () => {
  b = await bureauWithChecklist(api);
  checklistId = (await api.post("/v1/checklists", { title: "2026年度任务清单", kind: "task", year: 2026 }, b.admin)).body.id;
});

/** The nominal and due dates a preset gives for one member in 2026 (all fixed dates: 2026's arrangement is official). */
async function datesOf(preset: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const item = await api.post(`/v1/checklists/${checklistId}/items`, { module: "测试", title: `预设 ${preset.id}`, preset, assignees: [{ type: "member", memberId: b.m1.id }], ...extra }, b.admin);
  expect(item.status).toBe(201);
  const preview = await api.get(`/v1/checklists/${checklistId}/preview`, b.admin);
  const occurrences = preview.body.items.find((i: any) => i.itemId === item.body.id).occurrences as { nominalDate: string; dueDate: string }[];
  return { item: item.body, nominal: occurrences.map((o) => o.nominalDate), due: occurrences.map((o) => o.dueDate) };
}

describe("schedule presets", () => {
  it("are listed with Chinese and English labels, parameters and rules", async () => {
    const reply = await api.get("/v1/schedules/presets", b.m1.accessToken);
    expect(reply.status).toBe(200);
    const byId = new Map(reply.body.data.map((p: any) => [p.id, p]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(["monthly_day", "month_end", "month_last_working_day", "quarter_end", "half_year_end", "yearly_date", "weekly_day", "every_working_day"]));
    expect(byId.get("every_working_day")).toMatchObject({ label: { "zh-CN": "每个工作日", en: "Every working day" }, parameters: [], rule: "FREQ=DAILY;X-WORKDAYS=CN" });
    expect(byId.get("monthly_day")).toMatchObject({ parameters: [{ name: "day", type: "integer", min: 1, max: 31 }], rule: "FREQ=MONTHLY;BYMONTHDAY={day}" });
  });

  it("every working day follows China's calendar: none in the National Day holiday, one on each make-up Saturday", async () => {
    const { item, nominal, due } = await datesOf({ id: "every_working_day" });
    expect(item).toMatchObject({ preset: { id: "every_working_day" }, recurrence: "FREQ=DAILY;X-WORKDAYS=CN" });
    expect(nominal).toEqual(due); // nothing piles up on the day after a holiday
    expect(nominal.filter((d) => d >= "2026-09-28" && d <= "2026-10-12")).toEqual(["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]);
    expect(nominal).toContain("2026-02-28"); // a Saturday made a working day (春节 调休)
    expect(nominal).not.toContain("2026-03-01");
    expect(new Set(nominal).size).toBe(nominal.length);
  });

  it("quarter and half-year ends are the last days of March, June, September, December (not January and July)", async () => {
    expect((await datesOf({ id: "quarter_end" })).nominal).toEqual(["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]);
    expect((await datesOf({ id: "half_year_end" })).nominal).toEqual(["2026-06-30", "2026-12-31"]);
  });

  it("the last working day of the month can be a make-up Saturday; day N clamps to short months", async () => {
    const last = await datesOf({ id: "month_last_working_day" });
    expect(last.nominal.slice(0, 3)).toEqual(["2026-01-30", "2026-02-28", "2026-03-31"]);
    expect(last.nominal[9]).toBe("2026-10-30");
    const day30 = await datesOf({ id: "monthly_day", day: 30 }, { rollPolicy: "none" });
    expect(day30.nominal.slice(0, 3)).toEqual(["2026-01-30", "2026-02-28", "2026-03-30"]);
    expect((await datesOf({ id: "weekly_day", weekday: "MO" })).nominal.slice(0, 2)).toEqual(["2026-01-05", "2026-01-12"]);
    expect((await datesOf({ id: "yearly_date", month: 7, day: 1 })).nominal).toEqual(["2026-07-01"]);
  });

  it("refuses an unknown preset, a bad parameter and a rule with no date, with field paths, in the reader's language", async () => {
    const url = `/v1/checklists/${checklistId}/items`;
    const base = { module: "测试", title: "坏预设", assignees: [{ type: "each_member" }] };
    expect(expectProblem(await api.post(url, { ...base, preset: { id: "fortnightly" } }, b.admin), 400).errors![0]!.path).toBe("preset.id");
    expect(expectProblem(await api.post(url, { ...base, preset: { id: "monthly_day", day: 32 } }, b.admin), 400).errors![0]!.path).toBe("preset.day");
    expect(expectProblem(await api.post(url, { ...base, preset: { id: "quarter_end" }, recurrence: "FREQ=MONTHLY" }, b.admin), 400).errors![0]!.path).toBe("recurrence");
    const leap = { ...base, preset: { id: "yearly_date", month: 2, day: 29 } };
    const zh = expectProblem(await api.post(url, leap, b.admin), 400, "checklist.bad_recurrence");
    expect(zh.errors![0]!.message).toContain("该规则在清单年度（2026 年）内没有日期");
    const en = expectProblem(await api.call("POST", url, { body: leap, token: b.admin, headers: { "accept-language": "en" } }), 400, "checklist.bad_recurrence");
    expect(en.errors![0]!.message).toContain("The rule has no date in the checklist's year (2026)");
  });
});
