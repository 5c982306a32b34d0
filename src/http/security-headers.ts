import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { PublicEnv } from "./env.js";
import { nodeOutgoing, withHeaders } from "./middleware.js";

/**
 * The content security policy of everything we serve: our own origin only, no inline script (the
 * console is built without any), inline styles allowed (Vant and the docs page set style
 * attributes), no framing, no plugins. An HTML page's own inline scripts (the docs page's) are
 * allowed by their hashes, computed from the page as served.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:", "blob:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The headers hono/secure-headers sets with our options, computed once per kind of transport (not per request). */
async function policyHeaders(https: boolean): Promise<readonly (readonly [string, string])[]> {
  const res = { headers: new Headers() };
  await secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    strictTransportSecurity: https ? "max-age=31536000; includeSubDomains" : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: "no-referrer",
  })({ res } as never, async () => {});
  return [...res.headers];
}
const plain = policyHeaders(false);
const overHttps = policyHeaders(true);

/**
 * X-Content-Type-Options, Referrer-Policy, framing and the CSP on every answer; HSTS only over https.
 * Set before the route runs (see withHeaders), so a route that sets its own policy keeps it: a file
 * download's `default-src 'none'; sandbox` is stricter than the site's.
 */
export const securityHeaders = createMiddleware<PublicEnv>(async (c, next) => {
  const https = c.req.url.startsWith("https:") || (c.get("ports")?.config.trustProxy !== "none" && c.req.header("x-forwarded-proto") === "https");
  const headers = await (https ? overHttps : plain);
  const outgoing = nodeOutgoing(c);
  await withHeaders(c, headers, next);
  // The JSON API (/v1/) answers no HTML page of its own; reading an answer's headers would cost
  // every light answer on Node its plain form (see withHeaders).
  if (c.req.path.startsWith("/v1/")) return;
  await allowInlineScriptsByHash(c.res, outgoing);
});

/** An HTML page's own inline scripts (the docs page has some; the console none), allowed by their hashes. */
async function allowInlineScriptsByHash(res: Response, outgoing: ReturnType<typeof nodeOutgoing>) {
  const policy = res.headers.get("content-security-policy") ?? (outgoing?.getHeader("content-security-policy") as string | undefined);
  if (!policy || !res.headers.get("content-type")?.includes("text/html")) return;
  const html = await res.clone().text();
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(m[1]!)));
    hashes.push(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
  }
  if (hashes.length) res.headers.set("content-security-policy", policy.replace("script-src 'self'", `script-src 'self' ${hashes.join(" ")}`));
}
