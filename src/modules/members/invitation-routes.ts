import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../http/env.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { parseInvitationToken } from "../auth/tokens.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { acceptInvitation, invitationInfo, invitationInvalid } from "./invitations.js";
import { acceptBody, acceptedOut, invitationInfoOut } from "./schemas.js";

const tags = ["invitations"];

/** Public: the token itself names the tenant and proves the right to set the first password. */
export function invitationRoutes(directory: TenantDirectory) {
  const tenantOf = async (token: string) => {
    const parsed = parseInvitationToken(token);
    const tenant = parsed && (await directory.activeById(parsed.tenantId));
    if (!tenant) throw invitationInvalid();
    return tenant;
  };
  const sessionTenant = ({ id, slug, name, timezone, locale }: Awaited<ReturnType<typeof tenantOf>>) => ({ id, slug, name, timezone, locale });

  return new Hono<AppEnv>()
    .post("/accept", docs({ summary: "Accept an invitation: set a password, become active, get tokens", tags, auth: false, responses: { 200: acceptedOut } }), validate("json", acceptBody), async (c) => {
      const body = c.req.valid("json");
      const tenant = await tenantOf(body.token);
      const { ports } = c.var;
      const deps = { db: ports.tenantDatabases.open(tenant.id, tenant.dbLocator), tenant, config: ports.config, now: ports.now?.() ?? new Date(), requestId: c.var.requestId };
      return c.json(await acceptInvitation(deps, body), 200);
    })
    .get("/:token", docs({ summary: "Who an invitation is for (what a sign-up page shows before asking for a password)", tags, auth: false, responses: { 200: invitationInfoOut } }), validate("param", v.object({ token: v.pipe(v.string(), v.maxLength(200)) })), async (c) => {
      const { token } = c.req.valid("param");
      const tenant = await tenantOf(token);
      const db = c.var.ports.tenantDatabases.open(tenant.id, tenant.dbLocator);
      return c.json({ tenant: sessionTenant(tenant), ...(await invitationInfo(db, token, c.var.ports.now?.() ?? new Date())) }, 200);
    });
}
