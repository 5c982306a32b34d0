import { eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { runBatch, type Statement } from "../../db/batch.js";
import { taskAssignees, tasks } from "../../db/tenant/checklists.js";
import { publishChunks } from "../../db/tenant/publishing.js";
import type { ServiceContext } from "../../http/env.js";
import { conflict } from "../../http/problem.js";

type TaskInsert = typeof tasks.$inferInsert;
type AssigneeInsert = typeof taskAssignees.$inferInsert;

/**
 * Tasks per chunk: about 500 bytes of JSON a task with its assignee row, so a chunk is ~1 MB, well
 * inside what one request to Turso may carry (and one statement's size); 40,000 tasks are 20 chunks.
 * A publish of at most this many tasks stays one batch.
 */
export const TASKS_PER_CHUNK = 2_000;

/** Raised in SQL when the chunks of this attempt are not all there (another publish cleared them). */
const INCOMPLETE = "integer overflow";

/** Rows as JSON of their driver values (booleans as 0/1, JSON columns as text), by property name. */
function driverRows(table: SQLiteTable, rows: object[]) {
  const columns = getTableColumns(table) as Record<string, { mapToDriverValue(v: unknown): unknown }>;
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined).map(([key, value]) => [key, value === null ? null : columns[key]!.mapToDriverValue(value)])));
}

/** INSERT … SELECT from this attempt's chunks: the database unpacks the JSON, so the final request stays small. */
function moveRows(ctx: ServiceContext, table: SQLiteTable, keys: string[], field: "tasks" | "assignees", attempt: string): Statement {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const names = keys.map((key) => sql.identifier(columns[key]!.name));
  const values: SQL[] = keys.map((key) => sql`json_extract(j.value, ${`$.${key}`})`);
  return ctx.db.run(
    sql`INSERT INTO ${table} (${sql.join(names, sql`, `)}) SELECT ${sql.join(values, sql`, `)} FROM ${publishChunks} c, json_each(c.${sql.raw(field)}) j WHERE c.attempt = ${attempt} ORDER BY c.seq, j.key`,
  );
}

/**
 * Publishes a big checklist in bounded requests: each chunk of tasks goes into `publish_chunks`,
 * then one batch checks that every chunk of this attempt arrived, moves them into `tasks` and
 * `task_assignees`, runs `finalStatements` (the draft → published guard and the audit row) and
 * clears the chunks. Until that batch, no task exists and the checklist is still a draft: a chunk
 * that fails leaves nothing half-published, and publishing again starts over (clearing the
 * leftovers of the failed attempt).
 */
export async function publishInChunks(ctx: ServiceContext, checklistId: string, taskRows: TaskInsert[], assigneeRows: AssigneeInsert[], finalStatements: Statement[]) {
  const attempt = crypto.randomUUID();
  const assigneesOf = new Map<string, AssigneeInsert[]>();
  for (const row of assigneeRows) assigneesOf.set(row.taskId, [...(assigneesOf.get(row.taskId) ?? []), row]);
  const stamp = ctx.now.toISOString();
  let chunks = 0;
  for (let i = 0; i < taskRows.length; i += TASKS_PER_CHUNK) {
    const slice = taskRows.slice(i, i + TASKS_PER_CHUNK);
    const insert = ctx.db.insert(publishChunks).values({
      checklistId,
      attempt,
      seq: chunks,
      tasks: JSON.stringify(driverRows(tasks, slice)),
      assignees: JSON.stringify(driverRows(taskAssignees, slice.flatMap((t) => assigneesOf.get(t.id!) ?? []))),
      createdAt: stamp,
    });
    // The first chunk clears what an earlier, failed attempt left behind.
    await runBatch(ctx.db, chunks === 0 ? [ctx.db.delete(publishChunks).where(eq(publishChunks.checklistId, checklistId)), insert] : [insert]);
    chunks++;
  }
  const complete = ctx.db.run(
    sql`SELECT CASE WHEN (SELECT count(*) FROM ${publishChunks} WHERE ${publishChunks.attempt} = ${attempt}) = ${chunks} THEN 1 ELSE abs(-9223372036854775807 - 1) END`,
  );
  const taskKeys = Object.keys(driverRows(tasks, taskRows.slice(0, 1))[0] ?? {});
  const assigneeKeys = Object.keys(driverRows(taskAssignees, assigneeRows.slice(0, 1))[0] ?? {});
  try {
    await runBatch(ctx.db, [
      complete,
      ...finalStatements,
      moveRows(ctx, tasks, taskKeys, "tasks", attempt),
      ...(assigneeKeys.length ? [moveRows(ctx, taskAssignees, assigneeKeys, "assignees", attempt)] : []),
      ctx.db.delete(publishChunks).where(eq(publishChunks.checklistId, checklistId)),
    ]);
  } catch (error) {
    // Another publish of this checklist started meanwhile and cleared our chunks: it is the one that counts.
    if (String((error as Error)?.message ?? "").includes(INCOMPLETE) || String((error as { cause?: Error })?.cause?.message ?? "").includes(INCOMPLETE)) throw conflict("checklist.already_published");
    throw error;
  }
  return { chunks };
}
