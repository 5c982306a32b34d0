import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv, PublicEnv } from "../../http/env.js";
import { type Context } from "hono";
import { publicTenant } from "../../http/public-tenant.js";
import { nowOf, serviceContext } from "../../http/context.js";
import { consoleLinks, consoleUrl } from "../../http/console-links.js";
import { docs } from "../../http/openapi.js";
import { ProblemError } from "../../http/problem.js";
import { validate } from "../../http/validation.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { prefsBody, prefsOut, previewOut, previewQuery, settingsBody, settingsOut, unsubscribeOut } from "./schemas.js";
import { notificationPrefsOf, previewReminders, reminderRules, setNotificationPrefs, updateReminderRules } from "./service.js";
import { readUnsubscribeToken } from "./unsubscribe-token.js";
import { revokeUnsubscribeLinks, unsubscribeLinkMember } from "./unsubscribe-links.js";
import { reminderCategories } from "../../db/tenant/reminders.js";

const tags = ["reminders"];

export const reminderRoutes = new Hono<AppEnv>()
  .get("/settings", docs({ summary: "The tenant's reminder rules (admin)", tags, responses: { 200: settingsOut } }), async (c) => {
    return c.json(await reminderRules(serviceContext(c)), 200);
  })
  .put("/settings", docs({
      summary: "Change the reminder rules: send hour, lead days, escalation, working days only (admin)",
      description:
        "A problem unresolved `escalateAfterDays` after its deadline climbs `escalationLadder` (default supervisor → road chief → admins): the first rung on that day, the next every `escalateAfterDays` days (daily when 0), each rung kept informed while it stays unresolved. Each step is emailed once, on the first sending day at or after its day, so a weekend, a holiday or a day with reminders off delays it and never loses it. With `workingDaysOnly` email waits for China's working days.",
      tags,
      responses: { 200: settingsOut },
    }), validate("json", settingsBody), async (c) => {
    return c.json(await updateReminderRules(serviceContext(c), c.var.ports.control, c.req.valid("json")), 200);
  })
  .get("/preview", docs({ summary: "Exactly what would be emailed on a date, to whom and why; sends nothing (admin)", tags, responses: { 200: previewOut } }), validate("query", previewQuery), async (c) => {
    return c.json(await previewReminders(serviceContext(c), c.var.ports.config, c.req.valid("query").date), 200);
  });

export const notificationPrefRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "My reminder email categories", tags: ["me"], responses: { 200: prefsOut } }), async (c) => {
    return c.json(await notificationPrefsOf(serviceContext(c), c.var.actor.memberId), 200);
  })
  .put("/", docs({ summary: "Mute or unmute reminder categories (tasks, problems, pledges, summary)", tags: ["me"], responses: { 200: prefsOut } }), validate("json", prefsBody), async (c) => {
    return c.json(await setNotificationPrefs(serviceContext(c), c.var.actor.memberId, c.req.valid("json").mutedCategories), 200);
  })
  .delete("/unsubscribe-links", docs({ summary: "Revoke every unsubscribe link already emailed to me (they answer 410; the next digest carries a new one)", tags: ["me"], responses: { 204: null } }), async (c) => {
    await revokeUnsubscribeLinks(serviceContext(c));
    return c.body(null, 204);
  });

const tokenQuery = v.strictObject({ token: v.pipe(v.string(), v.maxLength(200)) });

/**
 * One-click unsubscribe (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` to the link in the
 * header. A person never reads this route: the email's own link opens the console's page
 * (`/unsubscribe#token=…`), which reads the GET and posts here; a browser that opens the header's URL
 * itself is sent to that page. The token names the tenant and member: no login.
 */
export function unsubscribeRoutes(directory: TenantDirectory) {
  const resolve = async (c: Context<PublicEnv>, token: string) => {
    const link = await readUnsubscribeToken(c.var.ports.config.jwtSecret, token, nowOf(c));
    const t = await publicTenant(c, directory, link && { id: link.tenantId });
    if (!link || !t) throw new ProblemError("route.not_found", "退订链接无效 / This unsubscribe link is not valid");
    return { who: { memberId: await unsubscribeLinkMember(t.db, link) }, ...t };
  };
  return new Hono<PublicEnv>()
    .get("/", docs({ summary: "Whose reminders an unsubscribe link mutes, and which are muted now (a browser is sent to the console page); 410 unsubscribe.link_expired a year after sending or once revoked", tags, auth: false, responses: { 200: unsubscribeOut }, problems: [410] }), validate("query", tokenQuery), async (c) => {
      const { token } = c.req.valid("query");
      // A browser goes to the console page, which asks this route again and shows the answer (an expired link's too).
      if (wantsPage(c.req.header("accept"))) {
        if (!(await readUnsubscribeToken(c.var.ports.config.jwtSecret, token, nowOf(c)))) throw new ProblemError("route.not_found", "退订链接无效 / This unsubscribe link is not valid");
        return c.redirect(consoleUrl(c.var.ports.config.publicUrl, consoleLinks.unsubscribe(token)), 303);
      }
      const { who, tenant, db } = await resolve(c, token);
      return c.json({ tenant: { name: tenant.name }, ...(await notificationPrefsOf({ db }, who.memberId)) }, 200);
    })
    .post("/", docs({ summary: "One-click unsubscribe (RFC 8058): mutes every reminder category (410 unsubscribe.link_expired when the link is over a year old or revoked)", tags, auth: false, responses: { 200: unsubscribeOut }, problems: [410] }), validate("query", tokenQuery), async (c) => {
      const { token } = c.req.valid("query");
      const { who, tenant, db, requestId, now } = await resolve(c, token);
      const prefs = await setNotificationPrefs({ db, requestId, now }, who.memberId, [...reminderCategories], "notification_prefs.unsubscribed");
      return c.json({ tenant: { name: tenant.name }, ...prefs }, 200);
    });
}

/** A browser navigation asks for HTML first; the console page and scripts ask for JSON. */
const wantsPage = (accept: string | undefined) => !!accept && /text\/html/.test(accept) && !/application\/json/.test(accept.split(",")[0] ?? "");
