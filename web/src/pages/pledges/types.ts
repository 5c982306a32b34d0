import type { InferResponseType } from "hono/client";
import type { api } from "../../api";

export type PledgeRow = InferResponseType<typeof api.v1.pledges.$get, 200>["data"][number];
export type PledgeDetail = InferResponseType<(typeof api.v1.pledges)[":id"]["$get"], 200>;
export type PledgeUpdate = InferResponseType<(typeof api.v1.pledges)[":id"]["updates"]["$get"], 200>["data"][number];

/** 红黄绿 for a pledge in progress: overdue red, due within 30 days and not done yellow, else green. */
export function pledgeTone(p: Pick<PledgeRow, "status" | "overdue" | "dueDate" | "progress">, now = Date.now()): "red" | "yellow" | "green" | null {
  if (p.status !== "approved") return null;
  if (p.overdue) return "red";
  const days = (Date.parse(`${p.dueDate}T23:59:59+08:00`) - now) / 86_400_000;
  return days <= 30 && p.progress.percent < 100 ? "yellow" : "green";
}
