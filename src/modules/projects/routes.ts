import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { ProblemError } from "../../http/problem.js";
import { validate } from "../../http/validation.js";
import { issueCreateBody, issueDetailOut, issueOut, projectIssueListQuery } from "../issues/schemas.js";
import { raiseIssue } from "../issues/raise.js";
import { listIssues } from "../issues/reads.js";
import { createLog, getLog, listLogs } from "./logs.js";
import { logCreateBody, logDetailOut, logIdParam, logListQuery, logOut, projectCreateBody, projectIdParam, projectListQuery, projectOut, projectPatchBody } from "./schemas.js";
import { createProject, deleteProject, getProject, listProjects, updateProject } from "./service.js";

const tags = ["projects"];

export const projectRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "List the projects the caller may see, the caller's own (as road chief) first, with counts of open and overdue problems", tags, responses: { 200: pageOf(projectOut) } }), validate("query", projectListQuery), async (c) => {
    return c.json(await listProjects(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/", docs({ summary: "Create a project with its road chief, partner branches and tags (admin)", tags, responses: { 201: projectOut } }), validate("json", projectCreateBody), async (c) => {
    return c.json(await createProject(serviceContext(c), c.req.valid("json")), 201);
  })
  .get("/:id", docs({ summary: "One project, with counts of open and overdue problems", tags, responses: { 200: projectOut } }), validate("param", projectIdParam), async (c) => {
    return c.json(await getProject(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/:id", docs({ summary: "Edit a project (admin; its road chief may change status, tags and description)", tags, responses: { 200: projectOut } }), validate("param", projectIdParam), validate("json", projectPatchBody), async (c) => {
    return c.json(await updateProject(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .delete("/:id", docs({ summary: "Delete a project with no logs and no problems (admin)", tags, responses: { 204: null }, problems: [409] }), validate("param", projectIdParam), async (c) => {
    await deleteProject(serviceContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .get("/:id/logs", docs({ summary: "The project's service logs, newest visit first; each entry names what it corrects and what corrected it", tags: ["project logs"], responses: { 200: pageOf(logOut) } }), validate("param", projectIdParam), validate("query", logListQuery), async (c) => {
    return c.json(await listLogs(serviceContext(c), c.req.valid("param").id, c.req.valid("query")), 200);
  })
  .post(
    "/:id/logs",
    docs({ summary: "Append a service log (admin, the road chief, or a secretary over a partner branch); `correctsId` makes it a correction of an earlier entry", tags: ["project logs"], responses: { 201: logDetailOut }, problems: [409] }),
    validate("param", projectIdParam),
    validate("json", logCreateBody),
    async (c) => {
      return c.json(await createLog(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
    },
  )
  .get("/:id/logs/:logId", docs({ summary: "One service log with its correction chain (oldest first)", tags: ["project logs"], responses: { 200: logDetailOut } }), validate("param", logIdParam), async (c) => {
    const { id, logId } = c.req.valid("param");
    return c.json(await getLog(serviceContext(c), id, logId), 200);
  })
  .on(["PUT", "PATCH", "DELETE"], "/:id/logs/:logId", docs({ summary: "Logs are append-only (有痕可查): a correction is a new entry with correctsId; these always answer 405", tags: ["project logs"], responses: {}, problems: [405] }), async () => {
    // Append-only (有痕可查): say so, rather than a bare 404.
    throw new ProblemError("log.append_only");
  })
  .get("/:id/issues", docs({ summary: "The problems on a project that the caller may see", tags: ["issues"], responses: { 200: pageOf(issueOut) } }), validate("param", projectIdParam), validate("query", projectIssueListQuery), async (c) => {
    return c.json(await listIssues(serviceContext(c), c.req.valid("query"), c.req.valid("param").id), 200);
  })
  .post(
    "/:id/issues",
    docs({
      summary: "Raise a problem (admin, the road chief, or a secretary over a partner branch); its category's clocks set acknowledge-by and resolve-by",
      description:
        "吹哨报到: 有人办 (`handlerId`, who does the work), 有人跟 (`followerIds`), 有人督 (`supervisorId`, who oversees it). The handler cannot be the supervisor (400 on the field). Acknowledge-by and resolve-by come from the category's clocks (working days skip China's holidays). Unresolved past a deadline, the handler hears of it each sending day; `escalateAfterDays` later the problem climbs the reminder settings' escalation ladder (supervisor → road chief → admins), again every that many days while unresolved.",
      tags: ["issues"],
      responses: { 201: issueDetailOut },
      problems: [422],
    }),
    validate("param", projectIdParam),
    validate("json", issueCreateBody),
    async (c) => {
      return c.json(await raiseIssue(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
    },
  );
