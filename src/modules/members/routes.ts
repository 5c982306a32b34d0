import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import { invitedOut, inviteBody, memberIdParam, memberListQuery, memberPatchBody } from "./schemas.js";
import { mailInvitation } from "./invitations.js";
import { getMember, inviteMember, listMembers, reinviteMember, updateMember } from "./service.js";
import { memberOut } from "./views.js";

const tags = ["members"];

export const memberRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "List the members the caller may see (admin: all; secretary: their subtree; member: their branches)", tags, responses: { 200: pageOf(memberOut) } }), validate("query", memberListQuery), async (c) => {
    return c.json(await listMembers(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/", docs({ summary: "Invite a member by email (answers the invitation link; it is also emailed)", tags, responses: { 201: invitedOut }, problems: [409] }), validate("json", inviteBody), async (c) => {
    const result = await inviteMember(serviceContext(c), c.var.ports.config, c.req.valid("json"));
    await sendInvitation(c, result);
    return c.json(result, 201);
  })
  .get("/:id", docs({ summary: "One member", tags, responses: { 200: memberOut } }), validate("param", memberIdParam), async (c) => {
    return c.json(await getMember(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/:id", docs({ summary: "Change a member's name, role, branches, or disable / re-enable them", tags, responses: { 200: memberOut }, problems: [409] }), validate("param", memberIdParam), validate("json", memberPatchBody), async (c) => {
    return c.json(await updateMember(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .post("/:id/invitation", docs({ summary: "Issue a new invitation link to a member who has not accepted yet", tags, responses: { 201: invitedOut }, problems: [409] }), validate("param", memberIdParam), async (c) => {
    const result = await reinviteMember(serviceContext(c), c.var.ports.config, c.req.valid("param").id);
    await sendInvitation(c, result);
    return c.json(result, 201);
  });

async function sendInvitation(c: { var: AppEnv["Variables"] }, result: { member: { email: string; name: string; locale: string | null }; invitation: { url: string; expiresAt: string } }) {
  try {
    await mailInvitation(c.var.ports.mailer, c.var.tenant, result.member, result.invitation);
  } catch (error) {
    // The link is in the response: a mail outage must not undo the invitation.
    c.var.ports.logger.error({ msg: "invitation email failed", requestId: c.var.requestId, error: String(error) });
  }
}

