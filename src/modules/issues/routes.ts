import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import * as v from "valibot";
import { listCategories, putCategory } from "./categories.js";
import {
  categoryBody,
  categoryOut,
  categoryParam,
  commentBody,
  commentListQuery,
  historyListQuery,
  issueEventOut,
  commentOut,
  issueDetailOut,
  issueIdParam,
  issueListQuery,
  issueOut,
  issuePatchBody,
  noteBody,
  resolveBody,
  verifyBody,
  returnBody,
  transferBody,
} from "./schemas.js";
import { addComment, listComments } from "./comments.js";
import { updateIssue } from "./edit.js";
import { getIssue, listHistory, listIssues } from "./reads.js";
import { transition } from "./transitions.js";

const tags = ["issues"];
const step = (summary: string) => docs({ summary, tags, responses: { 200: issueDetailOut }, problems: [409, 422] });

export const issueRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "The problems the caller may see, across projects (filter by status, role, overdue, …)", tags, responses: { 200: pageOf(issueOut) } }), validate("query", issueListQuery), async (c) => {
    return c.json(await listIssues(serviceContext(c), c.req.valid("query")), 200);
  })
  .get("/:id", docs({ summary: "One problem with its history, the caller's roles and the steps they may take", tags, responses: { 200: issueDetailOut } }), validate("param", issueIdParam), async (c) => {
    return c.json(await getIssue(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/:id", docs({ summary: "Edit title, description, category, responsible units, followers or supervisor (admin, road chief, supervisor, overseeing secretary)", description: "The supervisor (督办人) cannot be the handler (承办人): naming the handler as supervisor is 400 on `supervisorId`. A category change keeps the clocks already set.", tags, responses: { 200: issueDetailOut }, problems: [409] }), validate("param", issueIdParam), validate("json", issuePatchBody), async (c) => {
    return c.json(await updateIssue(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .post("/:id/acknowledge", step("The handler acknowledges the problem (stops the acknowledge clock)"), validate("param", issueIdParam), validate("json", noteBody), async (c) => {
    return c.json(await transition(serviceContext(c), c.req.valid("param").id, "acknowledge", c.req.valid("json")), 200);
  })
  .post("/:id/start", step("The handler starts work (also after a return)"), validate("param", issueIdParam), validate("json", noteBody), async (c) => {
    return c.json(await transition(serviceContext(c), c.req.valid("param").id, "start", c.req.valid("json")), 200);
  })
  .post("/:id/resolve", step("The handler reports it resolved, saying how (stops the resolve clock)"), validate("param", issueIdParam), validate("json", resolveBody), async (c) => {
    return c.json(await transition(serviceContext(c), c.req.valid("param").id, "resolve", c.req.valid("json")), 200);
  })
  .post("/:id/return", step("The supervisor or road chief rejects the resolution, with a reason"), validate("param", issueIdParam), validate("json", returnBody), async (c) => {
    return c.json(await transition(serviceContext(c), c.req.valid("param").id, "return", c.req.valid("json")), 200);
  })
  .post("/:id/verify", step("The supervisor or road chief verifies the resolution"), validate("param", issueIdParam), validate("json", verifyBody), async (c) => {
    return c.json(await transition(serviceContext(c), c.req.valid("param").id, "verify", c.req.valid("json")), 200);
  })
  .post("/:id/close", step("The supervisor or road chief closes a verified problem"), validate("param", issueIdParam), validate("json", noteBody), async (c) => {
    return c.json(await transition(serviceContext(c), c.req.valid("param").id, "close", c.req.valid("json")), 200);
  })
  .post("/:id/transfer", step("Hand the problem to another handler, with a reason (handler, supervisor or road chief); the new handler gets a fresh acknowledge clock"), validate("param", issueIdParam), validate("json", transferBody), async (c) => {
    return c.json(await transition(serviceContext(c), c.req.valid("param").id, "transfer", c.req.valid("json")), 200);
  })
  .get("/:id/history", docs({ summary: "A problem's history, oldest first, a page at a time (its page shows the newest 50)", tags, responses: { 200: pageOf(issueEventOut) } }), validate("param", issueIdParam), validate("query", historyListQuery), async (c) => {
    return c.json(await listHistory(serviceContext(c), c.req.valid("param").id, c.req.valid("query")), 200);
  })
  .get("/:id/comments", docs({ summary: "Comments on a problem, oldest first", tags, responses: { 200: pageOf(commentOut) } }), validate("param", issueIdParam), validate("query", commentListQuery), async (c) => {
    return c.json(await listComments(serviceContext(c), c.req.valid("param").id, c.req.valid("query")), 200);
  })
  .post("/:id/comments", docs({ summary: "Comment on a problem (anyone who can see it), with photos; at most 400 a problem", tags, responses: { 201: commentOut }, problems: [409] }), validate("param", issueIdParam), validate("json", commentBody), async (c) => {
    return c.json(await addComment(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
  });

export const issueCategoryRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "Problem categories and their clock defaults (built-in ones, as this bureau has set them, and its own)", tags, responses: { 200: v.object({ data: v.array(categoryOut) }) } }), async (c) => {
    return c.json(await listCategories(serviceContext(c)), 200);
  })
  .put("/:key", docs({ summary: "Set a category's name and clocks, or add a category (admin); new problems use it, raised ones keep theirs", tags, responses: { 200: categoryOut } }), validate("param", categoryParam), validate("json", categoryBody), async (c) => {
    return c.json(await putCategory(serviceContext(c), c.req.valid("param").key, c.req.valid("json")), 200);
  });
