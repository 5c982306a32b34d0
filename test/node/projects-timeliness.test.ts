import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chineseDaysCalendar } from "../../src/calendar/chinese-days-seed.js";
import { WorkCalendar } from "../../src/calendar/work-calendar.js";
import { dueAt } from "../../src/modules/issues/clocks.js";
import { overdueProblems } from "../../src/modules/issues/overdue.js";

import { nodeApiOnClock } from "../support/node-target.js";

/**
 * Timeliness on a clock the test controls (ports.now): every acknowledgement and resolution happens
 * at a known time, so on-time counts, medians and 90th percentiles have known answers.
 *
 * 甲 (road chief 甲路长), category utility: acknowledge in 1 working day, resolve in 5.
 *   A1 raised 10-12 09:00, acknowledged 10-12 15:00 (on time), resolved 10-14 09:00 (2 days, on time), verified, closed
 *   A2 raised 10-12 09:00, acknowledged 10-14 09:00 (late), resolved 10-20 09:00 (8 days, late; due 10-19 09:00)
 *   A3 raised 10-12 09:00, acknowledged 10-12 10:00, resolved 10-13 09:00, returned, resolved again 10-16 09:00 (4 days, on time)
 *   A4 raised 10-12 09:00, never acknowledged: overdue
 *   A5 raised 09-30 10:00 (before the period): open and overdue now (resolve-by 10-13 10:00, across National Day)
 * 乙 (road chief 乙路长), category safety: 1 and 3 calendar days.
 *   B1 raised 10-20 10:00, acknowledged 10-20 11:00, resolved 10-22 22:00 (2.5 days, on time)
 *   B2 raised 10-20 10:00, acknowledged 10-21 12:00 (late), resolved 10-24 10:00 (4 days, late)
 *   B3 raised 11-01 10:00 (after the period): open, not yet overdue at 11-02 09:00
 * Units: A1 中国电信; A2 中国电信 + 区住建局; A4 区住建局; B1 中国电信; the others none.
 * Logs in October: 甲 a site visit (corrected once: counts once), an inspection, a meeting; a phone call on 09-29
 * (outside); 乙 a phone call on 10-21.
 */
let clock = new Date("2026-09-29T09:00:00+08:00");
const api = nodeApiOnClock(() => clock, { ACCESS_TOKEN_SECONDS: "9999999" });
const at = (iso: string) => {
  clock = new Date(iso);
};
const f: Record<string, string> = {};
let tenantId = "";

beforeAll(async () => {
  const t = await api.signUp();
  tenantId = t.tenant.id;
  const admin = t.accessToken;
  const chiefA = await api.addMember(admin, { name: "甲路长" });
  const chiefB = await api.addMember(admin, { name: "乙路长" });
  const handler = await api.addMember(admin, { name: "承办人" });
  const supervisor = await api.addMember(admin, { name: "督办人" });
  Object.assign(f, { admin, chiefA: chiefA.accessToken, chiefB: chiefB.accessToken, handler: handler.accessToken, supervisor: supervisor.accessToken, chiefAId: chiefA.id, chiefBId: chiefB.id });
  const a = (await api.post("/v1/projects", { name: "甲快速路", kind: "expressway", roadChiefId: chiefA.id }, admin)).body.id as string;
  const b = (await api.post("/v1/projects", { name: "乙地铁配套道路", kind: "metro_road", roadChiefId: chiefB.id }, admin)).body.id as string;
  Object.assign(f, { a, b });

  const post = async (path: string, body: Record<string, unknown>, token: string) => {
    const reply = await api.post(path, body, token);
    if (reply.status >= 300) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const raise = async (project: string, token: string, category: string, units: string[]) =>
    (await post(`/v1/projects/${project}/issues`, { title: "问题", category, handlerId: handler.id, supervisorId: supervisor.id, responsibleUnits: units }, token)).id as string;
  const step = (id: string, action: string, token: string, body: Record<string, unknown> = {}) => post(`/v1/issues/${id}/${action}`, body, token);

  at("2026-09-29T09:00:00+08:00");
  await post(`/v1/projects/${a}/logs`, { kind: "phone_coordination", visitedAt: clock.toISOString(), summary: "电话" }, f.chiefA!);
  at("2026-09-30T10:00:00+08:00");
  const a5 = await raise(a, f.chiefA!, "utility", []);
  at("2026-10-12T09:00:00+08:00");
  const [a1, a2, a3, a4] = [await raise(a, f.chiefA!, "utility", ["中国电信"]), await raise(a, f.chiefA!, "utility", ["中国电信", "区住建局"]), await raise(a, f.chiefA!, "utility", []), await raise(a, f.chiefA!, "utility", ["区住建局"])];
  Object.assign(f, { a1, a2, a3, a4, a5 });
  const visit = (await post(`/v1/projects/${a}/logs`, { kind: "site_visit", visitedAt: clock.toISOString(), summary: "走访" }, f.chiefA!)).id as string;
  at("2026-10-12T10:00:00+08:00");
  await step(a3!, "acknowledge", f.handler!);
  await post(`/v1/projects/${a}/logs`, { kind: "site_visit", visitedAt: "2026-10-12T09:00:00+08:00", summary: "走访（更正）", correctsId: visit, correctionReason: "补记" }, f.chiefA!);
  at("2026-10-12T15:00:00+08:00");
  await step(a1!, "acknowledge", f.handler!);
  at("2026-10-13T09:00:00+08:00");
  await step(a3!, "resolve", f.handler!, { note: "第一次" });
  at("2026-10-13T12:00:00+08:00");
  await step(a3!, "return", f.supervisor!, { reason: "不合格" });
  at("2026-10-14T09:00:00+08:00");
  await step(a1!, "resolve", f.handler!, { note: "已解决" });
  await step(a2!, "acknowledge", f.handler!);
  at("2026-10-15T09:00:00+08:00");
  await step(a1!, "verify", f.supervisor!);
  await step(a1!, "close", f.chiefA!);
  await step(a3!, "start", f.handler!);
  await post(`/v1/projects/${a}/logs`, { kind: "inspection", visitedAt: clock.toISOString(), summary: "检查" }, f.chiefA!);
  at("2026-10-16T09:00:00+08:00");
  await step(a3!, "resolve", f.handler!, { note: "第二次" });
  await post(`/v1/projects/${a}/logs`, { kind: "coordination_meeting", visitedAt: clock.toISOString(), summary: "协调会" }, f.chiefA!);
  at("2026-10-20T09:00:00+08:00");
  await step(a2!, "resolve", f.handler!, { note: "已解决" });
  at("2026-10-20T10:00:00+08:00");
  const [b1, b2] = [await raise(b, f.chiefB!, "safety", ["中国电信"]), await raise(b, f.chiefB!, "safety", [])];
  Object.assign(f, { b1, b2 });
  at("2026-10-20T11:00:00+08:00");
  await step(b1!, "acknowledge", f.handler!);
  at("2026-10-21T12:00:00+08:00");
  await step(b2!, "acknowledge", f.handler!);
  await post(`/v1/projects/${b}/logs`, { kind: "phone_coordination", visitedAt: clock.toISOString(), summary: "电话" }, f.chiefB!);
  at("2026-10-22T22:00:00+08:00");
  await step(b1!, "resolve", f.handler!, { note: "已解决" });
  at("2026-10-24T10:00:00+08:00");
  await step(b2!, "resolve", f.handler!, { note: "已解决" });
  at("2026-11-01T10:00:00+08:00");
  f.b3 = await raise(b, f.chiefB!, "safety", []);
  at("2026-11-02T09:00:00+08:00");
});

const report = async (query: string, token = f.admin!) => {
  const reply = await api.get(`/v1/reports/projects?period=2026-10${query}`, token);
  expect(reply.status).toBe(200);
  return reply.body;
};

describe("timeliness on a known clock", () => {
  it("per project", async () => {
    const body = await report("");
    expect(body).toMatchObject({ from: "2026-10-01", to: "2026-10-31", asOf: "2026-11-02T01:00:00.000Z" });
    expect(body.rows).toEqual([
      { key: f.a, label: "甲快速路", roadChiefId: f.chiefAId, roadChiefName: "甲路长", visits: 2, coordinations: 1, raised: 4, acknowledged: 3, acknowledgedOnTime: 2, resolved: 3, resolvedOnTime: 2, medianDaysToResolve: 4, p90DaysToResolve: 8, openNow: 2, overdueNow: 2 },
      { key: f.b, label: "乙地铁配套道路", roadChiefId: f.chiefBId, roadChiefName: "乙路长", visits: 0, coordinations: 1, raised: 2, acknowledged: 2, acknowledgedOnTime: 1, resolved: 2, resolvedOnTime: 1, medianDaysToResolve: 3.25, p90DaysToResolve: 4, openNow: 1, overdueNow: 0 },
    ]);
    expect(body.totals).toEqual({ visits: 2, coordinations: 2, raised: 6, acknowledged: 5, acknowledgedOnTime: 3, resolved: 5, resolvedOnTime: 3, medianDaysToResolve: 4, p90DaysToResolve: 8, openNow: 3, overdueNow: 2 });
  });

  it("per road chief matches per project, one chief each", async () => {
    const body = await report("&by=road_chief");
    expect(body.rows.map((r: { key: string; raised: number; medianDaysToResolve: number }) => [r.key, r.raised, r.medianDaysToResolve])).toEqual([
      [f.chiefAId, 4, 4],
      [f.chiefBId, 2, 3.25],
    ]);
  });

  it("per responsible unit", async () => {
    const body = await report("&by=unit");
    const row = (label: string | null) => body.rows.find((r: { label: string | null }) => r.label === label);
    expect(row("中国电信")).toMatchObject({ visits: null, raised: 3, acknowledged: 3, acknowledgedOnTime: 2, resolved: 3, resolvedOnTime: 2, medianDaysToResolve: 2.5, p90DaysToResolve: 8, openNow: 0, overdueNow: 0 });
    expect(row("区住建局")).toMatchObject({ raised: 2, acknowledged: 1, acknowledgedOnTime: 0, resolved: 1, resolvedOnTime: 0, medianDaysToResolve: 8, p90DaysToResolve: 8, openNow: 1, overdueNow: 1 });
    expect(row(null)).toMatchObject({ key: null, raised: 2, acknowledged: 2, acknowledgedOnTime: 1, resolved: 2, resolvedOnTime: 1, medianDaysToResolve: 4, p90DaysToResolve: 4, openNow: 2, overdueNow: 1 });
    expect(body.totals.raised).toBe(6);
  });

  it("a road chief's report holds their projects only", async () => {
    const body = await report("", f.chiefB);
    expect(body.rows.map((r: { key: string }) => r.key)).toEqual([f.b]);
    expect(body.totals).toMatchObject({ raised: 2, openNow: 1 });
  });

  it("flags overdue problems at read time, and lists them for the reminders", async () => {
    const a4 = await api.get(`/v1/issues/${f.a4}`, f.admin);
    expect(a4.body).toMatchObject({ isAckOverdue: true, isResolveOverdue: true });
    const a5 = await api.get(`/v1/issues/${f.a5}`, f.admin);
    expect(a5.body).toMatchObject({ isAckOverdue: true, isResolveOverdue: true, resolveDueAt: new Date("2026-10-13T10:00:00+08:00").toISOString() });
    const b3 = await api.get(`/v1/issues/${f.b3}`, f.admin);
    expect(b3.body).toMatchObject({ isAckOverdue: false, isResolveOverdue: false, ackDueAt: new Date("2026-11-02T10:00:00+08:00").toISOString() });
    const listed = await api.get("/v1/issues?overdue=true&sort=due", f.admin);
    expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([f.a5, f.a4]);

    const db = api.target.tenantDatabases.open(tenantId, `file:${join(api.target.dataDir, "tenants", `${tenantId}.db`)}`);
    const now = await overdueProblems({ db }, clock);
    expect(now.map((p) => [p.id, p.isAckOverdue, p.isResolveOverdue, p.handlerId])).toEqual([
      [f.a5, true, true, expect.any(String)],
      [f.a4, true, true, expect.any(String)],
    ]);
    // An hour later B3's acknowledge clock runs out too.
    const later = await overdueProblems({ db }, new Date("2026-11-02T10:00:01+08:00"));
    expect(later.map((p) => p.id)).toEqual([f.a5, f.a4, f.b3]);
    expect(later[2]).toMatchObject({ isAckOverdue: true, isResolveOverdue: false, roadChiefId: f.chiefBId, projectName: "乙地铁配套道路" });
  });

  it("acknowledging records whether it was on time; a transfer gives the new handler a fresh acknowledge clock", async () => {
    at("2026-11-02T09:00:00+08:00");
    const late = await api.post(`/v1/issues/${f.a4}/acknowledge`, {}, f.handler);
    expect(late.body.history.at(-1)).toMatchObject({ action: "acknowledged", data: { onTime: false } });
    const other = await api.addMember(f.admin!, { name: "新承办" });
    at("2026-11-06T16:00:00+08:00"); // a Friday
    const moved = await api.post(`/v1/issues/${f.b3}/transfer`, { handlerId: other.id, reason: "职责调整" }, f.chiefB);
    expect(moved.body).toMatchObject({ status: "transferred", isAckOverdue: false, ackDueAt: new Date("2026-11-07T16:00:00+08:00").toISOString() });
    // Safety runs in calendar days; resolve-by does not move.
    expect(moved.body.resolveDueAt).toBe(new Date("2026-11-04T10:00:00+08:00").toISOString());
    expect(moved.body.isResolveOverdue).toBe(true);
  });
});

describe("the working-day clock", () => {
  const tz = "Asia/Shanghai";
  const calendar = new WorkCalendar(chineseDaysCalendar());
  const due = (start: string, days: number, unit: "working_days" | "calendar_days" = "working_days") => dueAt(new Date(start), days, unit, tz, calendar).at.toISOString();
  const local = (iso: string) => new Date(iso).toISOString();

  it("ends at the same local time N working days later, skipping holidays and counting make-up days", () => {
    expect(due("2026-09-30T10:00:00+08:00", 3)).toBe(local("2026-10-10T10:00:00+08:00"));
    expect(due("2026-09-30T10:00:00+08:00", 1)).toBe(local("2026-10-08T10:00:00+08:00"));
    expect(due("2026-10-09T17:30:00+08:00", 1)).toBe(local("2026-10-10T17:30:00+08:00"));
    expect(due("2026-10-10T17:30:00+08:00", 1)).toBe(local("2026-10-12T17:30:00+08:00"));
    // Late evening in Shanghai is still the same local day, whatever UTC says.
    expect(due("2026-09-30T23:30:00+08:00", 1)).toBe(local("2026-10-08T23:30:00+08:00"));
  });

  it("started on a weekend or holiday, runs whole working days from the next working day's start", () => {
    expect(due("2026-10-03T15:00:00+08:00", 1)).toBe(local("2026-10-09T00:00:00+08:00"));
    expect(due("2026-10-11T08:00:00+08:00", 2)).toBe(local("2026-10-14T00:00:00+08:00"));
  });

  it("calendar days keep the local time of day", () => {
    expect(due("2026-09-30T10:00:00+08:00", 3, "calendar_days")).toBe(local("2026-10-03T10:00:00+08:00"));
  });

  it("works in another zone (the tenant's), and computes a year the calendar lacks weekends-only, saying so", () => {
    expect(dueAt(new Date("2026-09-30T10:00:00-04:00"), 1, "working_days", "America/New_York", calendar).at.toISOString()).toBe(new Date("2026-10-08T10:00:00-04:00").toISOString());
    // 2003 predates the data: Friday + 1 working day is Monday, and the clock says it is provisional.
    expect(dueAt(new Date("2003-03-07T10:00:00+08:00"), 1, "working_days", tz, calendar)).toEqual({ at: new Date("2003-03-10T10:00:00+08:00"), provisional: true });
    expect(dueAt(new Date("2026-03-06T10:00:00+08:00"), 1, "working_days", tz, calendar).provisional).toBe(false);
    // A clock that starts in an official year and runs into one without data is provisional too.
    expect(dueAt(new Date("2026-12-31T10:00:00+08:00"), 3, "working_days", tz, new WorkCalendar({ officialYears: new Set([2026]), days: new Map() })).provisional).toBe(true);
  });
});
