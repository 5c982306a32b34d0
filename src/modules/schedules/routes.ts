import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { requireRole } from "../../http/middleware.js";
import { docs } from "../../http/openapi.js";
import { validate } from "../../http/validation.js";
import { provisionalNotice } from "../../calendar/notice.js";
import { schedulePresets } from "./presets.js";
import { schedulePreviewBody, schedulePreviewOut } from "./preview-schemas.js";
import { previewSchedule } from "./preview.js";
import { presetListOut } from "./schemas.js";

const tags = ["schedules"];

export const scheduleRoutes = new Hono<AppEnv>()
  .get(
    "/presets",
    docs({ summary: "Schedule presets in Chinese (每月最后一个工作日, 每季度末, 每半年末, 每个工作日 …), each with its rule; an item takes `preset: {id, …parameters}` or a raw `recurrence`", tags, responses: { 200: presetListOut } }),
    (c) => c.json({ data: schedulePresets }, 200),
  )
  // A read that takes a body (a preset's parameters): POST, writing nothing. Definers only (admin, secretary).
  .post(
    "/preview",
    requireRole("admin", "secretary"),
    docs({ summary: "The dates a schedule (preset, recurrence or one date) gives in a year, rolled off this bureau's holidays — before the item exists (writes nothing)", tags, responses: { 200: schedulePreviewOut }, problems: [422] }),
    validate("json", schedulePreviewBody),
    async (c) => {
      const preview = await previewSchedule(serviceContext(c), c.req.valid("json"));
      return c.json({ ...preview, calendar: { ...preview.calendar, notice: provisionalNotice(preview.calendar.provisionalYears, c.get("lang")) } }, 200);
    },
  );
