import { hc } from "hono/client";
// The API's own type, from declarations scripts/vue-tsc.cjs emits (src/app.ts's AppType).
import type { AppType } from "#api-types";
import { currentLocale } from "./i18n";
import { accessToken, accessTokenStale, endSession, refreshSession } from "./session";

/**
 * Asks the server to keep the refresh token in an HttpOnly cookie instead of the JSON body.
 * Must match SESSION_HEADER in src/http/session-cookie.ts.
 */
const SESSION_HEADER = "Qingdan-Session";

function baseHeaders(init?: RequestInit) {
  const headers = new Headers(init?.headers);
  headers.set("Accept-Language", currentLocale());
  headers.set(SESSION_HEADER, "cookie");
  return headers;
}

/** For routes that need no bearer: login, refresh, invitations, reset, signup confirmation, public board. */
const publicFetch: typeof fetch = (input, init) => fetch(input, { ...init, headers: baseHeaders(init), credentials: "same-origin" });

/** Adds the bearer, refreshes a token about to expire, and retries once after a 401. */
const sessionFetch: typeof fetch = async (input, init) => {
  if (accessTokenStale()) await refreshSession();
  const send = () => {
    const headers = baseHeaders(init);
    const token = accessToken();
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers, credentials: "same-origin" });
  };
  const res = await send();
  if (res.status !== 401 || !accessToken()) return res;
  if (await refreshSession()) return send();
  endSession();
  onSignedOut?.();
  return res;
};

let onSignedOut: (() => void) | undefined;
/** The router sends the person to the login page (and back afterwards) when a session ends mid-use. */
export function whenSignedOut(handler: () => void) {
  onSignedOut = handler;
}

const origin = typeof location === "undefined" ? "http://localhost" : location.origin;

/** The API, typed from the server's own routes: a route change that breaks the console fails vue-tsc. */
export const api = hc<AppType>(origin, { fetch: sessionFetch });
export const publicApi = hc<AppType>(origin, { fetch: publicFetch });

/** An RFC 9457 problem from the API, in the language the console asked for. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail ?? title);
  }

  /** The message for one form field (`path` as the API names it, e.g. `admin.email`). */
  fieldError(path: string) {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

export async function readProblem(res: Response): Promise<ApiProblem> {
  try {
    const body = (await res.json()) as { code?: string; title?: string; detail?: string; errors?: { path: string; message: string }[] };
    return new ApiProblem(res.status, body.code ?? "unknown", body.title ?? res.statusText, body.detail, body.errors);
  } catch {
    return new ApiProblem(res.status, "unknown", res.statusText || String(res.status));
  }
}

type Answer = { ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> };
type OkBody<R> = R extends { ok: true; json(): Promise<infer T> } ? T : never;

/**
 * Awaits a typed call and returns its success body, or throws the ApiProblem:
 * `const { data } = await ok(api.v1.tasks.$get({ query: {} }))`.
 */
export async function ok<R extends Answer>(call: Promise<R>): Promise<OkBody<R>> {
  const res = await call;
  if (!res.ok) throw await readProblem(res as unknown as Response);
  // 202 and 204 answers may have no body at all.
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as OkBody<R>;
}
