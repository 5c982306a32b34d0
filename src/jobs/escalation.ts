import { addDays } from "../calendar/days.js";
import type { EscalationRung } from "../db/tenant/reminders.js";

export const DEFAULT_ESCALATION_LADDER: EscalationRung[] = ["supervisor", "road_chief", "admin"];

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The escalation step a problem has reached on `day`: none before `dueDay + afterDays`, step 0 from
 * then, and one more every `afterDays` days (every day when it is 0) while it stays unresolved. Counted
 * in calendar days, so a step whose day fell on a holiday (or a day reminders were off) is the step
 * of the first sending day after it: nothing is skipped, nothing waits for an exact day.
 */
export function escalationStep(dueDay: string, day: string, afterDays: number): number | null {
  const first = addDays(dueDay, afterDays);
  if (day < first) return null;
  return Math.floor(daysBetween(first, day) / Math.max(afterDays, 1));
}

/** The rungs a step reaches: the ladder up to it (the top rung repeats); each rung keeps hearing until it is resolved. */
export const rungsOf = (ladder: readonly EscalationRung[], step: number): EscalationRung[] => ladder.slice(0, Math.min(step + 1, ladder.length));
