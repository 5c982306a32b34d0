import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import { backfillBody, recordBody, recordListQuery, recordOut, reviewBody, settingsBody, settingsOut, taskDetailOut, taskIdParam, taskListQuery, taskOut } from "./schemas.js";
import { acceptBackfill, addRecord, getTask, listRecords, listTasks, reviewTask, submitTask, taskSettingsOf, updateTaskSettings } from "./service.js";

const tags = ["tasks"];

export const taskRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "Tasks of a member (default: mine) or a branch, with urgency; filters by status, due dates, checklist, kind", tags, responses: { 200: pageOf(taskOut) } }), validate("query", taskListQuery), async (c) => {
    return c.json(await listTasks(serviceContext(c), c.req.valid("query")), 200);
  })
  .get("/settings", docs({ summary: "The tenant's urgency threshold (days before due that count as due soon)", tags, responses: { 200: settingsOut } }), async (c) => {
    return c.json(await taskSettingsOf(serviceContext(c)), 200);
  })
  .put("/settings", docs({ summary: "Set the urgency threshold and how rankings name people to plain members (admin)", tags, responses: { 200: settingsOut } }), validate("json", settingsBody), async (c) => {
    return c.json(await updateTaskSettings(serviceContext(c), c.req.valid("json")), 200);
  })
  .get("/:id", docs({ summary: "A task with its records and reviews", tags, responses: { 200: taskDetailOut } }), validate("param", taskIdParam), async (c) => {
    return c.json(await getTask(serviceContext(c), c.req.valid("param").id), 200);
  })
  .get("/:id/records", docs({ summary: "A task's records, oldest first, a page at a time", tags, responses: { 200: pageOf(recordOut) } }), validate("param", taskIdParam), validate("query", recordListQuery), async (c) => {
    return c.json(await listRecords(serviceContext(c), c.req.valid("param").id, c.req.valid("query")), 200);
  })
  .post("/:id/records", docs({ summary: "Record what was done (counts toward the minimum)", tags, responses: { 201: recordOut }, problems: [409] }), validate("param", taskIdParam), validate("json", recordBody), async (c) => {
    return c.json(await addRecord(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
  })
  .post("/:id/submit", docs({ summary: "Submit a task as done (to review, or done at once)", tags, responses: { 200: taskDetailOut }, problems: [409] }), validate("param", taskIdParam), async (c) => {
    return c.json(await submitTask(serviceContext(c), c.req.valid("param").id), 200);
  })
  .post(
    "/:id/backfill",
    docs({
      summary: "Accept a back-fill (补录): a task done on time but recorded late counts as on time (a reviewer, with a reason)",
      description:
        "By default a task is late when it was submitted after its due date, whatever its records say (recorded late is late). A reviewer over the doer (never a doer) may accept a documented back-fill: the task must be done and late, and every record's `doneOn` on or before the due date (409 `task.backfill_not_on_time` otherwise). Points are awarded as on time; `backfill` on the task and `backfilled` in the ledger show it, and the audit log keeps who, when and why.",
      tags,
      responses: { 200: taskDetailOut },
      problems: [409],
    }),
    validate("param", taskIdParam),
    validate("json", backfillBody),
    async (c) => {
      return c.json(await acceptBackfill(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
    },
  )
  .post("/:id/review", docs({ summary: "Approve or return a submitted task (a secretary over the doer, never the doer)", tags, responses: { 200: taskDetailOut }, problems: [409] }), validate("param", taskIdParam), validate("json", reviewBody), async (c) => {
    return c.json(await reviewTask(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  });
