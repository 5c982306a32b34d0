import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import { branchCreateBody, branchIdParam, branchListQuery, branchOut, branchPatchBody, branchWriteOut } from "./schemas.js";
import { createBranch, deleteBranch, getBranch, listBranches, updateBranch } from "./service.js";

const tags = ["branches"];

const secretaryRule =
  "`secretaryId` names the branch's leader: a 支部's 书记, a 党小组's 组长 alike. Naming a plain member gives them the `secretary` role, with a secretary's powers (manage the org below, review tasks and pledges) over this branch's subtree only; for a 党小组 that is the group itself. `roleChanged` in the answer says when that happened. Removed as leader, they keep the role name but no powers: a secretary's reach is only the branches they lead.";

export const branchRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "List the org tree (ordered by path: parents before children)", tags, responses: { 200: pageOf(branchOut) } }), validate("query", branchListQuery), async (c) => {
    return c.json(await listBranches(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/", docs({ summary: "Create a branch (admin; a secretary under their own branch)", description: secretaryRule, tags, responses: { 201: branchWriteOut } }), validate("json", branchCreateBody), async (c) => {
    return c.json(await createBranch(serviceContext(c), c.req.valid("json")), 201);
  })
  .get("/:id", docs({ summary: "One branch", tags, responses: { 200: branchOut } }), validate("param", branchIdParam), async (c) => {
    return c.json(await getBranch(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/:id", docs({ summary: "Rename, re-parent or set the secretary (党小组: 组长) of a branch", description: secretaryRule, tags, responses: { 200: branchWriteOut } }), validate("param", branchIdParam), validate("json", branchPatchBody), async (c) => {
    return c.json(await updateBranch(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .delete("/:id", docs({ summary: "Delete an empty branch", tags, responses: { 204: null }, problems: [409] }), validate("param", branchIdParam), async (c) => {
    await deleteBranch(serviceContext(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
