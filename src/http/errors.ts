import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { PublicEnv } from "./env.js";
import { pickLang } from "./i18n.js";
import { problemBody, ProblemError } from "./problem.js";

export function problemResponse(c: Context<PublicEnv>, problem: ProblemError) {
  const lang = c.get("lang") ?? pickLang(c.req.header("accept-language"));
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  return new Response(JSON.stringify(problemBody(problem, lang, requestId)), {
    status: problem.status,
    headers: { ...problem.headers, "content-type": "application/problem+json; charset=utf-8", "x-request-id": requestId, "content-language": lang },
  });
}

/** Everything thrown ends here: client mistakes become 4xx problems, anything else a logged 500. */
export function onError(error: Error, c: Context<PublicEnv>) {
  if (error instanceof ProblemError) return problemResponse(c, error);
  // A problem raised inside the database layer (the session guard) arrives wrapped by drizzle.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof ProblemError) return problemResponse(c, cause);
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413) return problemResponse(c, new ProblemError("request.too_large"));
    if (status === 400) return problemResponse(c, new ProblemError("request.malformed_json"));
    if (status === 415) return problemResponse(c, new ProblemError("request.unsupported_media_type"));
    if (status === 401) return problemResponse(c, new ProblemError("auth.unauthenticated"));
  }
  c.get("ports")?.logger.error({ msg: "unhandled error", requestId: c.get("requestId"), path: c.req.path, error: error.stack ?? String(error) });
  return problemResponse(c, new ProblemError("internal"));
}

export const onNotFound = (c: Context<PublicEnv>) => problemResponse(c, new ProblemError("route.not_found"));
