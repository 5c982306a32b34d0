import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import { serialize } from "hono/utils/cookie";
import type { PublicEnv } from "./env.js";

/**
 * Browser sessions (the console): a request with `Qingdan-Session: cookie` gets its refresh token
 * in an HttpOnly; Secure; SameSite=Strict cookie scoped to /v1/auth instead of in the JSON body,
 * so script never reads it; refresh and logout then take it from the cookie. API clients that do
 * not send the header keep the JSON tokens they had. See docs/adr (browser sessions).
 */
export const SESSION_HEADER = "qingdan-session";
export const REFRESH_COOKIE = "qd_refresh";
/** Login, refresh and logout live here; no other route ever receives the cookie. */
export const REFRESH_COOKIE_PATH = "/v1/auth";

/** The POST routes whose answer carries a new session (a refresh token at the top level). */
const SESSION_ROUTES = new Set(["/v1/auth/login", "/v1/auth/refresh", "/v1/invitations/accept", "/v1/tenants", "/v1/me/password"]);

const wantsCookie = (c: Context<PublicEnv>) => c.req.header(SESSION_HEADER) === "cookie";

const cookie = (value: string, maxAge: number) =>
  serialize(REFRESH_COOKIE, value, { path: REFRESH_COOKIE_PATH, httpOnly: true, secure: true, sameSite: "Strict", maxAge });

export const refreshTokenCookie = createMiddleware<PublicEnv>(async (c, next) => {
  await next();
  if (c.req.method !== "POST" || !wantsCookie(c)) return;
  const path = c.req.path.replace(/\/$/, "");
  if (c.res.status === 401 && path.startsWith(REFRESH_COOKIE_PATH)) {
    // A refused refresh: the cookie is dead, drop it so the browser stops presenting it.
    c.res.headers.append("Set-Cookie", cookie("", 0));
    return;
  }
  if (!SESSION_ROUTES.has(path) || c.res.status < 200 || c.res.status >= 300) return;
  if (!c.res.headers.get("content-type")?.startsWith("application/json")) return;
  const body = (await c.res.clone().json().catch(() => null)) as { refreshToken?: unknown; refreshTokenExpiresAt?: unknown } | null;
  if (!body || typeof body.refreshToken !== "string") return;
  const { refreshToken, ...rest } = body;
  const expires = typeof body.refreshTokenExpiresAt === "string" ? Date.parse(body.refreshTokenExpiresAt) : NaN;
  const maxAge = Number.isFinite(expires) ? Math.max(0, Math.floor((expires - Date.now()) / 1000)) : 30 * 86_400;
  const headers = new Headers(c.res.headers);
  headers.delete("content-length");
  headers.append("Set-Cookie", cookie(refreshToken, maxAge));
  const status = c.res.status;
  c.res = undefined;
  c.res = new Response(JSON.stringify(rest), { status, headers });
});

/** The refresh token a request presents: the JSON body's (API clients) or else the cookie's (the console). */
export function presentedRefreshToken(c: Context<PublicEnv>, fromBody: string | undefined) {
  return fromBody ?? getCookie(c, REFRESH_COOKIE);
}

/** Logout ends the cookie too. */
export function clearRefreshCookie(c: Context<PublicEnv>) {
  if (getCookie(c, REFRESH_COOKIE) !== undefined) c.header("Set-Cookie", cookie("", 0), { append: true });
}
