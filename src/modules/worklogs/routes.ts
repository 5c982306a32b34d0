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
  .get("/settings", docs({ summary: "Log settings", tags, responses: { 200: worklogSettingsOut } }), async (c) => {
    return c.json(await worklogRules(serviceContext(c)), 200);
  })
  .put("/settings", docs({ summary: "Set log settings (admin)", tags, responses: { 200: worklogSettingsOut } }), validate("json", worklogSettingsBody), async (c) => {
    return c.json(await updateWorklogRules(serviceContext(c), c.req.valid("json")), 200);
  })
  .put("/days/:date", docs({ summary: "Write one's own day (open month)", tags, responses: { 200: dayOut, 201: dayOut }, problems: [409] }), validate("param", dateParam), validate("json", dayBody), async (c) => {
    const { created, ...day } = await writeDay(serviceContext(c), c.req.valid("param").date, c.req.valid("json"));
    return c.json({ ...day, comments: [] }, created ? 201 : 200);
  })
  .post("/days/:date/corrections", docs({ summary: "Correct one's day (closed month)", tags, responses: { 201: v.object({ id: v.string(), entryId: v.string(), seq: v.number() }) }, problems: [409] }), validate("param", dateParam), validate("json", correctionBody), async (c) => {
    return c.json(await correctDay(serviceContext(c), c.req.valid("param").date, c.req.valid("json")), 201);
  })
  .put("/months/:month/summary", docs({ summary: "Submit one's 每月小结", tags, responses: { 200: v.object({ memberId: v.string(), month: v.string(), summary: v.string(), summaryAt: v.string() }) }, problems: [409] }), validate("param", monthParam), validate("json", summaryBody), async (c) => {
    return c.json(await submitSummary(serviceContext(c), c.req.valid("param").month, c.req.valid("json").summary), 200);
  })
  .post("/months/:month/close", docs({ summary: "Close a month (admin)", tags, responses: { 201: v.object({ month: v.string(), closedBy: v.string(), closedAt: v.string() }) }, problems: [409] }), validate("param", monthParam), async (c) => {
    return c.json(await closeMonth(serviceContext(c), c.req.valid("param").month), 201);
  })
  .get("/members/:memberId/months/:month", docs({ summary: "A member's month", tags, responses: { 200: monthOut } }), validate("param", memberMonthParam), async (c) => {
    const { memberId, month } = c.req.valid("param");
    return c.json(await memberMonth(serviceContext(c), memberId, month), 200);
  })
  .put("/members/:memberId/months/:month/score", docs({ summary: "Score a month (分管领导)", tags, responses: { 200: v.object({ memberId: v.string(), month: v.string(), score: v.number() }) }, problems: [409] }), validate("param", memberMonthParam), validate("json", scoreBody), async (c) => {
    const { memberId, month } = c.req.valid("param");
    return c.json(await scoreMonth(serviceContext(c), memberId, month, c.req.valid("json")), 200);
  })
  .post("/members/:memberId/months/:month/disputes", docs({ summary: "Dispute a score", tags, responses: { 201: commentOut }, problems: [409] }), validate("param", memberMonthParam), validate("json", commentBody), async (c) => {
    const { memberId, month } = c.req.valid("param");
    return c.json(await disputeScore(serviceContext(c), memberId, month, c.req.valid("json").body), 201);
  })
  .post("/entries/:id/comments", docs({ summary: "点评 a day (分管领导)", tags, responses: { 201: commentOut } }), validate("param", entryParam), validate("json", commentBody), async (c) => {
    return c.json(await reviewDay(serviceContext(c), c.req.valid("param").id, c.req.valid("json").body), 201);
  })
  .get("/team", docs({ summary: "The caller's team on a day", tags, responses: { 200: teamOut } }), validate("query", teamQuery), async (c) => {
    return c.json(await teamDay(serviceContext(c), c.req.valid("query").date), 200);
  })
  .get("/scoring", docs({ summary: "Scoring sheet", tags, responses: { 200: sheetOut } }), validate("query", sheetQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await scoringSheet(serviceContext(c), q.month, q.branchId), 200);
  })
  .put("/leaders/:subjectType/:subjectId", docs({ summary: "Set a 分管领导 (admin)", tags, responses: { 200: v.object({ subjectType: v.string(), subjectId: v.string(), leaderId: v.nullable(v.string()) }) } }), validate("param", leaderParam), validate("json", leaderBody), async (c) => {
    const { subjectType, subjectId } = c.req.valid("param");
    return c.json(await setLeader(serviceContext(c), subjectType, subjectId, c.req.valid("json").leaderId), 200);
  })
  .post("/assignments", docs({ summary: "交办 a task (分管领导)", tags, responses: { 201: assignmentOut } }), validate("json", assignmentBody), async (c) => {
    const b = c.req.valid("json");
    return c.json(await assignTask(serviceContext(c), { memberId: b.memberId, title: b.title, detail: b.detail ?? null, dueDate: b.dueDate ?? null }), 201);
  })
  .get("/assignments", docs({ summary: "The caller's assignments", tags, responses: { 200: v.object({ data: v.array(assignmentOut) }) } }), validate("query", assignmentListQuery), async (c) => {
    return c.json(await listAssignments(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/assignments/:id/done", docs({ summary: "Mark an assignment done", tags, responses: { 200: assignmentOut }, problems: [409] }), validate("param", assignmentParam), validate("json", assignmentDoneBody), async (c) => {
    return c.json(await completeAssignment(serviceContext(c), c.req.valid("param").id, c.req.valid("json").note ?? null), 200);
  });
