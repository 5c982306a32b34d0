import { type Context, Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { pageOf } from "../../http/pagination.js";
import { validate } from "../../http/validation.js";
import { channelFor, channelsOf } from "../../platform/channels.js";
import { handOver, openWork } from "./handover.js";
import { importMembers } from "./import.js";
import { handoverBody, handoverOut, importBody, importOut, invitedOut, inviteBody, memberIdParam, memberListQuery, memberPatchBody, openWorkOut } from "./schemas.js";
import { notifyInvitation } from "./invitations.js";
import { getMember, inviteMember, listMembers, reinviteMember, updateMember } from "./service.js";
import { memberOut, type MemberView } from "./views.js";

const tags = ["members"];

export const memberRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "List the members the caller may see (admin: all; secretary: their subtree; member: their branches); `q` matches name, email, phone or pinyin initials", tags, responses: { 200: pageOf(memberOut) } }), validate("query", memberListQuery), async (c) => {
    return c.json(await listMembers(serviceContext(c), c.req.valid("query")), 200);
  })
  .post("/", docs({ summary: "Invite a member by email or phone (answers the invitation link for a link or QR code; it is also emailed when there is an address)", tags, responses: { 201: invitedOut }, problems: [409] }), validate("json", inviteBody), async (c) => {
    const result = await inviteMember(serviceContext(c), c.get("ports").config, c.req.valid("json"));
    return c.json({ ...result, emailed: await sendInvitation(c, result) }, 201);
  })
  .post("/import", docs({ summary: "Import up to 5,000 members (admin): all rows valid or nothing written; idempotent by email / phone; invitations are queued, not sent in the request", tags, responses: { 200: importOut }, problems: [409] }), validate("json", importBody), async (c) => {
    const ports = c.get("ports");
    const channels = channelsOf(ports);
    const result = await importMembers(serviceContext(c), c.req.valid("json"), {
      lang: c.get("lang"),
      reachable: (r) => Boolean(channelFor(channels, r)),
      queueJobs: async (count) => {
        try {
          await ports.jobs.enqueue(Array.from({ length: count }, () => ({ kind: "invitations" as const, tenantId: c.get("tenant").id })));
        } catch (error) {
          // The members are in; their sends stay queued in the database for the next job to take.
          ports.logger.error({ msg: "enqueue invitations failed", requestId: c.get("requestId"), error: String(error) });
        }
      },
    });
    return c.json(result, 200);
  })
  .get("/:id", docs({ summary: "One member", tags, responses: { 200: memberOut } }), validate("param", memberIdParam), async (c) => {
    return c.json(await getMember(serviceContext(c), c.req.valid("param").id), 200);
  })
  .patch("/:id", docs({ summary: "Change a member's name, login (email, phone), role, branches, or disable / re-enable them", tags, responses: { 200: memberOut }, problems: [409] }), validate("param", memberIdParam), validate("json", memberPatchBody), async (c) => {
    return c.json(await updateMember(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .get("/:id/open-work", docs({ summary: "What a member holds that others depend on: open tasks, live problems, branches and projects they lead, items that name them (admin)", tags, responses: { 200: openWorkOut } }), validate("param", memberIdParam), async (c) => {
    return c.json(await openWork(serviceContext(c), c.req.valid("param").id), 200);
  })
  .post("/:id/handover", docs({ summary: "Hand everything a member holds to another member, and disable them, in one step (admin)", tags, responses: { 200: handoverOut }, problems: [409] }), validate("param", memberIdParam), validate("json", handoverBody), async (c) => {
    return c.json(await handOver(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200);
  })
  .post("/:id/invitation", docs({ summary: "Issue a new invitation link to a member who has not accepted yet", tags, responses: { 201: invitedOut }, problems: [409] }), validate("param", memberIdParam), async (c) => {
    const result = await reinviteMember(serviceContext(c), c.get("ports").config, c.req.valid("param").id);
    return c.json({ ...result, emailed: await sendInvitation(c, result) }, 201);
  });

/** Sends the link where a channel reaches the member; either way the admin has it in the response. */
async function sendInvitation(c: Context<AppEnv>, result: { member: MemberView; invitation: { url: string; token: string; expiresAt: string } }) {
  try {
    return (await notifyInvitation(channelsOf(c.get("ports")), c.get("tenant"), result.member, result.invitation)) !== null;
  } catch (error) {
    // The link is in the response: a mail outage must not undo the invitation.
    c.get("ports").logger.error({ msg: "invitation email failed", requestId: c.get("requestId"), error: String(error) });
    return false;
  }
}
