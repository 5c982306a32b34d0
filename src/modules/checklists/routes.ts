import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { dateField } from "../../http/fields.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import { provisionalNotice } from "../../calendar/notice.js";
import {
  checklistCreateBody,
  checklistDetailOut,
  checklistIdParam,
  checklistListQuery,
  checklistOut,
  checklistPatchBody,
  copyBody,
  itemCreateBody,
  itemIdParam,
  itemOut,
  itemPatchBody,
  previewOut,
  publishBody,
  publishOut,
} from "./schemas.js";
import { copyChecklist } from "./copy.js";
import { describeUnreached } from "./assignees.js";
import { addItem, createChecklist, deleteChecklist, getChecklist, listChecklists, previewChecklist, publishChecklist, removeItem, updateChecklist, updateItem } from "./service.js";

const tags = ["checklists"];

export const checklistRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "List checklists (members see published ones)", tags, responses: { 200: pageOf(checklistOut) } }), validate("query", checklistListQuery), async (c) => {
    return c.json(await listChecklists(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/", docs({ summary: "Define a checklist (admin; a secretary for a branch they lead)", tags, responses: { 201: checklistOut } }), validate("json", checklistCreateBody), async (c) => {
    return c.json(await createChecklist(serviceContext(c), c.req.valid("json")), 201);
  })
  .get("/:id", docs({ summary: "A checklist with its items", tags, responses: { 200: checklistDetailOut } }), validate("param", checklistIdParam), async (c) => {
    return c.json(await getChecklist(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/:id", docs({ summary: "Rename, describe or archive a checklist", tags, responses: { 200: checklistOut }, problems: [409] }), validate("param", checklistIdParam), validate("json", checklistPatchBody), async (c) => {
    return c.json(await updateChecklist(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .delete("/:id", docs({ summary: "Delete a draft checklist", tags, responses: { 204: null }, problems: [409] }), validate("param", checklistIdParam), async (c) => {
    await deleteChecklist(serviceContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .post("/:id/items", docs({ summary: "Add an item (on a published checklist its tasks are made from today)", tags, responses: { 201: itemOut }, problems: [409, 422] }), validate("param", checklistIdParam), validate("json", itemCreateBody), async (c) => {
    return c.json(await addItem(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
  })
  .patch("/:id/items/:itemId", docs({ summary: "Edit an item: future tasks follow, finished ones stay as they were", tags, responses: { 200: itemOut }, problems: [409, 422] }), validate("param", itemIdParam), validate("json", itemPatchBody), async (c) => {
    const { id, itemId } = c.req.valid("param");
    return c.json(await updateItem(serviceContext(c), id, itemId, c.req.valid("json")), 200);
  })
  .delete("/:id/items/:itemId", docs({ summary: "Remove an item (finished tasks stay in the ledger)", tags, responses: { 204: null }, problems: [409] }), validate("param", itemIdParam), async (c) => {
    const { id, itemId } = c.req.valid("param");
    await removeItem(serviceContext(c), id, itemId);
    return c.body(null, 204);
  })
  .get("/:id/preview", docs({ summary: "The dates and tasks publishing would make, holidays rolled", tags, responses: { 200: previewOut }, problems: [422] }), validate("param", checklistIdParam), validate("query", v.strictObject({ from: v.optional(dateField) })), async (c) => {
    const preview = await previewChecklist(serviceContext(c), c.req.valid("param").id, c.req.valid("query").from);
    const lang = c.get("lang");
    return c.json({ ...preview, items: preview.items.map((i) => ({ ...i, unreached: describeUnreached(i.unreached, lang) })), unreached: describeUnreached(preview.unreached, lang), calendar: { ...preview.calendar, notice: provisionalNotice(preview.calendar.provisionalYears, lang) } }, 200);
  })
  .post("/:id/copy", docs({ summary: "Copy a checklist into another year as a draft (same modules and items; single deadlines on the same day)", tags, responses: { 201: v.object({ ...checklistDetailOut.entries, copiedFrom: v.string() }) } }), validate("param", checklistIdParam), validate("json", copyBody), async (c) => {
    return c.json(await copyChecklist(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201);
  })
  .post("/:id/publish", docs({ summary: "Publish: make the year's tasks (from today, or `from`)", tags, responses: { 200: publishOut }, problems: [409, 422] }), validate("param", checklistIdParam), validate("json", publishBody), async (c) => {
    const published = await publishChecklist(serviceContext(c), c.req.valid("param").id, c.req.valid("json").from);
    return c.json({ ...published, unreached: describeUnreached(published.unreached, c.get("lang")), calendar: { ...published.calendar, notice: provisionalNotice(published.calendar.provisionalYears, c.get("lang")) } }, 200);
  });
