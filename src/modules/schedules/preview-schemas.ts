import * as v from "valibot";
import { rollPolicies } from "../../db/tenant/checklists.js";
import { dateField, yearField } from "../../http/fields.js";
import { occurrenceOut, provisionalOut, recurrence, scheduleMessage } from "../checklists/schemas.js";
import { presetChoice } from "./schemas.js";

/** A schedule as an item would carry it (one of preset, recurrence, dueDate), for a year. */
export const schedulePreviewBody = v.pipe(
  v.strictObject({
    year: yearField,
    preset: v.optional(v.nullable(presetChoice)),
    recurrence: v.optional(v.nullable(recurrence)),
    dueDate: v.optional(v.nullable(dateField)),
    rollPolicy: v.optional(v.picklist(rollPolicies), "next"),
  }),
  v.forward(
    v.check((i) => [i.recurrence, i.preset, i.dueDate].filter(Boolean).length === 1, scheduleMessage),
    ["recurrence"],
  ),
);

export const schedulePreviewOut = v.object({ year: v.number(), recurrence: v.nullable(v.string()), occurrences: v.array(occurrenceOut), calendar: provisionalOut });
