import { Hono } from "hono";
import * as v from "valibot";
import { isCalendarDate } from "../../calendar/days.js";
import { serviceContext } from "../../http/context.js";
import type { AppEnv } from "../../http/env.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { calendarDay, removeCalendarDay, setCalendarDay } from "./days.js";

const tags = ["calendar"];

const dateParam = v.object({
  date: v.pipe(
    v.string(),
    v.check((d) => isCalendarDate(d) && d >= "2000-01-01" && d <= "2100-12-31", "须为 2000–2100 年间的真实日期 YYYY-MM-DD / Must be a real date YYYY-MM-DD from 2000 to 2100"),
  ),
});
const dayBody = v.strictObject({
  kind: v.picklist(["holiday", "workday"]),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40)),
});
const dayOut = v.object({
  date: v.string(),
  workingDay: v.boolean(),
  source: v.picklist(["tenant", "national", "weekend", "weekday"]),
  kind: v.nullable(v.picklist(["holiday", "workday"])),
  name: v.nullable(v.string()),
  national: v.nullable(v.object({ kind: v.picklist(["holiday", "workday"]), name: v.string() })),
  calendarProvisional: v.boolean(),
  updatedBy: v.nullable(v.string()),
  updatedAt: v.nullable(v.string()),
});
const rerolledOut = v.object({ tasksMoved: v.number(), tasksAdded: v.number(), tasksRemoved: v.number(), tasksConfirmed: v.number(), problemsMoved: v.number(), problemsConfirmed: v.number() });

/** `/v1/calendar/days/:date`: a bureau's own holidays and working days on top of China's calendar (admin). */
export const calendarDayRoutes = new Hono<AppEnv>()
  .get("/:date", docs({ summary: "A day as this bureau's work sees it: its own setting, the national calendar, or the weekend rule (admin)", tags, responses: { 200: dayOut } }), validate("param", dateParam), async (c) => {
    return c.json(await calendarDay(serviceContext(c), c.req.valid("param").date), 200);
  })
  .put("/:date", docs({ summary: "Set a bureau holiday (市庆) or working day (局内调休) for this tenant only; open tasks it decides follow (admin)", tags, responses: { 200: v.object({ ...dayOut.entries, rerolled: rerolledOut }) } }), validate("param", dateParam), validate("json", dayBody), async (c) => {
    return c.json(await setCalendarDay(serviceContext(c), c.req.valid("param").date, c.req.valid("json")), 200);
  })
  .delete("/:date", docs({ summary: "Remove the bureau's own setting for a day (admin)", tags, responses: { 204: null } }), validate("param", dateParam), async (c) => {
    await removeCalendarDay(serviceContext(c), c.req.valid("param").date);
    return c.body(null, 204);
  });
