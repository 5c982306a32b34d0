import ICAL from "ical.js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiForSuite } from "../support/suite.js";
import { databaseNameFor } from "../../src/platform/http-tenant-databases.js";
import { todayInShanghai } from "../checklists/fixture.js";
import { expectProblem, STRONG_PASSWORD, unique } from "../support/api.js";
import { LIBSQL_TEST_TOKEN } from "../support/constants.js";
import { bureauWithTasks, type FeedEntry, fetchFeed, readFeed } from "./fixture.js";

let b: Awaited<ReturnType<typeof bureauWithTasks>>;
const FEED_TOKEN = /^qdc\.ten_[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/;

const api = apiForSuite();
beforeAll(async () => {
  b = await bureauWithTasks(api);
});

const tasksOf = async (token: string) => (await api.get("/v1/tasks?limit=200", token)).body.data as any[];
const makeFeed = async (token: string, headers?: Record<string, string>) => {
  const reply = await api.post("/v1/me/calendar-feed", undefined, token, headers);
  expect(reply.status).toBe(201);
  return reply.body as { url: string; token: string; createdAt: string };
};
const feedAudit = async () => (await api.get("/v1/audit?entityType=calendar_feed&limit=200", b.admin)).body.data as any[];
const expectGone = async (url: string) => {
  const res = await fetchFeed(api.target, url);
  const body = await res.text();
  expect(res.status, body).toBe(404);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(body).code).toMatch(/^(calendar_feed|route)\.not_found$/);
};
const shanghaiDaysAgo = (days: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};
/** The reminder's moment, 09:00 Shanghai the day before the due date, has not passed. */
const alarmAhead = (dueDate: string) => new Date(`${dueDate}T09:00:00+08:00`).getTime() - 86_400_000 > Date.now();

describe("the member's feed URL: made, shown once, rotated, turned off", () => {
  it("makes a qdc.<tenant>.<secret> URL, says afterwards only that one exists, and audits without the secret", async () => {
    expect((await api.get("/v1/me/calendar-feed", b.m2.accessToken)).body).toEqual({ enabled: false, createdAt: null });
    const feed = await makeFeed(b.m2.accessToken);
    expect(feed.token).toMatch(FEED_TOKEN);
    expect(feed.token.split(".")[1]).toBe(b.t.tenant.id);
    expect(feed.url).toMatch(new RegExp(`^https?://[^/]+/v1/calendar/${feed.token.replace(/[.]/g, "\\.")}\\.ics$`));
    const status = await api.get("/v1/me/calendar-feed", b.m2.accessToken);
    expect(status.body).toEqual({ enabled: true, createdAt: feed.createdAt });
    expect(JSON.stringify(status.body)).not.toContain(feed.token.split(".")[2]);
    const hash = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(feed.token))), (x) => x.toString(16).padStart(2, "0")).join("");
    const audit = (await feedAudit()).filter((a) => a.entityId === b.m2.id);
    expect(audit.map((a) => a.action)).toEqual(["calendar_feed.created"]);
    expect(JSON.stringify(audit)).not.toContain(feed.token.split(".")[2]);
    expect(JSON.stringify(audit)).not.toContain(hash);
    // Another member's status is theirs alone.
    expect((await api.get("/v1/me/calendar-feed", b.m3.accessToken)).body.enabled).toBe(false);
  });

  it("rotates: the new URL answers, the old one is a 404 at once", async () => {
    const first = await makeFeed(b.m2.accessToken);
    await readFeed(api.target, first.url);
    const second = await makeFeed(b.m2.accessToken);
    expect(second.token).not.toBe(first.token);
    await expectGone(first.url);
    await readFeed(api.target, second.url);
    expect((await feedAudit()).filter((a) => a.entityId === b.m2.id)[0].action).toBe("calendar_feed.rotated");
  });

  it("turns off: the URL is a 404, the status says so, and turning off again changes nothing", async () => {
    const feed = await makeFeed(b.sec2.accessToken);
    await readFeed(api.target, feed.url);
    expect((await api.delete("/v1/me/calendar-feed", b.sec2.accessToken)).status).toBe(204);
    await expectGone(feed.url);
    expect((await api.get("/v1/me/calendar-feed", b.sec2.accessToken)).body).toEqual({ enabled: false, createdAt: null });
    const before = await api.auditCount(b.admin);
    expect((await api.delete("/v1/me/calendar-feed", b.sec2.accessToken)).status).toBe(204);
    expect(await api.auditCount(b.admin)).toBe(before);
    expect((await feedAudit()).filter((a) => a.entityId === b.sec2.id)[0].action).toBe("calendar_feed.revoked");
  });

  it("is in /openapi.json: the URL routes with a bearer, the feed itself public", async () => {
    const doc = (await api.get("/openapi.json")).body;
    const own = doc.paths["/v1/me/calendar-feed"];
    expect(Object.keys(own).sort()).toEqual(["delete", "get", "post"]);
    expect(own.post.security).toEqual([{ bearer: [] }]);
    expect(own.post.responses["201"].content["application/json"].schema.properties.url).toBeDefined();
    const feed = doc.paths["/v1/calendar/{feedToken}"].get;
    expect(feed.security).toEqual([]);
    expect(feed.parameters).toContainEqual(expect.objectContaining({ name: "feedToken", in: "path" }));
  });

  it("replays a retried POST with the same Idempotency-Key (the route is mounted before /v1/me, so its middleware runs once)", async () => {
    const key = unique("idem");
    const first = await makeFeed(b.sec1.accessToken, { "idempotency-key": key });
    const again = await api.post("/v1/me/calendar-feed", undefined, b.sec1.accessToken, { "idempotency-key": key });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.token).toBe(first.token);
    await readFeed(api.target, first.url);
  });
});

describe("the feed: one all-day entry per deadline the member has", () => {
  let entries: FeedEntry[];
  let calendar: ICAL.Component;
  let tasks: any[];
  const byTitle = (title: string) => tasks.filter((t) => t.title === title).sort((x, y) => x.dueDate.localeCompare(y.dueDate));

  beforeAll(async () => {
    // 钱党员 works through some tasks first: an old one approved, one submitted, one returned, one done just now.
    const m1 = b.m1.accessToken;
    tasks = await tasksOf(m1);
    const [jan, feb, mar] = byTitle("主题党日");
    const evidence = { doneOn: "2026-01-20", summary: "开展主题党日", attachments: [{ url: "https://files.example.cn/a.jpg" }] };
    for (const t of [jan, feb, mar]) {
      expect((await api.post(`/v1/tasks/${t.id}/records`, evidence, m1)).status).toBe(201);
      expect((await api.post(`/v1/tasks/${t.id}/submit`, undefined, m1)).status).toBe(200);
    }
    expect((await api.post(`/v1/tasks/${jan.id}/review`, { decision: "approve" }, b.admin)).status).toBe(200);
    expect((await api.post(`/v1/tasks/${mar.id}/review`, { decision: "return", reason: "材料不全" }, b.admin)).status).toBe(200);
    const [wish] = byTitle("领办微心愿");
    for (const _ of [1, 2]) expect((await api.post(`/v1/tasks/${wish.id}/records`, { doneOn: "2026-06-01", summary: "微心愿" }, m1)).status).toBe(201);
    expect((await api.post(`/v1/tasks/${wish.id}/submit`, undefined, m1)).status).toBe(200);

    tasks = await tasksOf(m1);
    const feed = await makeFeed(m1);
    ({ entries, calendar } = await readFeed(api.target, feed.url));
  });

  it("holds exactly the tasks the member does that are still to do, plus those done with a due date in the last 30 days", async () => {
    const since = shanghaiDaysAgo(30);
    const expected = tasks.filter((t) => t.status !== "done" || t.dueDate >= since);
    expect(entries.map((e) => e.uid).sort()).toEqual(expected.map((t) => `${t.id}@qingdan`).sort());
    // Their branch's tasks (主题党日 of 第一支部) are in; the other branch's and other members' are not.
    expect(tasks.some((t) => t.title === "主题党日")).toBe(true);
    const others = (await tasksOf(b.m3.accessToken)).map((t) => `${t.id}@qingdan`);
    expect(entries.filter((e) => others.includes(e.uid))).toEqual([]);
    // The approved January task is long past: gone.
    const [jan] = byTitle("主题党日");
    expect(jan.status).toBe("done");
    expect(entries.find((e) => e.uid === `${jan.id}@qingdan`)).toBeUndefined();
  });

  it("puts each entry on its due date as an all-day date, in the tenant's time zone, with a stable UID", async () => {
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("Asia/Shanghai");
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    for (const e of entries) {
      const task = tasks.find((t) => `${t.id}@qingdan` === e.uid)!;
      expect(e.start.isDate).toBe(true);
      expect(e.start.toString()).toBe(task.dueDate);
      expect(e.end.isDate).toBe(true);
      const next = e.start.clone();
      next.adjust(1, 0, 0, 0);
      expect(e.end.compare(next)).toBe(0);
      expect(new ICAL.Event(calendar.getAllSubcomponents("vevent").find((v) => v.getFirstPropertyValue("uid") === e.uid)!).isRecurring()).toBe(false);
    }
    const [review] = byTitle("年终述职");
    const entry = entries.find((e) => e.uid === `${review.id}@qingdan`)!;
    expect(entry.start.toString()).toBe("2026-12-28");
    expect(entry.summary).toBe("【清单】年终述职（截止）");
    expect(entry.description).toContain("2026年度党务清单");
    expect(entry.description).toContain("述职评议 · 年终述职");
    expect(entry.description).toMatch(/状态：(待完成|已逾期)/);
    expect(entry.description).toContain(`/tasks/${review.id}`);
    expect(entry.url).toMatch(new RegExp(`/tasks/${review.id}$`));
    expect(entry.url).not.toContain("/v1/"); // a console page, not the JSON route
  });

  it("marks status: submitted and returned tasks say so, a recently done one is '已完成'", async () => {
    const [, feb, mar] = byTitle("主题党日");
    expect(entries.find((e) => e.uid === `${feb.id}@qingdan`)!.description).toContain("状态：已提交，待审核");
    // A returned task past its due date reads as overdue, as in /v1/tasks.
    expect(mar.status).toBe(mar.dueDate < todayInShanghai() ? "overdue" : "returned");
    expect(entries.find((e) => e.uid === `${mar.id}@qingdan`)!.description).toContain(mar.status === "overdue" ? "状态：已逾期" : "状态：已退回，待重新提交");
    const [wish] = byTitle("领办微心愿");
    const done = entries.find((e) => e.uid === `${wish.id}@qingdan`)!;
    expect(done.summary).toBe("【清单】领办微心愿（已完成）");
    expect(done.alarm).toBeNull();
  });

  it("reminds the day before at 09:00 (-PT15H from the all-day start) for what is still to do and still ahead", async () => {
    let alarms = 0;
    for (const e of entries) {
      const task = tasks.find((t) => `${t.id}@qingdan` === e.uid)!;
      const wanted = ["open", "returned", "overdue"].includes(task.status) && alarmAhead(task.dueDate);
      expect(Boolean(e.alarm), `${task.title} ${task.dueDate} ${task.status}`).toBe(wanted);
      if (!e.alarm) continue;
      alarms++;
      expect(e.alarm.getFirstPropertyValue("action")).toBe("DISPLAY");
      expect(String(e.alarm.getFirstPropertyValue("description"))).toBe(e.summary);
      const trigger = e.alarm.getFirstPropertyValue("trigger") as ICAL.Duration;
      expect(trigger.toString()).toBe("-PT15H");
      const related = e.alarm.getFirstProperty("trigger")!.getParameter("related");
      expect(related === undefined || related === null || related === "START").toBe(true);
      const at = e.start.clone();
      at.isDate = false; // midnight at the start of the all-day date, then the trigger
      at.addDuration(trigger);
      const dayBefore = e.start.clone();
      dayBefore.adjust(-1, 0, 0, 0);
      expect(at.toString()).toBe(`${dayBefore.toString()}T09:00:00`);
    }
    // 年终述职 on 2026-12-28 reminds while 2026-12-27 09:00 (Shanghai) is ahead.
    if (alarmAhead("2026-12-28")) expect(alarms).toBeGreaterThan(0);
  });

  it("speaks the member's language", async () => {
    expect((await api.patch("/v1/me", { locale: "en" }, b.m2.accessToken)).status).toBe(200);
    const feed = await makeFeed(b.m2.accessToken);
    const { entries: english } = await readFeed(api.target, feed.url);
    const wish = english.find((e) => e.summary.includes("领办微心愿"))!;
    expect(wish.summary).toBe("[Checklist] 领办微心愿 (due)");
    expect(wish.description).toContain("Checklist: 2026年度党务清单");
  });

  it("costs one round trip for member and tasks, plus one per extra source (problems, pledges) sent alongside (workerd, libSQL server's counters)", async () => {
    if (api.target.runtime !== "workerd") return;
    const feed = await makeFeed(b.m1.accessToken);
    await readFeed(api.target, feed.url); // the tenant's facts are cached from here on
    const admin = { authorization: `Bearer ${LIBSQL_TEST_TOKEN}` };
    await fetch(`${inject("libsqlUrl")}/admin/stats/reset`, { method: "POST", headers: admin });
    await readFeed(api.target, feed.url);
    const stats = (await (await fetch(`${inject("libsqlUrl")}/admin/stats`, { headers: admin })).json()) as Record<string, number>;
    expect(stats[databaseNameFor(b.t.tenant.id)]).toBe(3);
  });
});

describe("what is not a live feed answers 404 problem+json, never 401", () => {
  it("garbage, a malformed token, an unknown secret, an unknown tenant", async () => {
    const live = await makeFeed(b.m3.accessToken);
    const [, tenantId, secret] = live.token.split(".");
    const other = `${secret!.slice(0, -1)}${secret!.endsWith("A") ? "B" : "A"}`;
    for (const path of [
      "/v1/calendar/garbage.ics",
      "/v1/calendar/.ics",
      `/v1/calendar/${live.token}`,
      `/v1/calendar/${live.token}.ICS`,
      `/v1/calendar/${live.token}x.ics`,
      `/v1/calendar/qdi.${tenantId}.${secret}.ics`,
      `/v1/calendar/qdc.${tenantId}.${other}.ics`,
      `/v1/calendar/qdc.ten_00000000000000000000000000.${secret}.ics`,
      `/v1/calendar/${"x".repeat(5000)}.ics`,
      `/v1/calendar/${encodeURIComponent("qdc.' OR 1=1 --")}.ics`,
    ]) {
      await expectGone(path);
    }
    const res = await fetchFeed(api.target, "/v1/calendar/garbage.ics");
    expectProblem({ status: res.status, headers: res.headers, body: await res.json() }, 404, "calendar_feed.not_found");
    await readFeed(api.target, live.url);
  });

  it("another tenant's token does not open this tenant's feed, nor the other way round; each tenant's zone is its own", async () => {
    const slug = unique("urumqi");
    const signup = await api.post("/v1/tenants", { slug, name: "某县住建局", timezone: "Asia/Urumqi", admin: { email: `admin@${slug}.example.cn`, name: "马局长", password: STRONG_PASSWORD } });
    expect(signup.status).toBe(201);
    const theirs = await makeFeed(signup.body.accessToken);
    const ours = await makeFeed(b.m3.accessToken);
    const [, theirTenant, theirSecret] = theirs.token.split(".");
    const [, ourTenant, ourSecret] = ours.token.split(".");
    await expectGone(`/v1/calendar/qdc.${ourTenant}.${theirSecret}.ics`);
    await expectGone(`/v1/calendar/qdc.${theirTenant}.${ourSecret}.ics`);
    const { calendar, entries, text } = await readFeed(api.target, theirs.url);
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("Asia/Urumqi");
    expect(entries).toEqual([]);
    expect(text).not.toMatch(/党务清单|主题党日/);
    await readFeed(api.target, ours.url);
  });

  it("a disabled member's feed is a 404 (and they cannot make a new one)", async () => {
    const member = await api.addMember(b.admin, { branchId: b.branch2.id, name: "吴党员" });
    const feed = await makeFeed(member.accessToken);
    await readFeed(api.target, feed.url);
    expect((await api.patch(`/v1/members/${member.id}`, { status: "disabled" }, b.admin)).status).toBe(200);
    await expectGone(feed.url);
    const again = await api.post("/v1/me/calendar-feed", undefined, member.accessToken);
    expect([401, 403]).toContain(again.status);
    expect((await api.patch(`/v1/members/${member.id}`, { status: "active" }, b.admin)).status).toBe(200);
    await readFeed(api.target, feed.url);
  });
});
