import { workCalendar } from "../../calendar/tenant.js";
import type { RollPolicy } from "../../calendar/work-calendar.js";
import type { SchedulePresetChoice } from "../../db/tenant/checklists.js";
import type { ServiceContext } from "../../http/env.js";
import { occurrences } from "../checklists/recurrence.js";
import { scheduleProblem } from "../checklists/service.js";
import { ruleForPreset } from "./presets.js";

export interface SchedulePreviewInput {
  year: number;
  preset?: SchedulePresetChoice | null;
  recurrence?: string | null;
  dueDate?: string | null;
  rollPolicy: RollPolicy;
}

/**
 * The dates a schedule gives in a year, rolled as this bureau's calendar says (its own days included),
 * before any item exists: the checklist editor shows them while the officer picks a preset. One read.
 */
export async function previewSchedule(ctx: ServiceContext, input: SchedulePreviewInput) {
  const calendar = await workCalendar(ctx);
  try {
    const recurrence = input.preset ? ruleForPreset(input.preset) : (input.recurrence ?? null);
    const dates = occurrences({ recurrence, dueDate: input.dueDate ?? null, rollPolicy: input.rollPolicy }, input.year, calendar);
    const provisionalDates = dates.filter((o) => o.calendarProvisional).map((o) => o.dueDate);
    const provisionalYears = [...new Set(provisionalDates.map((d) => Number(d.slice(0, 4))))].filter((y) => !calendar.isOfficial(y));
    return { year: input.year, recurrence, occurrences: dates, calendar: { provisionalYears, provisionalDates } };
  } catch (error) {
    scheduleProblem(error);
  }
}
