import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { issueComments, issues, members } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { visibleIssues } from "../projects/access.js";

const visibleIssue = (ctx: ServiceContext, id: string) =>
  ctx.db
    .select({ id: issues.id })
    .from(issues)
    .where(and(eq(issues.id, id), visibleIssues(ctx.actor)));

export async function listComments(ctx: ServiceContext, id: string, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, 2);
  const [[issue], rows] = await ctx.db.batch([
    visibleIssue(ctx, id),
    ctx.db
      .select({ ...getTableColumns(issueComments), authorName: members.name })
      .from(issueComments)
      .leftJoin(members, eq(members.id, issueComments.authorId))
      .where(and(eq(issueComments.issueId, id), after ? sql`(${issueComments.createdAt}, ${issueComments.id}) > (${after[0]}, ${after[1]})` : undefined))
      .orderBy(asc(issueComments.createdAt), asc(issueComments.id))
      .limit(q.limit + 1),
  ]);
  if (!issue) throw notFound("issue.not_found");
  return page(rows, q.limit, (r) => [r.createdAt, r.id]);
}

/** Anyone who can see the problem may comment (a comment is not a step: the status does not change). */
export async function addComment(ctx: ServiceContext, id: string, body: string) {
  const [[issue], [me]] = await ctx.db.batch([visibleIssue(ctx, id), ctx.db.select({ name: members.name }).from(members).where(eq(members.id, ctx.actor.memberId))]);
  if (!issue) throw notFound("issue.not_found");
  const row = { id: newId("cmt", ctx.now.getTime()), issueId: id, authorId: ctx.actor.memberId, body, createdAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [ctx.db.insert(issueComments).values(row), auditInsert(ctx, { action: "issue.commented", entityType: "issue", entityId: id, after: row })]);
  return { ...row, authorName: me?.name ?? null };
}
