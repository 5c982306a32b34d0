import { isUniqueViolation, runBatch, type Statement } from "../../db/batch.js";
import { type IssueStatus, unacknowledgedStatuses, unresolvedStatuses } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { invalidField, ProblemError } from "../../http/problem.js";
import type { IssueAccess, IssueRole } from "../projects/access.js";
import type { issueActions } from "./schemas.js";

/**
 * 吹哨报到 problems: 有人办 (the handler), 有人跟 (followers), 有人督 (the supervisor), and two clocks.
 *
 *   open ──acknowledge──▶ acknowledged ──start──▶ in_progress ──resolve──▶ resolved ──verify──▶ verified ──close──▶ closed
 *     ▲                         │  └──────────────resolve──────────────────▲   │
 *     │ (transferred: the new   │                                          │   └──return (with reason)──▶ returned ──start / resolve──▶ …
 *     │  handler acknowledges)  └── transfer (any unresolved status, with reason) ──▶ transferred
 *
 * Only the handler acknowledges, starts and resolves; only the supervisor or the road chief returns,
 * verifies and closes; the handler, the supervisor or the road chief transfers. Anyone who can see a
 * problem may comment; nobody else may step it on (not even an admin: the bureau reassigns through the
 * road chief or supervisor, or edits the project's road chief).
 */

export type TransitionAction = "acknowledge" | "start" | "resolve" | "return" | "verify" | "close" | "transfer";

export const TRANSITIONS: Record<TransitionAction, { from: IssueStatus[]; to: IssueStatus; by: IssueRole[]; event: string }> = {
  acknowledge: { from: [...unacknowledgedStatuses], to: "acknowledged", by: ["handler"], event: "acknowledged" },
  start: { from: ["acknowledged", "returned"], to: "in_progress", by: ["handler"], event: "started" },
  resolve: { from: ["acknowledged", "in_progress", "returned"], to: "resolved", by: ["handler"], event: "resolved" },
  return: { from: ["resolved"], to: "returned", by: ["supervisor", "road_chief"], event: "returned" },
  verify: { from: ["resolved"], to: "verified", by: ["supervisor", "road_chief"], event: "verified" },
  close: { from: ["verified"], to: "closed", by: ["supervisor", "road_chief"], event: "closed" },
  transfer: { from: [...unresolvedStatuses], to: "transferred", by: ["handler", "supervisor", "road_chief"], event: "transferred" },
};

/** Who may edit a problem's description, category, units, followers and supervisor. */
export const canEdit = (a: IssueAccess) => a.admin || a.overseer || a.roles.includes("road_chief") || a.roles.includes("supervisor");


type IssueAction = (typeof issueActions)[number];

/** 有人办、有人督: whoever handles a problem does not also verify or close it, whatever other role they hold on it. */
export const selfCheck = (action: TransitionAction, access: IssueAccess) => (action === "verify" || action === "close") && access.roles.includes("handler");

export function allowedActions(status: IssueStatus, access: IssueAccess): IssueAction[] {
  const out: IssueAction[] = [];
  for (const [action, rule] of Object.entries(TRANSITIONS) as [TransitionAction, (typeof TRANSITIONS)[TransitionAction]][]) {
    if (rule.from.includes(status) && rule.by.some((r) => access.roles.includes(r)) && !selfCheck(action, access)) out.push(action);
  }
  if (status !== "closed" && canEdit(access)) out.push("edit");
  out.push("comment");
  return out;
}

export const SKEW_MS = 5 * 60_000;

interface PeopleCheck {
  handlerId?: string;
  supervisorId?: string | null;
  followerIds?: string[];
}

/** The named people must be active (or invited) members; the handler cannot supervise themselves (有人办、有人督 are two people). */
export function checkPeople(input: PeopleCheck, people: { id: string; status: string }[], current: { handlerId?: string; supervisorId?: string | null } = {}) {
  const usable = new Set(people.filter((p) => p.status !== "disabled").map((p) => p.id));
  if (input.handlerId && !usable.has(input.handlerId)) throw invalidField("handlerId", "成员不存在或已停用 / No such active member");
  if (input.supervisorId && !usable.has(input.supervisorId)) throw invalidField("supervisorId", "成员不存在或已停用 / No such active member");
  input.followerIds?.forEach((id, i) => {
    if (!usable.has(id)) throw invalidField(`followerIds.${i}`, "成员不存在或已停用 / No such active member");
  });
  const handler = input.handlerId ?? current.handlerId;
  const supervisor = input.supervisorId === undefined ? current.supervisorId : input.supervisorId;
  if (handler && supervisor && handler === supervisor) {
    throw invalidField(input.supervisorId !== undefined ? "supervisorId" : "handlerId", "承办人与督办人不能是同一人 / The handler cannot also be the supervisor");
  }
}

export const dedupe = <T>(xs: T[]) => [...new Set(xs)];


/** Writes a change with its history row and audit row; a racing change of the same version makes this one a 409. */
export async function commit(ctx: ServiceContext, statements: Statement[]) {
  try {
    await runBatch(ctx.db, statements);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ProblemError("issue.changed");
    throw error;
  }
}
