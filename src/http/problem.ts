import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Lang, type ProblemCode, problemTitles } from "./i18n.js";

export interface FieldError { path: string; message: string }

/** A failure a client can act on: rendered as RFC 9457 problem+json by the app's error handler. */
export class ProblemError extends Error {
  /** Field errors left out of `errors` (a problem lists at most 20). */
  errorsOmitted?: number;
  /** Sent as Retry-After (429 and 503). */
  retryAfterSeconds?: number;
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(code);
  }
}

export const notFound = (code: ProblemCode & `${string}.not_found`) => new ProblemError(404, code);
export const forbidden = () => new ProblemError(403, "auth.forbidden");
export const unauthenticated = (code: ProblemCode = "auth.unauthenticated") => new ProblemError(401, code);
export const conflict = (code: ProblemCode, detail?: string) => new ProblemError(409, code, detail);
export const invalidField = (path: string, message: string) => new ProblemError(400, "validation.failed", undefined, [{ path, message }]);

export function problemBody(problem: ProblemError, lang: Lang, requestId: string) {
  const title = problemTitles[problem.code][lang];
  return {
    type: `https://qingdan.dev/problems/${problem.code}`,
    title,
    status: problem.status,
    detail: problem.detail ?? title,
    code: problem.code,
    requestId,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(problem.errorsOmitted ? { errorsOmitted: problem.errorsOmitted } : {}),
  };
}
