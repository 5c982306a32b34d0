import { type Lang, localise } from "./i18n.js";
import { type ProblemCode, problemCatalogue } from "./problem-catalogue.js";

export type { ProblemCode } from "./problem-catalogue.js";

export interface FieldError { path: string; message: string }

export interface ProblemOptions {
  /** Specifics for this occurrence, written "中文 / English" (the answer shows the reader's half). */
  detail?: string;
  errors?: FieldError[];
  /** Headers the answer carries, such as Retry-After on a 429. */
  headers?: Record<string, string>;
}

/**
 * A failure a client can act on: rendered as RFC 9457 problem+json by the app's error handler. Its
 * status comes from the catalogue (src/http/problem-catalogue.ts), never from the thrower.
 */
export class ProblemError extends Error {
  readonly status: (typeof problemCatalogue)[ProblemCode]["status"];
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** Field errors left out of `errors` (a problem lists at most 20). */
  errorsOmitted?: number;
  constructor(
    readonly code: ProblemCode,
    options: ProblemOptions | string = {},
  ) {
    super(code);
    const o = typeof options === "string" ? { detail: options } : options;
    this.status = problemCatalogue[code].status;
    this.detail = o.detail;
    this.errors = o.errors;
    this.headers = o.headers;
  }
}

export const notFound = (code: ProblemCode & `${string}.not_found`) => new ProblemError(code);
export const forbidden = () => new ProblemError("auth.forbidden");
export const unauthenticated = (code: ProblemCode = "auth.unauthenticated") => new ProblemError(code);
export const conflict = (code: ProblemCode, detail?: string) => new ProblemError(code, { detail });
export const invalidField = (path: string, message: string) => new ProblemError("validation.failed", { errors: [{ path, message }] });

export function problemBody(problem: ProblemError, lang: Lang, requestId: string) {
  const title = problemCatalogue[problem.code][lang];
  return {
    type: `https://qingdan.dev/problems/${problem.code}`,
    title,
    status: problem.status,
    detail: problem.detail ? localise(problem.detail, lang) : title,
    code: problem.code,
    requestId,
    ...(problem.errors ? { errors: problem.errors.map((e) => ({ path: e.path, message: localise(e.message, lang) })) } : {}),
    ...(problem.errorsOmitted ? { errorsOmitted: problem.errorsOmitted } : {}),
  };
}
