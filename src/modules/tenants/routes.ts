import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { sessionOut, signupBody, slugField, tenantStatusOut } from "./schemas.js";
import { signUp, tenantStatus } from "./service.js";
import * as v from "valibot";

const tags = ["tenants"];

export const tenantRoutes = new Hono<AppEnv>()
  .post("/", docs({ summary: "Sign a bureau up: its own database, its first admin, and tokens", tags, auth: false, responses: { 201: sessionOut }, problems: [409, 503] }), validate("json", signupBody), async (c) => {
    return c.json(await signUp(c.var.ports, c.req.valid("json"), c.var.requestId), 201);
  })
  .get("/:slug/status", docs({ summary: "Whether a tenant's database is ready", tags, auth: false, responses: { 200: tenantStatusOut } }), validate("param", v.object({ slug: slugField })), async (c) => {
    return c.json(await tenantStatus(c.var.ports, c.req.valid("param").slug), 200);
  });
