import { eq, getTableColumns } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/sqlite-core";
import { flatRowMapper } from "../db/prepared.js";
import type { TenantDb } from "../db/tenant/index.js";
import { type EscalationRung, reminderSettings } from "../db/tenant/reminders.js";
import { DEFAULT_ESCALATION_LADDER } from "./escalation.js";
import { onceSql } from "../db/once-sql.js";

export interface ReminderRules {
  enabled: boolean;
  sendHour: number;
  leadDays: number[];
  escalateAfterDays: number;
  shortfallWindowDays: number;
  workingDaysOnly: boolean;
  summaryWeekday: number;
  /** Who an overdue problem climbs to, one rung every `escalateAfterDays` (src/jobs/escalation.ts). */
  escalationLadder: EscalationRung[];
}

export const DEFAULT_REMINDER_RULES: ReminderRules = { enabled: true, sendHour: 8, leadDays: [7, 3, 1, 0], escalateAfterDays: 2, shortfallWindowDays: 14, workingDaysOnly: true, summaryWeekday: 1, escalationLadder: DEFAULT_ESCALATION_LADDER };

export const reminderSettingsQuery = (db: TenantDb) => db.select().from(reminderSettings).where(eq(reminderSettings.id, 1));

/** The same read for the morning job's first round trip (plan-morning.ts): its text written once, its rows mapped by the columns' own decoders. */
export const reminderSettingsStatement = onceSql(() => new QueryBuilder().select().from(reminderSettings).where(eq(reminderSettings.id, 1)).getSQL());
export const reminderSettingsRows = flatRowMapper<typeof reminderSettings.$inferSelect>(getTableColumns(reminderSettings));

export function rulesOf(rows: (typeof reminderSettings.$inferSelect)[]): ReminderRules {
  const row = rows[0];
  if (!row) return DEFAULT_REMINDER_RULES;
  const { id: _id, updatedAt: _u, ...rules } = row;
  return rules;
}
