import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { assignTask, completeAssignment, listAssignments } from "./assignments.js";
import { correctDay, writeDay } from "./days.js";
import { setLeader } from "./leaders.js";
import { closeMonth, disputeScore, reviewDay, scoreMonth, submitSummary } from "./months.js";
import { memberMonth, scoringSheet, teamDay } from "./reads.js";
import {
  assignmentBody,
  assignmentDoneBody,
  assignmentListQuery,
  assignmentOut,
  assignmentParam,
  commentBody,
  correctionBody,
  dateParam,
  dayBody,
  dayOut,
  entryParam,
  leaderBody,
  leaderParam,
  memberMonthParam,
  monthOut,
  monthParam,
  scoreBody,
  sheetOut,
  sheetQuery,
  summaryBody,
  teamOut,
  teamQuery,
  worklogSettingsBody,
  worklogSettingsOut,
} from "./schemas.js";
import { updateWorklogRules, worklogRules } from "./settings.js";

const tags = ["worklogs"];
const commentOut = v.object({ id: v.string(), kind: v.string(), authorId: v.string(), authorName: v.nullable(v.string()), body: v.string(), createdAt: v.string() });

export const worklogRoutes = new Hono<AppEnv>()
  .get("/settings", docs({ summary: "The bureau's log categories, scoring rubric (with its version), 日常考评 weight and the missing-day reminder switch", tags, responses: { 200: worklogSettingsOut } }), async (c) => {
    return c.json(await worklogRules(serviceContext(c)), 200);
  })
  .put("/settings", docs({ summary: "Set categories, rubric (maxima add up to 100; a change makes a new rubric version), weight, reminder switch (admin)", tags, responses: { 200: worklogSettingsOut } }), validate("json", worklogSettingsBody), async (c) => {
    return c.json(await updateWorklogRules(serviceContext(c), c.req.valid("json")), 200);
  })
  .put("/days/:date", docs({ summary: "Write (or, while the month is open, rewrite) the caller's own day: items or a leave day", tags, responses: { 200: dayOut, 201: dayOut }, problems: [409] }), validate("param", dateParam), validate("json", dayBody), async (c) => {
    const { created, ...day } = await writeDay(serviceContext(c), c.req.valid("param").date, c.req.valid("json"));
    return c.json({ ...day, comments: [] }, created ? 201 : 200);
  })
  .post("/days/:date/corrections", docs({ summary: "Append a correction to the caller's own day of a closed month (with a reason); the day reads as corrected, the original stays", tags, responses: { 201: v.object({ id: v.string(), entryId: v.string(), seq: v.number() }) }, problems: [409] }), validate("param", dateParam), validate("json", correctionBody), async (c) => {
    return c.json(await correctDay(serviceContext(c), c.req.valid("param").date, c.req.valid("json")), 201);
  })
  .put("/months/:month/summary", docs({ summary: "Submit the caller's 每月小结, from the month's last working day until it is scored", tags, responses: { 200: v.object({ memberId: v.string(), month: v.string(), summary: v.string(), summaryAt: v.string() }) }, problems: [409] }), validate("param", monthParam), validate("json", summaryBody), async (c) => {
    return c.json(await submitSummary(serviceContext(c), c.req.valid("param").month, c.req.valid("json").summary), 200);
  })
  .post("/months/:month/close", docs({ summary: "Close a month that is over (admin): its days take only appended corrections from now on", tags, responses: { 201: v.object({ month: v.string(), closedBy: v.string(), closedAt: v.string() }) }, problems: [409] }), validate("param", monthParam), async (c) => {
    return c.json(await closeMonth(serviceContext(c), c.req.valid("param").month), 201);
  })
  .get("/members/:memberId/months/:month", docs({ summary: "A member's month: each day (as corrected), files, 点评, completed 交办, the rollup, summary, score and dispute thread", tags, responses: { 200: monthOut } }), validate("param", memberMonthParam), async (c) => {
    const { memberId, month } = c.req.valid("param");
    return c.json(await memberMonth(serviceContext(c), memberId, month), 200);
  })
  .put("/members/:memberId/months/:month/score", docs({ summary: "Score a member's month against the rubric (their 分管领导 only, after the summary, before the month closes)", tags, responses: { 200: v.object({ memberId: v.string(), month: v.string(), score: v.number() }) }, problems: [409] }), validate("param", memberMonthParam), validate("json", scoreBody), async (c) => {
    const { memberId, month } = c.req.valid("param");
    return c.json(await scoreMonth(serviceContext(c), memberId, month, c.req.valid("json")), 200);
  })
  .post("/members/:memberId/months/:month/disputes", docs({ summary: "Add to the dispute thread on a month's score (the member, their leader, or the bureau)", tags, responses: { 201: commentOut }, problems: [409] }), validate("param", memberMonthParam), validate("json", commentBody), async (c) => {
    const { memberId, month } = c.req.valid("param");
    return c.json(await disputeScore(serviceContext(c), memberId, month, c.req.valid("json").body), 201);
  })
  .post("/entries/:id/comments", docs({ summary: "点评: the member's 分管领导 comments on a day", tags, responses: { 201: commentOut } }), validate("param", entryParam), validate("json", commentBody), async (c) => {
    return c.json(await reviewDay(serviceContext(c), c.req.valid("param").id, c.req.valid("json").body), 201);
  })
  .get("/team", docs({ summary: "The caller's team (the members they lead) on one day: who wrote, who did not", tags, responses: { 200: teamOut } }), validate("query", teamQuery), async (c) => {
    return c.json(await teamDay(serviceContext(c), c.req.valid("query").date), 200);
  })
  .get("/scoring", docs({ summary: "The month's scoring sheet: the caller's team, or a branch's subtree (admin, or its secretary)", tags, responses: { 200: sheetOut } }), validate("query", sheetQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await scoringSheet(serviceContext(c), q.month, q.branchId), 200);
  })
  .put("/leaders/:subjectType/:subjectId", docs({ summary: "Set (or with null remove) the 分管领导 of a member or a branch (admin); otherwise the branch secretary leads", tags, responses: { 200: v.object({ subjectType: v.string(), subjectId: v.string(), leaderId: v.nullable(v.string()) }) } }), validate("param", leaderParam), validate("json", leaderBody), async (c) => {
    const { subjectType, subjectId } = c.req.valid("param");
    return c.json(await setLeader(serviceContext(c), subjectType, subjectId, c.req.valid("json").leaderId), 200);
  })
  .post("/assignments", docs({ summary: "交办: the member's 分管领导 hands them a task (it appears in their 待办)", tags, responses: { 201: assignmentOut } }), validate("json", assignmentBody), async (c) => {
    const b = c.req.valid("json");
    return c.json(await assignTask(serviceContext(c), { memberId: b.memberId, title: b.title, detail: b.detail ?? null, dueDate: b.dueDate ?? null }), 201);
  })
  .get("/assignments", docs({ summary: "The caller's assignments: given to them (default) or given by them", tags, responses: { 200: v.object({ data: v.array(assignmentOut) }) } }), validate("query", assignmentListQuery), async (c) => {
    return c.json(await listAssignments(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/assignments/:id/done", docs({ summary: "The member marks an assignment done; it shows in today's log", tags, responses: { 200: assignmentOut }, problems: [409] }), validate("param", assignmentParam), validate("json", assignmentDoneBody), async (c) => {
    return c.json(await completeAssignment(serviceContext(c), c.req.valid("param").id, c.req.valid("json").note ?? null), 200);
  });
