import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../db/tenant/schema.js";
import type { AppEnv, PublicEnv } from "./env.js";
import { pickLang } from "./i18n.js";
import { forbidden } from "./problem.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** On Node, the ServerResponse the answer will be written to (@hono/node-server's bindings); absent on Workers and in `app.request()`. */
export interface NodeOutgoing {
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}
export const nodeOutgoing = (c: Context): NodeOutgoing | undefined => {
  const outgoing = (c.env as { outgoing?: NodeOutgoing } | undefined)?.outgoing;
  return outgoing && typeof outgoing.setHeader === "function" && !outgoing.headersSent ? outgoing : undefined;
};

/**
 * Headers every answer carries, whatever the route answers (the route's own header of the same
 * name wins: a file download's stricter CSP).
 * - On Node they go straight onto the ServerResponse: `writeHead` merges them under the answer's
 *   own headers. The answer Hono builds then stays plain (no WHATWG Headers object to fill, sort and
 *   copy into the ServerResponse: ≈25 µs of a `GET /v1/me`, issue 19).
 * - Elsewhere (Workers, `app.request()`) they are set on the context before the route runs, so Hono
 *   writes them into the answer it builds; a route that returns a Response object of its own gets
 *   the missing ones after, in place.
 */
export async function withHeaders(c: Context, headers: readonly (readonly [string, string])[], next: () => Promise<void>) {
  const outgoing = nodeOutgoing(c);
  if (outgoing) {
    for (const [name, value] of headers) outgoing.setHeader(name, value);
    return next();
  }
  for (const [name, value] of headers) c.header(name, value);
  await next();
  const res = c.res;
  try {
    for (const [name, value] of headers) if (!res.headers.has(name)) res.headers.set(name, value);
  } catch {
    // Immutable headers (a fetched Response passed through): copy the answer.
    for (const [name, value] of headers) if (!res.headers.has(name)) c.header(name, value);
  }
}

/** Honours a caller's X-Request-Id (so a bureau's gateway can trace a call through us) when it is sane. */
export const requestContext = createMiddleware<PublicEnv>(async (c, next) => {
  const given = c.req.header("x-request-id");
  const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
  const lang = pickLang(c.req.header("accept-language"));
  c.set("requestId", requestId);
  c.set("lang", lang);
  await withHeaders(c, [["X-Request-Id", requestId], ["Content-Language", lang]], next);
});

/**
 * Paths can carry secrets (the calendar feed's token, a token someone pasted into a URL): the log
 * keeps a token's kind and tenant, never its secret part.
 */
export const redactTokens = (path: string) => path.replace(/(qd[a-z]?[._](?:[a-z]{2,4}_[0-9A-Z]{26}\.){1,2})[A-Za-z0-9_-]{16,}/g, "$1[redacted]");

export const requestLog = createMiddleware<PublicEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  c.get("ports").logger.info({
    msg: "request",
    requestId: c.get("requestId"),
    method: c.req.method,
    path: redactTokens(c.req.path),
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    tenantId: c.get("tenant")?.id,
    // Only authenticated routes have an actor; the log line wants it when there is one.
    memberId: ((c as unknown as Context<AppEnv>).get("actor") as AppEnv["Variables"]["actor"] | undefined)?.memberId,
  });
});

export const requireRole = (...allowed: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!allowed.includes(c.get("actor").role)) throw forbidden();
    await next();
  });
