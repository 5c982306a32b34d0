import { sql, type SQL } from "drizzle-orm";
import { files } from "../../db/tenant/files.js";
import type { Actor } from "../../http/env.js";
import { visibleChecklists } from "../checklists/service.js";
import { visibleIssues, visibleProjects } from "../projects/access.js";
import { visiblePledges } from "../pledges/access.js";
import { visibleTo as visibleTasks } from "../tasks/queries.js";
import { readableLogOf } from "../worklogs/leaders.js";

/**
 * Who may read a file: its uploader, and whoever may see an object it is attached to, by that
 * object's own rule (each module keeps its rule; this only asks it). An admin sees every attached
 * file but, like everyone, not another member's unattached upload. One SQL condition on `files`.
 */
export function readableFiles(actor: Actor): SQL {
  const where = (condition: SQL | undefined) => condition ?? sql`1`;
  return sql`(${files.uploadedBy} = ${actor.memberId} OR EXISTS (SELECT 1 FROM file_links l WHERE l.file_id = ${files.id} AND (
    (l.scope_type = 'task' AND l.scope_id IN (SELECT id FROM tasks WHERE ${where(visibleTasks(actor))}))
    OR (l.scope_type = 'project' AND l.scope_id IN (SELECT id FROM projects WHERE ${where(visibleProjects(actor))}))
    OR (l.scope_type = 'issue' AND l.scope_id IN (SELECT id FROM issues WHERE ${where(visibleIssues(actor))}))
    OR (l.scope_type = 'pledge' AND l.scope_id IN (SELECT id FROM pledges WHERE ${where(visiblePledges(actor))}))
    OR (l.scope_type = 'checklist' AND l.scope_id IN (SELECT id FROM checklists WHERE ${where(visibleChecklists(actor))}))
    OR (l.scope_type = 'worklog' AND ${readableLogOf(actor, sql`l.scope_id`)}))))`;
}
