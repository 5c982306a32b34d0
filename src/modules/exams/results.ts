import { sql } from "drizzle-orm";
import { examQuestionVersions } from "../../db/tenant/exams.js";
import type { ServiceContext } from "../../http/env.js";
import { ProblemError } from "../../http/problem.js";
import { ledSubtreeIds, pathInLedSubtree } from "../branches/scope.js";
import { forbidden } from "../../http/problem.js";
import { competitionRank } from "../reports/rank.js";
import { closeExpiredAttempts } from "./attempts.js";
import { readPaper, released } from "./papers.js";

/**
 * Rankings of a paper by each member's best score (ties share a rank), or by branch (the mean of its
 * members' best scores). An admin sees every row, a secretary the rows of the subtrees they lead, and a
 * member the whole ranking once results are released.
 */
export async function paperRankings(ctx: ServiceContext, paperId: string, groupBy: "member" | "branch") {
  const { paper } = await readPaper(ctx, paperId);
  if (ctx.actor.role === "member" && !released(paper, ctx.now)) throw new ProblemError("exam_paper.results_hidden");
  await closeExpiredAttempts(ctx, paperId);
  const scope = ctx.actor.role === "secretary" ? pathInLedSubtree(ctx.actor.memberId, sql`b.path`) : sql`1`;
  const best = sql`SELECT a.member_id AS member_id, max(a.score) AS score, a.branch_id AS branch_id, max(a.passed) AS passed
    FROM exam_attempts a WHERE a.paper_id = ${paperId} AND a.status = 'submitted' GROUP BY a.member_id`;
  type Row = { id: string; name: string; branchName: string | null; score: number; participants: number; passed: number };
  const rows =
    groupBy === "member"
      ? await ctx.db.all<Row>(sql`WITH best AS (${best})
          SELECT m.id AS id, m.name AS name, b.name AS branchName, best.score AS score, 1 AS participants, best.passed AS passed
          FROM best JOIN members m ON m.id = best.member_id LEFT JOIN branches b ON b.id = best.branch_id
          WHERE ${scope}
          ORDER BY best.score DESC, m.name`)
      : await ctx.db.all<Row>(sql`WITH best AS (${best})
          SELECT b.id AS id, b.name AS name, NULL AS branchName, round(avg(best.score), 1) AS score, count(*) AS participants, sum(best.passed) AS passed
          FROM best JOIN branches b ON b.id = best.branch_id
          WHERE ${scope}
          GROUP BY b.id ORDER BY score DESC, b.path`);
  const data = rows.map((r) => ({ ...r, score: Number(r.score), participants: Number(r.participants), passed: Number(r.passed) }));
  return { groupBy, data: competitionRank(data, (r) => r.score) };
}

/**
 * How each question went: the most-missed first, which is what the next 党课 should cover. An admin
 * counts every attempt; a secretary the attempts of members in the subtrees they lead (as rankings).
 */
export async function paperStatistics(ctx: ServiceContext, paperId: string) {
  if (ctx.actor.role === "member") throw forbidden();
  await readPaper(ctx, paperId);
  await closeExpiredAttempts(ctx, paperId);
  const scope = ctx.actor.role === "secretary" ? sql` AND a.branch_id IN ${ledSubtreeIds(ctx.actor.memberId)}` : sql``;
  const submitted = sql`a.paper_id = ${paperId} AND a.status = 'submitted'${scope}`;
  const [summary, presented, answered] = await ctx.db.batch([
    ctx.db.all<{ attempts: number; submitted: number; passed: number; average: number | null }>(sql`
      SELECT count(*) AS attempts, coalesce(sum(status = 'submitted'), 0) AS submitted, coalesce(sum(passed), 0) AS passed,
        avg(CASE WHEN status = 'submitted' THEN score END) AS average
      FROM exam_attempts a WHERE a.paper_id = ${paperId}${scope}`),
    ctx.db.all<{ questionId: string; version: number; presented: number; type: string; stem: string }>(sql`
      WITH shown AS (SELECT json_extract(j.value, '$.q') AS q, json_extract(j.value, '$.v') AS v FROM exam_attempts a, json_each(a.items) j WHERE ${submitted}),
        counted AS (SELECT q, max(v) AS v, count(*) AS n FROM shown GROUP BY q)
      SELECT c.q AS questionId, c.v AS version, c.n AS presented, qv.type AS type, qv.stem AS stem
      FROM counted c JOIN ${examQuestionVersions} qv ON qv.question_id = c.q AND qv.version = c.v`),
    ctx.db.all<{ questionId: string; answered: number; correct: number }>(sql`
      SELECT e.question_id AS questionId, count(*) AS answered, coalesce(sum(e.correct), 0) AS correct
      FROM exam_answers e JOIN exam_attempts a ON a.id = e.attempt_id WHERE ${submitted} GROUP BY e.question_id`),
  ]);
  const byQuestion = new Map(answered.map((r) => [r.questionId, r]));
  const questions = presented
    .map((p) => {
      const a = byQuestion.get(p.questionId);
      const correct = Number(a?.correct ?? 0);
      const shown = Number(p.presented);
      return { questionId: p.questionId, version: Number(p.version), type: p.type as "single", stem: p.stem, presented: shown, answered: Number(a?.answered ?? 0), correct, correctRate: shown ? Math.round((correct / shown) * 1000) / 1000 : null };
    })
    .sort((x, y) => (x.correctRate ?? 1) - (y.correctRate ?? 1) || y.presented - x.presented);
  const s = summary[0]!;
  return { attempts: Number(s.attempts), submitted: Number(s.submitted), passed: Number(s.passed), averageScore: s.average === null ? null : Math.round(Number(s.average) * 10) / 10, questions };
}
