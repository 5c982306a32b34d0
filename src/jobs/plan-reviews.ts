import { sql } from "drizzle-orm";
import type { PlannedItem, ReminderSource } from "./plan.js";

/** A task waiting for its review: the one condition of the query and of its probe. */
const submitted = sql`t.state = 'submitted'`;

/** True whenever `reviewReminders` can plan anything (the planning's probe, plan-morning.ts). */
export const reviewsPossible = () => sql`EXISTS (SELECT 1 FROM tasks t WHERE ${submitted})`;

/**
 * Submitted tasks wait for a reviewer: the secretary nearest above the doer's branch (its own, else its
 * parent's, and so on) who is not one of the doers. An admin can review too, but is not chased for it.
 */
export const reviewReminders: ReminderSource = async ({ db }) => {
  const [waiting, leaders] = await db.batch([
    db.all<{ id: string; title: string; dueDate: string; checklist: string; path: string | null; doers: string; branchTask: number }>(sql`
      SELECT t.id AS id, t.title AS title, t.due_date AS dueDate, c.title AS checklist,
        (SELECT b.path FROM task_assignees ta LEFT JOIN members m ON m.id = ta.member_id JOIN branches b ON b.id = coalesce(ta.branch_id, m.branch_id) WHERE ta.task_id = t.id LIMIT 1) AS path,
        (SELECT json_group_array(coalesce(ta.member_id, '')) FROM task_assignees ta WHERE ta.task_id = t.id) AS doers,
        EXISTS (SELECT 1 FROM task_assignees ta WHERE ta.task_id = t.id AND ta.branch_id IS NOT NULL) AS branchTask
      FROM tasks t JOIN checklists c ON c.id = t.checklist_id
      WHERE ${submitted}`),
    db.all<{ path: string; secretaryId: string }>(sql`SELECT path, secretary_id AS secretaryId FROM branches WHERE secretary_id IS NOT NULL`),
  ]);
  const secretaryAt = new Map(leaders.map((l) => [l.path, l.secretaryId]));
  const items: PlannedItem[] = [];
  for (const t of waiting) {
    if (!t.path) continue;
    const doers = new Set(JSON.parse(t.doers) as string[]);
    // Walk up the materialised path: /a/b/c/ → /a/b/c/, /a/b/, /a/. A branch's own task starts one
    // level up: its secretary is one of its doers.
    const parts = t.path.split("/").filter(Boolean);
    for (let n = t.branchTask ? parts.length - 1 : parts.length; n > 0; n--) {
      const reviewer = secretaryAt.get(`/${parts.slice(0, n).join("/")}/`);
      if (reviewer && !doers.has(reviewer)) {
        items.push({ recipientId: reviewer, category: "tasks", kind: "review", ref: { type: "task", id: t.id }, title: t.title, context: t.checklist, dueDate: t.dueDate });
        break;
      }
    }
  }
  return items;
};
