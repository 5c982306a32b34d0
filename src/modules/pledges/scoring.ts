import type { PledgeTarget, PledgeTargetProgress } from "../../db/tenant/schema.js";

/** Pure arithmetic of 践诺 and 评诺: progress toward targets, its trend, and the weighted score. */

export interface TargetStanding {
  id: string;
  achieved: number;
  done: boolean;
  percent: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Where each target stands after some updates, oldest first. Quantity targets add up the increments
 * (`amount`) reported, and a running total (`total`) replaces the sum so far; a done/not-done target
 * takes the latest mark. A target's percent is capped at 100, and
 * the pledge's percent is the mean over its targets (a pledge without targets is 0 until closed).
 */
export function progressOf(targets: PledgeTarget[], updates: { progress: PledgeTargetProgress[] }[]) {
  const achieved = new Map<string, number>();
  const done = new Map<string, boolean>();
  for (const update of updates) {
    for (const p of update.progress) {
      if (p.amount !== undefined) achieved.set(p.targetId, (achieved.get(p.targetId) ?? 0) + p.amount);
      if (p.total !== undefined) achieved.set(p.targetId, p.total);
      if (p.done !== undefined) done.set(p.targetId, p.done);
    }
  }
  const standings: TargetStanding[] = targets.map((t) => {
    const sum = achieved.get(t.id) ?? 0;
    if (t.type !== "quantity") {
      const isDone = done.get(t.id) ?? false;
      return { id: t.id, achieved: isDone ? 1 : 0, done: isDone, percent: isDone ? 100 : 0 };
    }
    const percent = t.amount && t.amount > 0 ? Math.min(100, (sum / t.amount) * 100) : 0;
    return { id: t.id, achieved: round1(sum), done: percent >= 100, percent: round1(percent) };
  });
  const percent = standings.length ? round1(standings.reduce((s, t) => s + t.percent, 0) / standings.length) : 0;
  return { percent, targets: standings };
}

/** The pledge's percent after each update, oldest first: the trend a reader sees. */
export function trendOf(targets: PledgeTarget[], updates: { progress: PledgeTargetProgress[]; createdAt: string }[]) {
  const trend: { at: string; percent: number }[] = [];
  for (let i = 0; i < updates.length; i++) trend.push({ at: updates[i]!.createdAt, percent: progressOf(targets, updates.slice(0, i + 1)).percent });
  return trend;
}

export interface Weights {
  self: number;
  leader: number;
  peer: number;
  public: number;
}

export interface ScoreParts {
  self: number | null;
  leader: number | null;
  peer: { count: number; average: number | null };
  public: { count: number; average: number | null };
}

/** Public ratings are 1–5 stars; on the 0–100 scale of the others a star is worth 20. */
export const starsToScore = (stars: number) => stars * 20;

/**
 * Σ weight × score over the kinds that have been given, divided by the weights of those kinds: a
 * missing kind (no public ratings, say) neither drags the score down nor lifts it. Null when nothing
 * weighed has been given.
 */
export function weightedScore(weights: Weights, parts: ScoreParts): number | null {
  const given: [number, number | null][] = [
    [weights.self, parts.self],
    [weights.leader, parts.leader],
    [weights.peer, parts.peer.average],
    [weights.public, parts.public.average],
  ];
  let sum = 0;
  let weight = 0;
  for (const [w, score] of given) {
    if (score === null || w <= 0) continue;
    sum += w * score;
    weight += w;
  }
  return weight > 0 ? round1(sum / weight) : null;
}

export function average(values: number[]): number | null {
  return values.length ? round1(values.reduce((s, v) => s + v, 0) / values.length) : null;
}
