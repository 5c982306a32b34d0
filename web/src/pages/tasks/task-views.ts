import type { InferResponseType } from "hono/client";
import type { api } from "../../api";

export type Task = InferResponseType<typeof api.v1.tasks.$get, 200>["data"][number];
export type TaskDetail = InferResponseType<(typeof api.v1.tasks)[":id"]["$get"], 200>;
export type TaskRecord = TaskDetail["records"][number];

/** A record's photos: files uploaded through the files API (signed URLs) and links given as attachments. */
export function photosOf(record: TaskRecord): { url: string; name?: string }[] {
  return [...record.files.filter((f) => f.contentType.startsWith("image/")), ...record.attachments];
}

/** Whether the doer may still add records and submit. */
export const isOpen = (task: Pick<Task, "status">) => task.status === "open" || task.status === "returned" || task.status === "overdue";

/** The latest return's reason, while the task is returned. */
export function returnReason(task: TaskDetail) {
  if (task.status !== "returned") return undefined;
  return [...task.reviews].reverse().find((r) => r.decision === "returned")?.reason ?? undefined;
}
