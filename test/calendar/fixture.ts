import ICAL from "ical.js";
import { expect } from "vitest";
import { bureauWithChecklist } from "../checklists/fixture.js";
import type { Api } from "../support/api.js";
import type { Target } from "../support/target.js";

/** The checklist bureau, published, plus one deadline of 钱党员's own (年终述职, 2026-12-28, not rolled). */
export async function bureauWithTasks(api: Api) {
  const b = await bureauWithChecklist(api);
  const review = (await api.post(`/v1/checklists/${b.checklist.id}/items`, { module: "述职评议", title: "年终述职", dueDate: "2026-12-28", rollPolicy: "none", assignees: [{ type: "member", memberId: b.m1.id }] }, b.admin)).body;
  const published = await api.post(`/v1/checklists/${b.checklist.id}/publish`, { from: "2026-01-01" }, b.admin);
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.body)}`);
  return { ...b, items: { ...b.items, review } };
}

export interface FeedEntry {
  uid: string;
  summary: string;
  description: string;
  url: string | null;
  start: ICAL.Time;
  end: ICAL.Time;
  alarm: ICAL.Component | null;
}

/** Fetches a feed URL (the path of it: the target is in-process or the Worker) and parses it with ical.js. */
export async function readFeed(target: Target, url: string) {
  const res = await target.fetch(new URL(url).pathname);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`feed answered ${res.status}: ${text}`);
  expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
  const calendar = new ICAL.Component(ICAL.parse(text));
  const entries: FeedEntry[] = calendar.getAllSubcomponents("vevent").map((v) => ({
    uid: String(v.getFirstPropertyValue("uid")),
    summary: String(v.getFirstPropertyValue("summary")),
    description: String(v.getFirstPropertyValue("description")),
    url: (v.getFirstPropertyValue("url") as string | null) ?? null,
    start: v.getFirstPropertyValue("dtstart") as ICAL.Time,
    end: v.getFirstPropertyValue("dtend") as ICAL.Time,
    alarm: v.getFirstSubcomponent("valarm"),
  }));
  return { calendar, entries, text };
}

/** What a feed URL answers, without parsing (for the 404s). */
export const fetchFeed = (target: Target, url: string) => target.fetch(url.startsWith("/") ? url : new URL(url).pathname);
