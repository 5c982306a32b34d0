import type { Context } from "hono";
import { signedFileUrl } from "../modules/files/signing.js";
import type { AppEnv, ServiceContext } from "./env.js";

export const nowOf = (c: Context<AppEnv>) => c.var.ports.now?.() ?? new Date();

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const now = nowOf(c);
  const { tenant, actor } = c.var;
  return {
    db: c.var.db,
    actor,
    tenant,
    requestId: c.var.requestId,
    now,
    nationalCalendar: c.var.ports.calendar.current(),
    fileUrl: (fileId) => signedFileUrl(c.var.ports.config.jwtSecret, { tenantId: tenant.id, memberId: actor.memberId, role: actor.role, fileId }, now),
  };
}
