import { Hono } from "hono";
import type { AppEnv } from "../../http/env.js";
import { docs } from "../../http/openapi.js";
import { schedulePresets } from "./presets.js";
import { presetListOut } from "./schemas.js";

export const scheduleRoutes = new Hono<AppEnv>().get(
  "/presets",
  docs({ summary: "Schedule presets in Chinese (每月最后一个工作日, 每季度末, 每半年末, 每个工作日 …), each with its rule; an item takes `preset: {id, …parameters}` or a raw `recurrence`", tags: ["schedules"], responses: { 200: presetListOut } }),
  (c) => c.json({ data: schedulePresets }, 200),
);
