import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../db/tenant/schema.js";
import type { AppEnv, PublicEnv } from "./env.js";
import { pickLang } from "./i18n.js";
import { forbidden } from "./problem.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Headers every answer carries, set before the route runs: Hono writes them into the answer the
 * route builds. Set after it, `c.header()` turns @hono/node-server's light Response into a full one
 * (issue 19: ~50 µs a request). A route that returns a Response object of its own does not get
 * prepared headers, so the missing ones are added to it afterwards, in place.
 */
export async function withHeaders(c: Context, headers: readonly (readonly [string, string])[], next: () => Promise<void>) {
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
