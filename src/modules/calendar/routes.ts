import { Hono } from "hono";
import type { AppEnv, PublicEnv } from "../../http/env.js";
import { publicTenant } from "../../http/public-tenant.js";
import { serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { notFound } from "../../http/problem.js";
import { validate } from "../../http/validation.js";
import { parseCalendarToken } from "../auth/tokens.js";
import type { TenantDirectory } from "../tenants/directory.js";
import type { ExtraFeedEvents } from "./events.js";
import { calendarFeed } from "./feed.js";
import { calendarFeedOut, calendarFeedStatusOut, feedParam } from "./schemas.js";
import { calendarFeedStatus, issueCalendarFeed, revokeCalendarFeed } from "./service.js";

const tags = ["calendar"];

/** `/v1/me/calendar-feed`: the caller's own feed URL, for any role. */
export const calendarFeedTokenRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "Whether I have a calendar feed (its URL is shown only when it is made)", tags, responses: { 200: calendarFeedStatusOut } }), async (c) => {
    return c.json(await calendarFeedStatus(serviceContext(c)), 200);
  })
  .post("/", docs({ summary: "Make my secret calendar feed URL, or replace it (the old URL stops working)", tags, responses: { 201: calendarFeedOut } }), async (c) => {
    return c.json(await issueCalendarFeed(serviceContext(c), c.get("ports").config.publicUrl), 201);
  })
  .delete("/", docs({ summary: "Turn my calendar feed off", tags, responses: { 204: null } }), async (c) => {
    await revokeCalendarFeed(serviceContext(c));
    return c.body(null, 204);
  });

const ICS = ".ics";

/**
 * `/v1/calendar/<token>.ics`, public: a calendar app cannot log in, so the token names the tenant
 * (like an invitation) and proves whose feed it is. Anything that is not a live feed — garbage, another
 * tenant's token, a rotated or turned-off one, a disabled member's — is the same 404 problem.
 * `sources` is the extension point for more entries (see `ExtraFeedEvents` in ./events.ts).
 */
export function calendarFeedRoutes(directory: TenantDirectory, sources: readonly ExtraFeedEvents[] = []) {
  return new Hono<PublicEnv>().get(
    "/:feedToken{[\\w.-]+\\.ics}", // no "/" in the pattern: hono-openapi splits paths on it
    docs({
      summary: "My tasks' due dates as an iCalendar feed (all-day entries with a reminder the day before at 09:00)",
      description: "Answers `text/calendar; charset=utf-8`. The URL is the credential: subscribe to it in a calendar app; 404 once it is rotated or turned off.",
      tags,
      auth: false,
      responses: { 200: null },
    }),
    validate("param", feedParam),
    async (c) => {
      const token = c.req.valid("param").feedToken.slice(0, -ICS.length);
      const parsed = parseCalendarToken(token);
      const t = await publicTenant(c, directory, parsed && { id: parsed.tenantId });
      if (!t) throw notFound("calendar_feed.not_found");
      const body = await calendarFeed({ db: t.db, tenant: t.tenant, now: t.now, publicUrl: t.config.publicUrl }, token, sources);
      if (body === null) throw notFound("calendar_feed.not_found");
      return c.body(body, 200, {
        "content-type": "text/calendar; charset=utf-8",
        // The URL is a secret: no shared cache may keep the answer, and a rotation takes effect at once.
        "cache-control": "private, no-store",
        "content-disposition": 'inline; filename="qingdan.ics"',
      });
    },
  );
}
