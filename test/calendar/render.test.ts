import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { FeedEvent, FeedMember } from "../../src/modules/calendar/events.js";
import { renderFeed, taskFeedEvents } from "../../src/modules/calendar/feed.js";

// The renderer on a fixed clock (the behaviour tests run on the real one), on Node and in workerd alike.
const tenant = { id: "ten_01J0000000000000000000000A", slug: "zj", name: "某市住建局", timezone: "Asia/Shanghai", locale: "zh-CN", dbLocator: "", confirmed: true };
const member: FeedMember = { id: "mem_01J0000000000000000000000A", name: "钱党员", role: "member", branchId: null, secondBranchId: null, lang: "zh-CN" };
const now = new Date("2026-03-01T00:00:00Z"); // 08:00 on 1 March in Shanghai
const ctx = { tenant, now, publicUrl: "https://qingdan.example.cn" };

const parse = (ics: string) => {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const byUid = new Map(calendar.getAllSubcomponents("vevent").map((v) => [String(v.getFirstPropertyValue("uid")), v]));
  return { calendar, byUid };
};

describe("renderFeed: what any source's entries become", () => {
  // What a later source (pledge due dates, problem clocks) would hand over through the extension point.
  const extra: FeedEvent[] = [
    { uid: "plg_A@qingdan", date: "2026-03-10", summary: "【承诺】为群众办实事（截止）", description: "承诺", url: "https://qingdan.example.cn/pledges/plg_A", alarm: true },
    { uid: "iss_B@qingdan", date: "2026-03-02", summary: "【问题】路灯不亮（办结时限）", alarm: true },
    { uid: "iss_C@qingdan", date: "2026-03-01", summary: "今天到期", alarm: true },
    { uid: "plg_D@qingdan", date: "2026-12-31", summary: "不提醒" },
  ];

  it("writes one all-day VEVENT per entry on its date, whatever the server's zone, with its UID, text and link", () => {
    const { calendar, byUid } = parse(renderFeed(extra, member, ctx));
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("Asia/Shanghai");
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("清单 · 钱党员");
    expect([...byUid.keys()]).toEqual(extra.map((e) => e.uid));
    for (const e of extra) {
      const v = byUid.get(e.uid)!;
      const start = v.getFirstPropertyValue("dtstart") as ICAL.Time;
      expect(start.isDate).toBe(true);
      expect(start.toString()).toBe(e.date);
      expect(v.getFirstPropertyValue("summary")).toBe(e.summary);
      expect(v.getFirstPropertyValue("transp")).toBe("TRANSPARENT");
      expect((v.getFirstPropertyValue("dtstamp") as ICAL.Time).zone?.tzid).toBe("UTC");
    }
    expect(byUid.get("plg_A@qingdan")!.getFirstPropertyValue("url")).toBe("https://qingdan.example.cn/pledges/plg_A");
  });

  it("reminds only while the day-before 09:00 (tenant time) is ahead, and only when asked", () => {
    const { byUid } = parse(renderFeed(extra, member, ctx));
    const alarmOf = (uid: string) => byUid.get(uid)!.getFirstSubcomponent("valarm");
    expect(String(alarmOf("plg_A@qingdan")!.getFirstPropertyValue("trigger"))).toBe("-PT15H");
    // 2026-03-02: reminded at 09:00 on 1 March, an hour from now.
    expect(alarmOf("iss_B@qingdan")).not.toBeNull();
    // 2026-03-01: its reminder (28 February 09:00) has passed; no stale pop-up.
    expect(alarmOf("iss_C@qingdan")).toBeNull();
    expect(alarmOf("plg_D@qingdan")).toBeNull();
    // Far east the same instant is already 13:00 on 1 March: 2 March's reminder has passed there. The dates stay.
    const east = parse(renderFeed(extra, member, { ...ctx, tenant: { ...tenant, timezone: "Pacific/Auckland" } }));
    expect(east.calendar.getFirstPropertyValue("x-wr-timezone")).toBe("Pacific/Auckland");
    expect(east.byUid.get("iss_B@qingdan")!.getFirstSubcomponent("valarm")).toBeNull();
    expect(east.byUid.get("plg_A@qingdan")!.getFirstSubcomponent("valarm")).not.toBeNull();
    expect((east.byUid.get("iss_B@qingdan")!.getFirstPropertyValue("dtstart") as ICAL.Time).toString()).toBe("2026-03-02");
  });

  it("escapes names: a comma, a semicolon or a line break cannot add to the calendar", () => {
    const sly = { ...member, name: "钱,党;员\nBEGIN:VEVENT" };
    const ics = renderFeed([], sly, { ...ctx, tenant: { ...tenant, name: "局\\办" } });
    const { calendar, byUid } = parse(ics);
    expect(byUid.size).toBe(0);
    expect(ics.split("\r\n").filter((line) => line.startsWith("BEGIN:"))).toEqual(["BEGIN:VCALENDAR"]);
    // ical.js hands X- properties over raw; RFC 5545 TEXT unescaping gives the names back.
    const unescape = (raw: unknown) => String(raw).replace(/\\([\\,;])/g, "$1").replace(/\\n/gi, "\n");
    expect(unescape(calendar.getFirstPropertyValue("x-wr-calname"))).toBe("清单 · 钱,党;员\nBEGIN:VEVENT");
    expect(unescape(calendar.getFirstPropertyValue("x-wr-caldesc"))).toBe("局\\办：我的任务截止日");
  });

  it("turns tasks into entries in the member's language: due or done, status, progress and the task's link", () => {
    const row = { id: "tsk_A", title: "主题党日", module: "组织生活", checklistTitle: "2026年度党务清单", dueDate: "2026-03-31", state: "returned", status: "returned", doneCount: 1, minCount: 2, updatedAt: "2026-02-01T00:00:00.000Z" };
    const [zh] = taskFeedEvents([row], member, ctx);
    expect(zh).toMatchObject({ uid: "tsk_A@qingdan", date: "2026-03-31", summary: "【清单】主题党日（截止）", url: "https://qingdan.example.cn/tasks/tsk_A", alarm: true });
    expect(zh!.description!.split("\n")).toEqual(["清单：2026年度党务清单", "事项：组织生活 · 主题党日", "状态：已退回，待重新提交", "进度：1/2", "详情：https://qingdan.example.cn/tasks/tsk_A"]);
    const [en] = taskFeedEvents([{ ...row, state: "done", status: "done" }], { ...member, lang: "en" }, ctx);
    expect(en).toMatchObject({ summary: "[Checklist] 主题党日 (done)", alarm: false });
    expect(en!.description).toContain("Status: done");
    const [submitted] = taskFeedEvents([{ ...row, state: "submitted", status: "submitted" }], member, ctx);
    expect(submitted!.alarm).toBe(false);
  });
});
