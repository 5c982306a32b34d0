import type { InferResponseType } from "hono/client";
import type { api } from "../../api";

export type ProblemDetail = InferResponseType<(typeof api.v1.issues)[":id"]["$get"], 200>;
export type ProblemRow = InferResponseType<typeof api.v1.issues.$get, 200>["data"][number];
export type ProblemAction = ProblemDetail["allowedActions"][number];

const waitingForAck = new Set(["open", "transferred"]);
const unresolved = new Set(["open", "transferred", "acknowledged", "in_progress", "returned"]);

/** The clock that runs now: acknowledge-by until acknowledged, then resolve-by until resolved. */
export function runningClock(p: Pick<ProblemRow, "status" | "ackDueAt" | "resolveDueAt">): { kind: "ack" | "resolve"; dueAt: string } | null {
  if (waitingForAck.has(p.status)) return { kind: "ack", dueAt: p.ackDueAt };
  if (unresolved.has(p.status)) return { kind: "resolve", dueAt: p.resolveDueAt };
  return null;
}
