import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../http/env.js";
import { nowOf, serviceContext } from "../../http/context.js";
import { docs } from "../../http/openapi.js";
import { ProblemError } from "../../http/problem.js";
import { validate } from "../../http/validation.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { prefsBody, prefsOut, previewOut, previewQuery, settingsBody, settingsOut } from "./schemas.js";
import { notificationPrefsOf, previewReminders, reminderRules, setNotificationPrefs, updateReminderRules } from "./service.js";
import { readUnsubscribeToken } from "./unsubscribe-token.js";
import { reminderCategories } from "../../db/tenant/reminders.js";

const tags = ["reminders"];

export const reminderRoutes = new Hono<AppEnv>()
  .get("/settings", docs({ summary: "The tenant's reminder rules (admin)", tags, responses: { 200: settingsOut } }), async (c) => {
    return c.json(await reminderRules(serviceContext(c)), 200);
  })
  .put("/settings", docs({ summary: "Change the reminder rules: send hour, lead days, escalation, working days only (admin)", tags, responses: { 200: settingsOut } }), validate("json", settingsBody), async (c) => {
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
  });

const tokenQuery = v.strictObject({ token: v.pipe(v.string(), v.maxLength(200)) });

const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`;

/**
 * One-click unsubscribe (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` to the link; a person
 * who opens it gets a page with one button. The token names the tenant and member: no login.
 */
export function unsubscribeRoutes(directory: TenantDirectory) {
  const resolve = async (c: { var: AppEnv["Variables"] }, token: string) => {
    const who = await readUnsubscribeToken(c.var.ports.config.jwtSecret, token);
    const tenant = who && (await directory.activeById(who.tenantId));
    if (!who || !tenant) throw new ProblemError(404, "route.not_found", "退订链接无效 / This unsubscribe link is not valid");
    return { who, tenant, db: c.var.ports.tenantDatabases.open(tenant.id, tenant.dbLocator) };
  };
  return new Hono<AppEnv>()
    .get("/", docs({ summary: "The page a person sees when opening the unsubscribe link", tags, auth: false, responses: { 200: null } }), validate("query", tokenQuery), async (c) => {
      const { token } = c.req.valid("query");
      const { tenant } = await resolve(c, token);
      return c.html(page("退订提醒邮件", `<h1>退订「${tenant.name.replace(/[<>&"]/g, "")}」提醒邮件</h1><p>退订后将不再收到清单、问题和承诺的提醒邮件（可在个人设置中重新开启）。</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">确认退订</button></form>`));
    })
    .post("/", docs({ summary: "One-click unsubscribe (RFC 8058): mutes every reminder category", tags, auth: false, responses: { 200: null } }), validate("query", tokenQuery), async (c) => {
      const { token } = c.req.valid("query");
      const { who, db } = await resolve(c, token);
      await setNotificationPrefs({ db, requestId: c.var.requestId, now: nowOf(c) }, who.memberId, [...reminderCategories], "notification_prefs.unsubscribed");
      return c.html(page("已退订", "<h1>已退订</h1><p>您将不再收到提醒邮件。如需恢复，请在个人设置中重新开启。</p>"));
    });
}
