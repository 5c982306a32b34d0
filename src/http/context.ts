import type { Context } from "hono";
import type { AppEnv, ServiceContext } from "./env.js";

export const nowOf = (c: Context<AppEnv>) => c.var.ports.now?.() ?? new Date();

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  return { db: c.var.db, actor: c.var.actor, tenant: c.var.tenant, requestId: c.var.requestId, now: nowOf(c), nationalCalendar: c.var.ports.calendar.current() };
}
