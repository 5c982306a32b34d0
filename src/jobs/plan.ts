import { type SQL, sql } from "drizzle-orm";
import { addDays } from "../calendar/days.js";
import type { WorkCalendar } from "../calendar/work-calendar.js";
import { clientOf } from "../db/batch.js";
import type { TenantDb } from "../db/tenant/index.js";
import type { ReminderCategory } from "../db/tenant/reminders.js";
import { pledgeReminders, pledgesPossible } from "./plan-pledges.js";
import { type EscalationTold, problemReminders, problemsPossible } from "./plan-problems.js";
import { reviewReminders, reviewsPossible } from "./plan-reviews.js";
import { dateShiftReminders, dateShiftsPossible } from "./plan-date-shifts.js";
import { worklogReminders, worklogsPossible } from "./plan-worklogs.js";
import { examReminders, examsPossible } from "./plan-exams.js";
import { jsonRows, onceSql } from "../db/once-sql.js";
import type { ReminderRules } from "./settings.js";

export interface DigestItem {
  category: ReminderCategory;
  kind: "due" | "overdue" | "shortfall" | "summary" | "review" | "escalation" | "rescheduled" | "log_missing" | "log_review" | "log_score";
  /** What the item is, for the key of the line and for links (log_day: a date; log_team, log_month: a month). */
  ref: { type: "task" | "issue" | "pledge" | "log_day" | "log_team" | "log_month" | "exam"; id: string };
  /** An exam's closing time in the tenant's zone, "2026-12-05 17:00" (「考试将于…截止」). */
  closesAt?: string;
  title: string;
  context?: string;
  dueDate?: string;
  /** Negative: days overdue. */
  daysLeft?: number;
  /** Records against the minimum count, e.g. "1/2". */
  progress?: string;
  /** Which 吹哨报到 clock: acknowledge-by or resolve-by. */
  clock?: "ack" | "resolve";
  /** Who it concerns (in a secretary's summary). */
  who?: string;
  /** The date a deadline had before the year's official calendar moved it (「截止日期调整」). */
  movedFrom?: string;
}

export interface PlannedItem extends DigestItem {
  recipientId: string;
  /** An escalation step this item tells (marked told once the morning's digests went out). */
  escalation?: EscalationTold;
}

export interface PlanInput {
  db: TenantDb;
  rules: ReminderRules;
  /** The day the digest goes out, in the tenant's zone. */
  day: string;
  /** The days whose lead-day reminders this digest carries: itself and any non-working days just before it. */
  coveredDays: string[];
  timeZone: string;
  calendar: WorkCalendar;
}

/** A kind of reminder (tasks here; road-chief problems and pledges add theirs): items per recipient for a day. */
export type ReminderSource = (input: PlanInput) => Promise<PlannedItem[]>;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The days a digest sent on `day` speaks for. When email waits for working days, a reminder whose
 * day fell on the holiday before goes out with the next working day's digest instead of being lost.
 */
export function coveredDays(day: string, workingDaysOnly: boolean, calendar: WorkCalendar): string[] {
  if (!workingDaysOnly) return [day];
  const days = [day];
  for (let d = addDays(day, -1); !calendar.isWorkingDay(d) && days.length < 15; d = addDays(d, -1)) days.push(d);
  return days;
}

/** The tasks that may need a reminder by `horizon`: the same text for every tenant, written once (src/db/once-sql.ts). */
const dueTasks = onceSql<{ horizon: string }>(
  () => sql`
    SELECT json_group_array(json_array(t.id, t.title, t.module, t.due_date, t.done_count, t.min_count, c.title, coalesce(ta.member_id, b.secretary_id)))
    FROM tasks t JOIN checklists c ON c.id = t.checklist_id JOIN task_assignees ta ON ta.task_id = t.id
    LEFT JOIN branches b ON b.id = ta.branch_id
    WHERE t.state IN ('open', 'returned') AND t.due_date <= ${sql.placeholder("horizon")} AND c.status = 'published'`,
);
/** id, title, module, due date, done count, minimum count, checklist, recipient (jsonRows). */
type DueTask = [string, string, string, string, number, number, string, string | null];

/** Open and returned tasks: due on a lead day, overdue, or short of their minimum count near the end of their period. */
export const taskReminders: ReminderSource = async ({ db, rules, day, coveredDays: days }) => {
  const horizon = addDays(day, Math.max(...rules.leadDays, rules.shortfallWindowDays, 0));
  const rows = jsonRows<DueTask>(await clientOf(db).execute(dueTasks({ horizon })));
  const items: PlannedItem[] = [];
  // A bureau's hundreds of tasks share a few due dates: each date's arithmetic once, not once a task.
  const dates = new Map<string, { daysLeft: number; leadDay: boolean }>();
  for (const [id, title, module, dueDate, doneCount, minCount, checklist, recipient] of rows) {
    // A branch's own task goes to its secretary: one reminder, not one to every member.
    if (!recipient) continue;
    let date = dates.get(dueDate);
    if (!date) dates.set(dueDate, (date = { daysLeft: daysBetween(day, dueDate), leadDay: days.some((d) => rules.leadDays.includes(daysBetween(d, dueDate))) }));
    const { daysLeft } = date;
    const short = minCount > 1 && doneCount < minCount;
    const kind = daysLeft < 0 ? "overdue" : date.leadDay ? "due" : short && daysLeft <= rules.shortfallWindowDays ? "shortfall" : null;
    if (!kind) continue;
    const item: PlannedItem = { recipientId: recipient, category: "tasks", ref: { type: "task", id }, title, context: `${checklist} · ${module}`, dueDate, daysLeft, kind };
    if (short) item.progress = `${doneCount}/${minCount}`;
    items.push(item);
  }
  return items;
};

const isoWeekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() || 7;

/** On the summary weekday, each secretary hears what is overdue anywhere in the subtrees they lead. */
export const weeklySummary: ReminderSource = async ({ db, rules, day, coveredDays: days }) => {
  if (!days.some((d) => isoWeekday(d) === rules.summaryWeekday)) return [];
  const rows = await db.all<{ recipient: string; id: string; title: string; dueDate: string; who: string }>(sql`
    SELECT DISTINCT s.secretary_id AS recipient, t.id AS id, t.title AS title, t.due_date AS dueDate, coalesce(m.name, b.name) AS who
    FROM tasks t JOIN task_assignees ta ON ta.task_id = t.id
    LEFT JOIN members m ON m.id = ta.member_id
    JOIN branches b ON b.id = coalesce(ta.branch_id, m.branch_id)
    JOIN branches s ON b.path GLOB s.path || '*' AND s.secretary_id IS NOT NULL
    WHERE t.state IN ('open', 'returned') AND t.due_date < ${day}
    ORDER BY t.due_date`);
  return rows.map((r) => ({ recipientId: r.recipient, category: "summary" as const, kind: "summary" as const, ref: { type: "task" as const, id: r.id }, title: r.title, dueDate: r.dueDate, daysLeft: daysBetween(day, r.dueDate), who: r.who }));
};

/** What a source's `possible` condition may read: the probe's SQL is written once, with these as placeholders (plan-morning.ts). */
export const PROBE_VALUES = { day: sql.placeholder("day"), dayBefore: sql.placeholder("dayBefore"), month: sql.placeholder("month") };
export type ProbeValues = typeof PROBE_VALUES;

export interface SourceEntry {
  plan: ReminderSource;
  /**
   * True whenever `plan` can return anything: EXISTS on the source's own tables with a condition its
   * query implies (the same SQL fragment). False, the source is not run. Absent: it always runs.
   */
  possible?: (p: ProbeValues) => SQL;
}

/** Tasks always run (nearly every tenant has some; the weekly summary only on its weekday, without a query otherwise). */
export const reminderSources: SourceEntry[] = [
  { plan: taskReminders },
  { plan: reviewReminders, possible: reviewsPossible },
  { plan: weeklySummary },
  { plan: problemReminders, possible: problemsPossible },
  { plan: pledgeReminders, possible: pledgesPossible },
  { plan: dateShiftReminders, possible: dateShiftsPossible },
  { plan: worklogReminders, possible: worklogsPossible },
  { plan: examReminders, possible: examsPossible },
];
