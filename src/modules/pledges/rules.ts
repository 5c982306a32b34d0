import type { PledgeKind, PledgeTarget, PledgeVersionRow } from "../../db/tenant/schema.js";
import { conflict, forbidden, invalidField, ProblemError } from "../../http/problem.js";
import type { Loaded } from "./access.js";
import type { TargetInput } from "./schemas.js";

// Rules shared by the writes: who may act, in which state, on what content.

export const ownerOnly = (b: Loaded) => {
  if (!b.owner) throw forbidden();
};
export const reviewerOnly = (b: Loaded) => {
  if (b.owner) throw new ProblemError("pledge.own_pledge");
  if (!b.reviewer) throw forbidden();
};
export const notClosed = (b: Loaded) => {
  if (b.pledge.closedAt) throw conflict("pledge.closed");
};
export const inForce = (b: Loaded) => {
  if (b.pledge.approvedVersion === null) throw conflict("pledge.not_approved");
};
/**
 * A pledge holds at most this many progress updates (about one a day for a year) and versions: every
 * read of a pledge loads them, so neither may grow without bound. The lists page through them.
 */
export const MAX_UPDATES_PER_PLEDGE = 400;
export const MAX_VERSIONS_PER_PLEDGE = 50;
export const roomForUpdate = (b: Loaded) => {
  if (b.updates.length >= MAX_UPDATES_PER_PLEDGE) throw conflict("pledge.too_many_updates", `${MAX_UPDATES_PER_PLEDGE}`);
};
export const roomForVersion = (b: Loaded) => {
  if (b.versions.length >= MAX_VERSIONS_PER_PLEDGE) throw conflict("pledge.too_many_versions", `${MAX_VERSIONS_PER_PLEDGE}`);
};
export const currentOf = (b: Loaded) => b.versions.find((x) => x.version === b.pledge.currentVersion)!;

/** Targets without an id are numbered t1, t2, … by position, so resending the same list keeps their progress. */
export function normaliseTargets(input: TargetInput[]): PledgeTarget[] {
  const taken = new Set(input.map((t) => t.id).filter((id): id is string => id !== undefined));
  let n = 0;
  const next = () => {
    let id: string;
    do id = `t${++n}`;
    while (taken.has(id));
    taken.add(id);
    return id;
  };
  return input.map((t) => ({
    id: t.id ?? next(),
    title: t.title,
    type: t.type,
    amount: t.type === "quantity" ? t.amount : null,
    unit: t.type === "quantity" ? t.unit : null,
  }));
}

/**
 * What a kind's targets may be: a 责任书 (responsibility_statement) holds clauses (or done / not-done
 * items), never amounts; clauses belong to 责任书 only. Submitting needs at least one target (a
 * 责任书 at least one clause or item).
 */
export function checkTargetsOfKind(kind: PledgeKind, targets: PledgeTarget[]) {
  const statement = kind === "responsibility_statement";
  targets.forEach((t, i) => {
    if (statement && t.type === "quantity") throw invalidField(`targets.${i}.type`, "责任书写条款（type: clause），不设数量 / A responsibility statement holds clauses (type: clause), not amounts");
    if (!statement && t.type === "clause") throw invalidField(`targets.${i}.type`, "条款只用于责任书 / Clauses belong to responsibility statements");
  });
}
export function checkSubmittable(kind: PledgeKind, targets: PledgeTarget[]) {
  if (targets.length === 0) throw conflict(kind === "responsibility_statement" ? "pledge.no_clauses" : "pledge.incomplete");
}

export function checkDueInYear(year: number, dueDate: string) {
  if (Number(dueDate.slice(0, 4)) !== year) throw invalidField("dueDate", `截止日期须在 ${year} 年内 / The due date must fall in ${year}`);
}

export type Content = Pick<PledgeVersionRow, "title" | "content" | "category" | "targets" | "dueDate" | "projectId" | "checklistId">;
export const contentOf = (v: PledgeVersionRow): Content => ({ title: v.title, content: v.content, category: v.category, targets: v.targets, dueDate: v.dueDate, projectId: v.projectId, checklistId: v.checklistId });
