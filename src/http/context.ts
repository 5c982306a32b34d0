import type { Context } from "hono";
import { signedFileUrl } from "../modules/files/signing.js";
import type { Ports } from "../platform/ports.js";
import type { AppEnv, PublicEnv, ServiceContext } from "./env.js";

/** `c.get()`, not `c.var`: Hono's `var` copies every variable into a new object on each read (issue 19). */
export const nowOf = (c: { get(key: "ports"): Ports }) => c.get("ports").now?.() ?? new Date();

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const now = nowOf(c);
  const tenant = c.get("tenant");
  const actor = c.get("actor");
  const ports = c.get("ports");
  return {
    db: c.get("db"),
    actor,
    tenant,
    requestId: c.get("requestId"),
    now,
    nationalCalendar: ports.calendar.current(),
    fileUrl: (fileId) => signedFileUrl(ports.config.jwtSecret, { tenantId: tenant.id, memberId: actor.memberId, role: actor.role, fileId }, now),
  };
}

/**
 * Work that outlives the answer: a Worker's waitUntil keeps the isolate for it; Node has no
 * execution context and needs none (the promise runs to its end). Failures are logged, not thrown.
 */
export function inBackground<E extends PublicEnv>(c: Context<E>, work: Promise<unknown>, what: string) {
  const logged = work.catch((error) => c.get("ports").logger.error({ msg: `${what} failed`, requestId: c.get("requestId"), error: String(error) }));
  try {
    c.executionCtx.waitUntil(logged);
  } catch {
    // Node: no execution context.
  }
}
