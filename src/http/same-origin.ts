import { createMiddleware } from "hono/factory";
import type { PublicEnv } from "./env.js";
import { ProblemError } from "./problem.js";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Writes from another site are refused (403 request.cross_site): a browser names the page's
 * origin on every cross-origin write, so a form or script elsewhere cannot act with a visitor's
 * cookie. Requests without Origin (API clients, curl, server-to-server) are not browsers' and pass.
 */
export const refuseCrossSiteWrites = createMiddleware<PublicEnv>(async (c, next) => {
  if (SAFE.has(c.req.method)) return next();
  const origin = c.req.header("origin");
  const site = c.req.header("sec-fetch-site");
  if (site === "cross-site" || (origin !== undefined && !sameOrigin(origin, c.req.url, c.get("ports").config.publicUrl))) {
    throw new ProblemError("request.cross_site");
  }
  return next();
});

function sameOrigin(origin: string, requestUrl: string, publicUrl: string) {
  // Behind a proxy the request's own URL may be internal; the public URL is the one browsers see.
  return origin === new URL(requestUrl).origin || origin === new URL(publicUrl).origin;
}
