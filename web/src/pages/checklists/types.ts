import type { InferRequestType, InferResponseType } from "hono/client";
import type { api } from "../../api";

export type Checklist = InferResponseType<(typeof api.v1.checklists)[":id"]["$get"], 200>;
export type ChecklistSummary = InferResponseType<typeof api.v1.checklists.$get, 200>["data"][number];
export type Item = Checklist["items"][number];
export type Preset = InferResponseType<typeof api.v1.schedules.presets.$get, 200>["data"][number];
export type Occurrence = InferResponseType<typeof api.v1.schedules.preview.$post, 200>["occurrences"][number];
/** An assignee as the API takes it (the request type: branch kinds stay a union). */
export type Assignee = InferRequestType<(typeof api.v1.checklists)[":id"]["items"]["$post"]>["json"]["assignees"][number];
export type Branch = InferResponseType<typeof api.v1.branches.$get, 200>["data"][number];

export const checklistKinds = ["party_affairs", "learning", "service", "responsibility", "task", "problem"] as const;
export const branchKinds = ["party_committee", "general_branch", "branch", "party_group", "temporary_branch"] as const;

/** Items grouped by module in the order they first appear (the list's own order). */
export function byModule<T extends { module: string }>(items: T[]): { module: string; items: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.module, [...(groups.get(item.module) ?? []), item]);
  return [...groups].map(([module, list]) => ({ module, items: list }));
}
