import { describeRoute, resolver } from "hono-openapi";
import * as v from "valibot";

export const problemOut = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  detail: v.string(),
  code: v.string(),
  requestId: v.string(),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
  errorsOmitted: v.optional(v.pipe(v.number(), v.description("How many field errors `errors` left out (it lists at most 20)"))),
});

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: resolver(problemOut) } },
});

const statusText: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted", 204: "No Content" };

interface RouteDoc {
  summary: string;
  tags: string[];
  /** false for the few public routes (signup, login, refresh, invitations). */
  auth?: boolean;
  description?: string;
  responses: Record<number, v.GenericSchema | null>;
  /** Extra problem statuses this route answers besides 400/401/403/404. */
  problems?: number[];
}

/** Documents a route for /openapi.json: its own responses plus the problem+json ones every route shares. */
export function docs(doc: RouteDoc) {
  const auth = doc.auth ?? true;
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(doc.responses)) {
    responses[status] = schema
      ? { description: statusText[Number(status)] ?? "OK", content: { "application/json": { schema: resolver(schema) } } }
      : { description: statusText[Number(status)] ?? "OK" };
  }
  responses["400"] = problemResponse("Invalid input (problem+json with field paths)");
  if (auth) {
    responses["401"] = problemResponse("Missing, invalid or expired credentials");
    responses["403"] = problemResponse("The member's role does not allow this");
  }
  responses["404"] = problemResponse("Not found (also for another tenant's ids)");
  for (const status of doc.problems ?? []) responses[String(status)] = problemResponse("See `code`");
  return describeRoute({
    summary: doc.summary,
    description: doc.description,
    tags: doc.tags,
    security: auth ? [{ bearer: [] }] : [],
    responses: responses as never,
  });
}
