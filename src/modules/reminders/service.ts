import { eq, inArray } from "drizzle-orm";
import { tenants } from "../../db/control/schema.js";
import { runBatch } from "../../db/batch.js";
import { notificationPrefs, reminderCategories, reminderDeliveries, reminderSettings, type ReminderCategory } from "../../db/tenant/reminders.js";
import type { ServiceContext } from "../../http/env.js";
import { forbidden } from "../../http/problem.js";
import type { ControlDb } from "../../platform/ports.js";
import { reminderSettingsQuery, type ReminderRules, rulesOf } from "../../jobs/settings.js";
import { planTenantDigests } from "../../jobs/tenant-reminders.js";
import { auditInsert } from "../audit/service.js";

export async function reminderRules(ctx: ServiceContext) {
  if (ctx.actor.role !== "admin") throw forbidden();
  return rulesOf(await reminderSettingsQuery(ctx.db));
}

/** The send hour is mirrored into the control database: the hourly cron picks tenants from there. */
export async function updateReminderRules(ctx: ServiceContext, control: ControlDb, patch: Partial<ReminderRules>) {
  const before = await reminderRules(ctx);
  const after: ReminderRules = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), leadDays: [...new Set(patch.leadDays ?? before.leadDays)].sort((a, b) => b - a) };
  const stamp = ctx.now.toISOString();
  await runBatch(ctx.db, [
    ctx.db.insert(reminderSettings).values({ id: 1, ...after, updatedAt: stamp }).onConflictDoUpdate({ target: reminderSettings.id, set: { ...after, updatedAt: stamp } }),
    auditInsert(ctx, { action: "reminder_settings.updated", entityType: "reminder_settings", entityId: "1", before, after }),
  ]);
  if (after.sendHour !== before.sendHour) await control.update(tenants).set({ reminderHour: after.sendHour, updatedAt: stamp }).where(eq(tenants.id, ctx.tenant.id));
  return after;
}

/** Exactly what the morning sweep would send on a day, to whom and why; sends nothing, writes nothing. */
export async function previewReminders(ctx: ServiceContext, config: { jwtSecret: string; publicUrl: string }, date: string) {
  if (ctx.actor.role !== "admin") throw forbidden();
  const plan = await planTenantDigests({ db: ctx.db, tenant: ctx.tenant, nationalCalendar: ctx.nationalCalendar, ...config }, date);
  const keys = plan.messages.map((m) => m.key);
  const sent = keys.length ? await ctx.db.select({ key: reminderDeliveries.key }).from(reminderDeliveries).where(inArray(reminderDeliveries.key, keys)) : [];
  const done = new Set(sent.filter(Boolean).map((r) => r.key));
  return {
    date,
    sendsOnThisDay: plan.sendsToday,
    emails: plan.messages.map((m) => ({ to: m.message.to, memberId: m.memberId, subject: m.message.subject, items: m.items, text: m.message.text, alreadySent: done.has(m.key) })),
  };
}

export async function notificationPrefsOf(ctx: Pick<ServiceContext, "db">, memberId: string) {
  const [row] = await ctx.db.select().from(notificationPrefs).where(eq(notificationPrefs.memberId, memberId));
  return { mutedCategories: row?.mutedCategories ?? [], categories: [...reminderCategories] };
}

export async function setNotificationPrefs(ctx: Pick<ServiceContext, "db" | "requestId" | "now">, memberId: string, muted: ReminderCategory[], action = "notification_prefs.updated") {
  const before = await notificationPrefsOf(ctx, memberId);
  const mutedCategories = [...new Set(muted)];
  const stamp = ctx.now.toISOString();
  await runBatch(ctx.db, [
    ctx.db.insert(notificationPrefs).values({ memberId, mutedCategories, updatedAt: stamp }).onConflictDoUpdate({ target: notificationPrefs.memberId, set: { mutedCategories, updatedAt: stamp } }),
    auditInsert({ ...ctx, actor: { memberId } }, { action, entityType: "member", entityId: memberId, before: before.mutedCategories, after: mutedCategories }),
  ]);
  return { mutedCategories, categories: [...reminderCategories] };
}
