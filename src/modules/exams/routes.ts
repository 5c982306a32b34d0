import { Hono } from "hono";
import { serviceContext } from "../../http/context.js";
import type { AppEnv } from "../../http/env.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import { getAttempt, saveAnswer, startAttempt, submitAttempt } from "./attempts.js";
import { importQuestions } from "./import.js";
import { createPaper, getPaper, listPapers, setPaperStatus, updatePaper } from "./papers.js";
import { archiveQuestion, createQuestion, getQuestion, listQuestions, updateQuestion } from "./questions.js";
import { paperRankings, paperStatistics } from "./results.js";
import {
  answerBody,
  answerParam,
  attemptIdParam,
  attemptOut,
  importBody,
  importOut,
  paperBody,
  paperIdParam,
  paperListQuery,
  paperOut,
  questionBody,
  questionIdParam,
  questionListQuery,
  questionOut,
  questionPatchBody,
  rankingOut,
  rankingQuery,
  savedOut,
  statisticsOut,
} from "./schemas.js";

const tags = ["exams"];

export const examRoutes = new Hono<AppEnv>()
  .get("/questions", docs({ summary: "The question bank (admin; secretaries read it to make papers): filter by type, tag or words of the stem", tags, responses: { 200: pageOf(questionOut) } }), validate("query", questionListQuery), async (c) => {
    return c.json(await listQuestions(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/questions", docs({ summary: "Add a question (admin)", tags, responses: { 201: questionOut } }), validate("json", questionBody), async (c) => {
    return c.json(await createQuestion(serviceContext(c), c.req.valid("json")), 201);
  })
  .post("/questions/import", docs({ summary: "Import up to 2,000 questions in the layout 题型, 题干, 选项A–F, 答案, 解析, 标签 (admin): all rows valid or nothing written; a repeated file changes nothing; dryRun checks only", tags, responses: { 200: importOut } }), validate("json", importBody), async (c) => {
    return c.json(await importQuestions(serviceContext(c), c.req.valid("json"), c.get("lang")), 200);
  })
  .get("/questions/:id", docs({ summary: "One question with its key (admin, secretary)", tags, responses: { 200: questionOut } }), validate("param", questionIdParam), async (c) => {
    return c.json(await getQuestion(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/questions/:id", docs({ summary: "Change a question (admin): a new version; papers and attempts keep theirs", tags, responses: { 200: questionOut }, problems: [409] }), validate("param", questionIdParam), validate("json", questionPatchBody), async (c) => {
    return c.json(await updateQuestion(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .delete("/questions/:id", docs({ summary: "Take a question out of the bank (admin); papers that hold it keep it", tags, responses: { 204: null } }), validate("param", questionIdParam), async (c) => {
    await archiveQuestion(serviceContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .get("/papers", docs({ summary: "Papers: an admin all; a secretary those of the branches they lead; everyone the published ones they take, with their attempts", tags, responses: { 200: pageOf(paperOut) } }), validate("query", paperListQuery), async (c) => {
    return c.json(await listPapers(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/papers", docs({ summary: "Make a paper (admin; a secretary for a branch they lead): fixed questions or draws by type and tags, points per type, pass mark, time limit, window, attempts, shuffling", tags, responses: { 201: paperOut } }), validate("json", paperBody), async (c) => {
    return c.json(await createPaper(serviceContext(c), c.req.valid("json")), 201);
  })
  .get("/papers/:id", docs({ summary: "A paper (its questions and draws for an admin only)", tags, responses: { 200: paperOut } }), validate("param", paperIdParam), async (c) => {
    return c.json(await getPaper(serviceContext(c), c.req.valid("param").id), 200);
  })
  .put("/papers/:id", docs({ summary: "Change a paper until someone starts it (admin, or the secretary leading its branch)", tags, responses: { 200: paperOut }, problems: [409] }), validate("param", paperIdParam), validate("json", paperBody), async (c) => {
    return c.json(await updatePaper(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .post("/papers/:id/publish", docs({ summary: "Publish a paper to the members who take it (admin, or the secretary leading its branch)", tags, responses: { 200: paperOut }, problems: [409] }), validate("param", paperIdParam), async (c) => {
    return c.json(await setPaperStatus(serviceContext(c), c.req.valid("param").id, "published"), 200);
  })
  .post("/papers/:id/archive", docs({ summary: "Archive a paper (admin, or the secretary leading its branch): no new attempts", tags, responses: { 200: paperOut } }), validate("param", paperIdParam), async (c) => {
    return c.json(await setPaperStatus(serviceContext(c), c.req.valid("param").id, "archived"), 200);
  })
  .post("/papers/:id/attempts", docs({ summary: "Start (or resume) one's attempt: the questions without their keys, the deadline by the server's clock", tags, responses: { 200: attemptOut }, problems: [409] }), validate("param", paperIdParam), async (c) => {
    return c.json(await startAttempt(serviceContext(c), c.req.valid("param").id), 200);
  })
  .get("/papers/:id/rankings", docs({ summary: "Rankings by member (best score) or branch (mean of best scores); ties share a rank", tags, responses: { 200: rankingOut }, problems: [409] }), validate("param", paperIdParam), validate("query", rankingQuery), async (c) => {
    return c.json(await paperRankings(serviceContext(c), c.req.valid("param").id, c.req.valid("query").groupBy), 200);
  })
  .get("/papers/:id/statistics", docs({ summary: "Per-question statistics, the most-missed first (admin: every attempt; secretary: their subtrees' attempts)", tags, responses: { 200: statisticsOut } }), validate("param", paperIdParam), async (c) => {
    return c.json(await paperStatistics(serviceContext(c), c.req.valid("param").id), 200);
  })
  .get("/attempts/:id", docs({ summary: "One's attempt: to resume, or its result (keys and explanations once released)", tags, responses: { 200: attemptOut } }), validate("param", attemptIdParam), async (c) => {
    return c.json(await getAttempt(serviceContext(c), c.req.valid("param").id), 200);
  })
  .put("/attempts/:id/answers/:position", docs({ summary: "Save one answer (one round trip; idempotent by rev; refused after the deadline and its grace)", tags, responses: { 200: savedOut }, problems: [409] }), validate("param", answerParam), validate("json", answerBody), async (c) => {
    const { id, position } = c.req.valid("param");
    return c.json(await saveAnswer(serviceContext(c), id, position, c.req.valid("json")), 200);
  })
  .post("/attempts/:id/submit", docs({ summary: "Submit and score one's attempt (a second submit answers the same result)", tags, responses: { 200: attemptOut } }), validate("param", attemptIdParam), async (c) => {
    return c.json(await submitAttempt(serviceContext(c), c.req.valid("param").id), 200);
  });
