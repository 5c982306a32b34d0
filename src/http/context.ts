import type { Context } from "hono";
import { signedFileUrl } from "../modules/files/signing.js";
import type { Ports } from "../platform/ports.js";
import type { AppEnv, PublicEnv, ServiceContext } from "./env.js";

export const nowOf = (c: { var: { ports: Ports } }) => c.var.ports.now?.() ?? new Date();

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

/**
 * Work that outlives the answer: a Worker's waitUntil keeps the isolate for it; Node has no
 * execution context and needs none (the promise runs to its end). Failures are logged, not thrown.
 */
export function inBackground<E extends PublicEnv>(c: Context<E>, work: Promise<unknown>, what: string) {
  const logged = work.catch((error) => c.var.ports.logger.error({ msg: `${what} failed`, requestId: c.var.requestId, error: String(error) }));
  try {
    c.executionCtx.waitUntil(logged);
  } catch {
    // Node: no execution context.
  }
}
