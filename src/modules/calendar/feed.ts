// The member's iCalendar feed. Runs on both runtimes: ical-generator imports no node:* module, and
// every date is handed to it as UTC midnight with no calendar time zone set, so the host's zone plays
// no part in which day an entry falls on.
import { and, desc, eq, gte, inArray, or, sql } from "drizzle-orm";
import { consoleLinks, consoleUrl } from "../../http/console-links.js";
import ical, { escape, ICalAlarmType, ICalEventTransparency } from "ical-generator";
import { addDays } from "../../calendar/days.js";
import { localDate, zonedInstant } from "../../calendar/zoned.js";
import { calendarFeeds } from "../../db/tenant/calendar.js";
import { checklists, tasks } from "../../db/tenant/checklists.js";
import { members } from "../../db/tenant/schema.js";
import type { TenantDb } from "../../db/tenant/index.js";
import type { TenantFacts } from "../../http/env.js";
import type { Lang } from "../../http/i18n.js";
import { sha256Hex } from "../../platform/crypto.js";
import { doneBy, statusSql } from "../tasks/queries.js";
import type { ExtraFeedEvents, FeedContext, FeedEvent, FeedMember } from "./events.js";

/** Finished tasks stay in the feed, marked done, while their due date is at most this many days past. */
export const DONE_WINDOW_DAYS = 30;
/** A bound on one feed's task entries; past it, the oldest due dates go first. A member has far fewer in practice. */
export const MAX_TASK_EVENTS = 1000;
/** The day before at 09:00: 15 hours before the all-day entry's start (its midnight). */
export const ALARM_BEFORE_SECONDS = 15 * 3600;
/** How often a reader is asked to fetch again (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
export const FEED_TTL_SECONDS = 3600;

const langOf = (locale: string | null | undefined): Lang => (locale?.toLowerCase().startsWith("en") ? "en" : "zh-CN");

interface TaskEntry {
  id: string;
  title: string;
  module: string;
  checklistTitle: string;
  dueDate: string;
  /** Computed before the year's official holiday arrangement arrived: the feed says it may move. */
  calendarProvisional?: boolean;
  state: string;
  status: string;
  doneCount: number;
  minCount: number;
  updatedAt: string;
}

/**
 * The member behind a feed token and the tasks they do, in one round trip. The member is not known
 * before the batch runs, so the tasks' `doneBy` is given the token's member as a subquery: the same
 * rule as `/v1/tasks`, with the same SQL, for whoever the token belongs to.
 */
export async function readFeed(db: TenantDb, token: string, today: string, tenantLocale: string) {
  const hash = await sha256Hex(token);
  const feedMember = sql`(SELECT "calendar_feeds"."member_id" FROM "calendar_feeds" WHERE "calendar_feeds"."token_hash" = ${hash})`;
  const [found, taskRows] = await db.batch([
    db
      .select({ id: members.id, name: members.name, role: members.role, status: members.status, locale: members.locale, branchId: members.branchId, secondBranchId: members.secondBranchId })
      .from(calendarFeeds)
      .innerJoin(members, eq(members.id, calendarFeeds.memberId))
      .where(eq(calendarFeeds.tokenHash, hash))
      .limit(1),
    db
      .select({
        id: tasks.id,
        title: tasks.title,
        module: tasks.module,
        checklistTitle: checklists.title,
        dueDate: tasks.dueDate,
        calendarProvisional: tasks.calendarProvisional,
        state: tasks.state,
        status: statusSql(today),
        doneCount: tasks.doneCount,
        minCount: tasks.minCount,
        updatedAt: tasks.updatedAt,
      })
      .from(tasks)
      .innerJoin(checklists, eq(checklists.id, tasks.checklistId))
      .where(
        and(
          doneBy(feedMember),
          or(inArray(tasks.state, ["open", "returned", "submitted"]), and(eq(tasks.state, "done"), gte(tasks.dueDate, addDays(today, -DONE_WINDOW_DAYS)))),
        ),
      )
      .orderBy(desc(tasks.dueDate), desc(tasks.id))
      .limit(MAX_TASK_EVENTS),
  ]);
  const row = found[0];
  // A disabled (or not yet active) member's feed is as gone as an unknown one.
  if (!row || row.status !== "active") return null;
  const member: FeedMember = { id: row.id, name: row.name, role: row.role, branchId: row.branchId, secondBranchId: row.secondBranchId, lang: langOf(row.locale ?? tenantLocale) };
  return { member, tasks: taskRows.reverse() };
}

const words = {
  "zh-CN": {
    due: (title: string) => `【清单】${title}（截止）`,
    done: (title: string) => `【清单】${title}（已完成）`,
    checklist: "清单",
    item: "事项",
    status: "状态",
    progress: "进度",
    link: "详情",
    statuses: { open: "待完成", returned: "已退回，待重新提交", submitted: "已提交，待审核", overdue: "已逾期", done: "已完成" } as Record<string, string>,
    calendarName: (member: string) => `清单 · ${member}`,
    calendarDescription: (tenant: string) => `${tenant}：我的任务截止日`,
    provisional: "该年度法定节假日安排尚未公布，截止日暂按周末推算，公布后可能调整",
    colon: "：",
  },
  en: {
    due: (title: string) => `[Checklist] ${title} (due)`,
    done: (title: string) => `[Checklist] ${title} (done)`,
    checklist: "Checklist",
    item: "Item",
    status: "Status",
    progress: "Progress",
    link: "Details",
    statuses: { open: "to do", returned: "returned, to resubmit", submitted: "submitted, awaiting review", overdue: "overdue", done: "done" } as Record<string, string>,
    calendarName: (member: string) => `qingdan · ${member}`,
    calendarDescription: (tenant: string) => `${tenant}: my deadlines`,
    provisional: "The year's official holiday arrangement is not out yet: this date counts weekends only and may move",
    colon: ": ",
  },
};

/** A task becomes one all-day entry on its due date; only what the member still has to do reminds them. */
export function taskFeedEvents(rows: TaskEntry[], member: FeedMember, ctx: Pick<FeedContext, "publicUrl">): FeedEvent[] {
  const w = words[member.lang];
  return rows.map((t) => {
    const url = consoleUrl(ctx.publicUrl, consoleLinks.task(t.id));
    const line = (label: string, value: string) => `${label}${w.colon}${value}`;
    return {
      uid: `${t.id}@qingdan`,
      date: t.dueDate,
      summary: t.state === "done" ? w.done(t.title) : w.due(t.title),
      description: [
        line(w.checklist, t.checklistTitle),
        line(w.item, `${t.module} · ${t.title}`),
        line(w.status, w.statuses[t.status] ?? t.status),
        line(w.progress, `${t.doneCount}/${t.minCount}`),
        line(w.link, url),
        ...(t.calendarProvisional ? [w.provisional] : []),
      ].join("\n"),
      url,
      alarm: t.state === "open" || t.state === "returned",
      updatedAt: t.updatedAt,
    };
  });
}

const utcMidnight = (date: string) => new Date(`${date}T00:00:00Z`);

/** The iCalendar text: one all-day VEVENT per entry, in the tenant's time zone (X-WR-TIMEZONE). */
export function renderFeed(events: FeedEvent[], member: FeedMember, ctx: Pick<FeedContext, "tenant" | "now" | "publicUrl">): string {
  const w = words[member.lang];
  const calendar = ical({
    prodId: { company: "qingdan", product: "calendar-feed", language: member.lang === "en" ? "EN" : "ZH" },
    // ical-generator escapes events' text but writes these two as given: a name with a comma, a
    // semicolon or a line break must not break (or add to) the calendar.
    name: escape(w.calendarName(member.name), false),
    description: escape(w.calendarDescription(ctx.tenant.name), false),
    ttl: FEED_TTL_SECONDS,
  });
  for (const e of events) {
    const event = calendar.createEvent({
      id: e.uid,
      allDay: true,
      start: utcMidnight(e.date),
      end: utcMidnight(addDays(e.date, 1)),
      stamp: ctx.now,
      summary: e.summary,
      description: e.description ?? null,
      url: e.url ?? null,
      transparency: ICalEventTransparency.TRANSPARENT,
      lastModified: e.updatedAt ? new Date(e.updatedAt) : null,
    });
    if (e.alarm && alarmStillAhead(e.date, ctx.tenant.timezone, ctx.now)) {
      event.createAlarm({ type: ICalAlarmType.display, trigger: ALARM_BEFORE_SECONDS, description: e.summary });
    }
  }
  return withZoneHint(calendar.toString(), ctx.tenant.timezone);
}

/**
 * Names the tenant's zone (X-WR-TIMEZONE) among the calendar's properties. Not through ical-generator:
 * its `timezone` would also write DTSTAMP and the all-day dates from the host's local clock (wrong on a
 * server outside the tenant's zone), and its custom properties land after the events, where RFC 5545
 * has no calendar properties. The dates need no zone (all-day dates are floating); this is the hint
 * calendar apps show and use for anything floating.
 */
function withZoneHint(ics: string, timeZone: string) {
  const header = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
  if (!ics.startsWith(header)) return ics; // a changed ical-generator: the hint goes, the feed stays (the tests notice)
  return `${header}X-WR-TIMEZONE:${timeZone.replace(/[^A-Za-z0-9/_+-]/g, "")}\r\n${ics.slice(header.length)}`;
}

/** The day before at 09:00 in the tenant's zone has not passed yet. */
function alarmStillAhead(date: string, timeZone: string, now: Date) {
  return zonedInstant(addDays(date, -1), "09:00:00", timeZone).getTime() > now.getTime();
}

/**
 * The feed for a token, or null when the token is unknown, rotated, turned off or its member disabled.
 * One round trip for the member and their tasks; extra sources (the extension point) after it, in parallel.
 */
export async function calendarFeed(deps: { db: TenantDb; tenant: TenantFacts; now: Date; publicUrl: string }, token: string, sources: readonly ExtraFeedEvents[] = []) {
  const today = localDate(deps.now, deps.tenant.timezone);
  const read = await readFeed(deps.db, token, today, deps.tenant.locale);
  if (!read) return null;
  const ctx: FeedContext = { ...deps, today };
  const extra = await Promise.all(sources.map((source) => source(read.member, ctx)));
  const events = [...taskFeedEvents(read.tasks, read.member, ctx), ...extra.flat()];
  return renderFeed(events, read.member, ctx);
}
