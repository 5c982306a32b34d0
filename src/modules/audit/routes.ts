import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { decodeCursor, page, pageOf, pageQuery } from "../../http/pagination.js";
import { requireRole } from "../../http/middleware.js";
import { validate } from "../../http/validation.js";
import { listAudit } from "./service.js";

const auditOut = v.object({
  id: v.string(),
  actorId: v.nullable(v.string()),
  action: v.string(),
  entityType: v.string(),
  entityId: v.string(),
  before: v.unknown(),
  after: v.unknown(),
  requestId: v.nullable(v.string()),
  at: v.string(),
});

const auditQuery = v.strictObject({
  ...pageQuery,
  entityType: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]{1,40}$/))),
  entityId: v.optional(v.pipe(v.string(), v.maxLength(40))),
});

export const auditRoutes = new Hono<AppEnv>().use(requireRole("admin")).get("/", docs({ summary: "The tenant's audit log, newest first (admin)", tags: ["audit"], responses: { 200: pageOf(auditOut) } }), validate("query", auditQuery), async (c) => {
  const q = c.req.valid("query");
  const cursor = decodeCursor(q.cursor, 1)?.[0];
  const rows = await listAudit(serviceContext(c), { ...q, cursor });
  return c.json(page(rows, q.limit, (r) => [r.id]), 200);
});
