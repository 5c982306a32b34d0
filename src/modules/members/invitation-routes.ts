import { Hono } from "hono";
import * as v from "valibot";
import type { Context } from "hono";
import type { PublicEnv, TenantFacts } from "../../http/env.js";
import { publicTenant } from "../../http/public-tenant.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { parseInvitationToken } from "../auth/tokens.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { acceptInvitation, invitationInfo, invitationInvalid } from "./invitations.js";
import { acceptBody, acceptedOut, invitationInfoOut } from "./schemas.js";

const tags = ["invitations"];

/** Public: the token itself names the tenant and proves the right to set the first password. */
export function invitationRoutes(directory: TenantDirectory) {
  const tenantOf = async (c: Context<PublicEnv>, token: string) => {
    const parsed = parseInvitationToken(token);
    const t = await publicTenant(c, directory, parsed && { id: parsed.tenantId });
    if (!t) throw invitationInvalid();
    return t;
  };
  const sessionTenant = ({ id, slug, name, timezone, locale }: TenantFacts) => ({ id, slug, name, timezone, locale });

  return new Hono<PublicEnv>()
    .post("/accept", docs({ summary: "Accept an invitation: set a password, become active, get tokens", tags, auth: false, responses: { 200: acceptedOut } }), validate("json", acceptBody), async (c) => {
      const body = c.req.valid("json");
      return c.json(await acceptInvitation(await tenantOf(c, body.token), body), 200);
    })
    .get("/:token", docs({ summary: "Who an invitation is for (what a sign-up page shows before asking for a password)", tags, auth: false, responses: { 200: invitationInfoOut } }), validate("param", v.object({ token: v.pipe(v.string(), v.maxLength(200)) })), async (c) => {
      const { token } = c.req.valid("param");
      const t = await tenantOf(c, token);
      return c.json({ tenant: sessionTenant(t.tenant), ...(await invitationInfo(t.db, token, t.now)) }, 200);
    });
}
