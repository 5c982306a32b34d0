import { and, eq, sql } from "drizzle-orm";
import { addDays } from "../calendar/days.js";
import { localDate, zonedInstant } from "../calendar/zoned.js";
import type { TenantDb } from "../db/tenant/index.js";
import { problemEscalations } from "../db/tenant/reminders.js";
import { members } from "../db/tenant/schema.js";
import { dueProblemsQuery, overdueProblemsQueries, problemViews } from "../modules/issues/overdue.js";
import { runningClock, UNRESOLVED_SQL } from "../modules/issues/statuses.js";
import { escalationStep, rungsOf } from "./escalation.js";
import type { PlannedItem, ReminderSource } from "./plan.js";

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** An escalation step planned for a problem's clock: told once, when every digest carrying it went out. */
export interface EscalationTold {
  issueId: string;
  clock: "ack" | "resolve";
  step: number;
}

/**
 * 吹哨报到 clocks, by the rules the pages use (`overdueProblems`, `runningClock`): the handler hears of
 * the acknowledge-by or resolve-by day on the lead days, and every sending day it is overdue. Overdue
 * `escalateAfterDays`, a problem climbs the escalation ladder (supervisor → road chief → admins, as
 * the settings order it), one rung every that many days while unresolved. A step is told on the first
 * sending day it is due and never again (`problem_escalations`), so a step whose day passed unseen —
 * a holiday, reminders off, a problem raised backdated — is not lost.
 */
export const problemReminders: ReminderSource = async ({ db, rules, day, coveredDays: days, timeZone }) => {
  const at = zonedInstant(day, "00:00:00", timeZone).toISOString();
  const until = zonedInstant(addDays(day, Math.max(...rules.leadDays, 0) + 1), "00:00:00", timeZone).toISOString();
  const [overdueRows, categories, dueRows, told, admins] = await db.batch([
    ...overdueProblemsQueries(db, at),
    dueProblemsQuery(db, at, until),
    db.select().from(problemEscalations),
    db.select({ id: members.id }).from(members).where(and(eq(members.role, "admin"), eq(members.status, "active"))),
  ]);
  const stepTold = new Map(told.map((t) => [`${t.issueId}|${t.clock}`, t.step]));
  const items: PlannedItem[] = [];
  const describe = (p: ReturnType<typeof problemViews>[number]) => {
    const clock = runningClock(p);
    const dueDay = localDate(new Date(clock.due), timeZone);
    return { clock, dueDay, base: { category: "problems" as const, ref: { type: "issue" as const, id: p.id }, title: p.title, context: p.projectName, dueDate: dueDay, daysLeft: daysBetween(day, dueDay), clock: clock.kind } };
  };
  for (const p of problemViews(overdueRows, categories, at)) {
    const { clock, dueDay, base } = describe(p);
    items.push({ ...base, recipientId: p.handlerId, kind: "overdue" });
    const step = escalationStep(dueDay, day, rules.escalateAfterDays);
    if (step === null || step <= (stepTold.get(`${p.id}|${clock.kind}`) ?? -1)) continue;
    const to = new Set(rungsOf(rules.escalationLadder, step).flatMap((rung) => (rung === "supervisor" ? [p.supervisorId] : rung === "road_chief" ? [p.roadChiefId] : admins.map((a) => a.id))));
    for (const id of to) if (id && id !== p.handlerId) items.push({ ...base, recipientId: id, kind: "escalation", escalation: { issueId: p.id, clock: clock.kind, step } });
  }
  for (const p of problemViews(dueRows, categories, at)) {
    const { dueDay, base } = describe(p);
    if (days.some((d) => rules.leadDays.includes(daysBetween(d, dueDay)))) items.push({ ...base, recipientId: p.handlerId, kind: "due" });
  }
  return items;
};

/**
 * True whenever `problemReminders` can plan anything (the planning's probe, plan-morning.ts): both its
 * queries read unresolved problems only (`overdueAt`'s unacknowledged statuses are unresolved ones).
 */
export const problemsPossible = () => sql`EXISTS (SELECT 1 FROM issues WHERE issues.status IN ${UNRESOLVED_SQL})`;

/** Records the steps a morning told (after its digests went out): the next step waits for its own day. */
export async function markEscalationsTold(db: TenantDb, day: string, steps: EscalationTold[]) {
  if (steps.length === 0) return;
  const rows = steps.map((s) => ({ ...s, toldOn: day }));
  await db
    .insert(problemEscalations)
    .values(rows)
    .onConflictDoUpdate({ target: [problemEscalations.issueId, problemEscalations.clock], set: { step: sql`max(${problemEscalations.step}, excluded.step)`, toldOn: sql`excluded.told_on` } });
}
