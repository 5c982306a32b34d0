// The server's own type, from the declarations scripts/vue-tsc.cjs emits (as hc<AppType> is read):
// the rankings route also answers CSV, so the typed client cannot name its JSON rows.
import type { checklistRankings } from "#api-types/modules/reports/checklists";

/** A row of GET /v1/reports/checklists/rankings. */
export type LedgerRow = Awaited<ReturnType<typeof checklistRankings>>["data"][number];
export type GroupBy = "member" | "branch";

/** Done out of assigned, in whole percent (null when nothing was assigned). */
export const completion = (r: Pick<LedgerRow, "assigned" | "done">) => (r.assigned ? Math.round((100 * r.done) / r.assigned) : null);

/** 红黄绿: green from 90% done with nothing overdue, red below 60% or with overdue work, yellow between. */
export function tone(r: Pick<LedgerRow, "assigned" | "done" | "overdue">): "green" | "yellow" | "red" {
  const rate = completion(r) ?? 100;
  if (r.overdue > 0 && rate < 90) return "red";
  if (rate < 60) return "red";
  return rate >= 90 && r.overdue === 0 ? "green" : "yellow";
}

/** The period codes the API takes: 2026, 2026-H1, 2026-Q3, 2026-11. */
export type Grain = "year" | "half" | "quarter" | "month";
export function periodCode(year: number, grain: Grain, part: number): string {
  if (grain === "year") return String(year);
  if (grain === "half") return `${year}-H${part}`;
  if (grain === "quarter") return `${year}-Q${part}`;
  return `${year}-${String(part).padStart(2, "0")}`;
}
