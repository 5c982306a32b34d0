import * as v from "valibot";
import { escalationRungs, reminderCategories } from "../../db/tenant/reminders.js";
import { dateField } from "../../http/fields.js";

const day = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60));

export const settingsBody = v.strictObject({
  enabled: v.optional(v.boolean()),
  sendHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(23))),
  leadDays: v.optional(v.pipe(v.array(day), v.minLength(1), v.maxLength(10))),
  escalateAfterDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60))),
  shortfallWindowDays: v.optional(day),
  workingDaysOnly: v.optional(v.boolean()),
  summaryWeekday: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7))),
  /** Who an overdue problem climbs to, in order, one rung every `escalateAfterDays`; each rung at most once. */
  escalationLadder: v.optional(
    v.pipe(
      v.array(v.picklist(escalationRungs)),
      v.minLength(1),
      v.maxLength(escalationRungs.length),
      v.check((xs) => new Set(xs).size === xs.length, "每一级只能出现一次 / Each rung at most once"),
    ),
  ),
});

export const settingsOut = v.object({
  enabled: v.boolean(),
  sendHour: v.number(),
  leadDays: v.array(v.number()),
  escalateAfterDays: v.number(),
  shortfallWindowDays: v.number(),
  workingDaysOnly: v.boolean(),
  summaryWeekday: v.number(),
  escalationLadder: v.array(v.picklist(escalationRungs)),
});

export const previewQuery = v.strictObject({ date: dateField });

export const previewOut = v.object({
  date: v.string(),
  sendsOnThisDay: v.boolean(),
  emails: v.array(v.object({ to: v.string(), memberId: v.string(), subject: v.string(), items: v.number(), text: v.string(), alreadySent: v.boolean() })),
});

export const prefsBody = v.strictObject({ mutedCategories: v.pipe(v.array(v.picklist(reminderCategories)), v.maxLength(reminderCategories.length)) });
export const prefsOut = v.object({ mutedCategories: v.array(v.picklist(reminderCategories)), categories: v.array(v.string()) });

export const unsubscribeOut = v.object({ tenant: v.object({ name: v.string() }), ...prefsOut.entries });
