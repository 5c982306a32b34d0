import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import { issueComments, issues, members } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { decodeCursor, page } from "../../http/pagination.js";
import { conflict, notFound } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import { attachableFiles, fileLinkWrites, fileRefsOf, refsByEntity } from "../files/attach.js";
import { visibleIssues } from "../projects/access.js";

/** Anyone who sees a problem may comment, so comments are capped (the list pages through them): none grows without bound. */
export const MAX_COMMENTS_PER_ISSUE = 400;

const visibleIssue = (ctx: ServiceContext, id: string) =>
  ctx.db
    .select({ id: issues.id, commentCount: sql<number>`(SELECT count(*) FROM issue_comments c WHERE c.issue_id = ${id})`.mapWith(Number) })
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
  const result = page(rows, q.limit, (r) => [r.createdAt, r.id]);
  const files = await refsByEntity(ctx, result.data.length ? await fileRefsOf(ctx, "issue_comment", result.data.map((r) => r.id)) : []);
  return { ...result, data: result.data.map((r) => ({ ...r, files: files.get(r.id) ?? [] })) };
}

/** Anyone who can see the problem may comment (a comment is not a step: the status does not change). */
export async function addComment(ctx: ServiceContext, id: string, input: { body: string; fileIds: string[] }) {
  const [[issue], [me], offered] = await ctx.db.batch([visibleIssue(ctx, id), ctx.db.select({ name: members.name }).from(members).where(eq(members.id, ctx.actor.memberId)), attachableFiles(ctx, input.fileIds)]);
  if (!issue) throw notFound("issue.not_found");
  if (issue.commentCount >= MAX_COMMENTS_PER_ISSUE) throw conflict("issue.too_many_comments", `${MAX_COMMENTS_PER_ISSUE}`);
  const row = { id: newId("cmt", ctx.now.getTime()), issueId: id, authorId: ctx.actor.memberId, body: input.body, createdAt: ctx.now.toISOString() };
  const links = fileLinkWrites(ctx, offered, input.fileIds, { entityType: "issue_comment", entityId: row.id, scopeType: "issue", scopeId: id });
  await runBatch(ctx.db, [ctx.db.insert(issueComments).values(row), ...links.statements, auditInsert(ctx, { action: "issue.commented", entityType: "issue", entityId: id, after: { ...row, fileIds: input.fileIds } })]);
  return { ...row, authorName: me?.name ?? null, files: (await refsByEntity(ctx, links.refRows)).get(row.id) ?? [] };
}
