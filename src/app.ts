import { worklogReportRoutes } from "./modules/reports/worklogs-routes.js";
import { worklogRoutes } from "./modules/worklogs/routes.js";
import { Scalar } from "@scalar/hono-api-reference";
import { Hono, type MiddlewareHandler, type Schema } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { openAPIRouteHandler } from "hono-openapi";
import { signupIdempotency } from "./db/control/schema.js";
import { idempotencyKeys } from "./db/tenant/schema.js";
import type { AppEnv, PublicEnv } from "./http/env.js";
import { onError, onNotFound, problemResponse } from "./http/errors.js";
import { idempotency } from "./http/idempotency.js";
import { requestContext, requestLog } from "./http/middleware.js";
import { securityHeaders } from "./http/security-headers.js";
import { ProblemError } from "./http/problem.js";
import { refuseCrossSiteWrites } from "./http/same-origin.js";
import { refreshTokenCookie } from "./http/session-cookie.js";
import { auditRoutes } from "./modules/audit/routes.js";
import { issueCategoryRoutes, issueRoutes } from "./modules/issues/routes.js";
import { fileAccess, fileRoutes } from "./modules/files/routes.js";
import { projectRoutes } from "./modules/projects/routes.js";
import { projectReportRoutes } from "./modules/reports/project-routes.js";
import { pledgeRoutes } from "./modules/pledges/routes.js";
import { publicRoutes } from "./modules/public/routes.js";
import { pledgeReportRoutes } from "./modules/reports/pledges.js";
import { authenticate } from "./modules/auth/middleware.js";
import { checklistRoutes } from "./modules/checklists/routes.js";
import { examRoutes } from "./modules/exams/routes.js";
import { scheduleRoutes } from "./modules/schedules/routes.js";
import { taskRoutes } from "./modules/tasks/routes.js";
import { checklistReportRoutes } from "./modules/reports/checklists-routes.js";
import { reminderRoutes, unsubscribeRoutes } from "./modules/reminders/routes.js";
import { apiTokenRoutes, meRoutes, publicAuthRoutes } from "./modules/auth/routes.js";
import { branchRoutes } from "./modules/branches/routes.js";
import { calendarDayRoutes } from "./modules/calendar/days-routes.js";
import { calendarFeedRoutes } from "./modules/calendar/routes.js";
import { issueClockEvents } from "./modules/issues/calendar.js";
import { pledgeDueEvents } from "./modules/pledges/calendar.js";
import { invitationRoutes } from "./modules/members/invitation-routes.js";
import { memberRoutes } from "./modules/members/routes.js";
import { TenantDirectory } from "./modules/tenants/directory.js";
import { tenantRoutes } from "./modules/tenants/routes.js";
import { confirmationResendRoutes, tenantConfirmationRoutes } from "./modules/tenants/confirmation-routes.js";
import type { Ports } from "./platform/ports.js";

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** A 5,000-row member import runs to about 1.5 MB of JSON (branch paths in Chinese): it alone gets more room. */
export const IMPORT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
const IMPORT_PATH = "/v1/members/import";

/**
 * File uploads (POST /v1/files) have their own limits per kind, 10 and 20 MB, enforced as the body
 * streams in. GET and HEAD carry no body we read: skipped without touching `c.req.raw`, which on
 * Node builds a full Request from the incoming message (issue 19: tens of µs a read).
 */
const exceptUploads = (limit: MiddlewareHandler<PublicEnv>) =>
  createMiddleware<PublicEnv>((c, next) => {
    const method = c.req.method;
    return method === "GET" || method === "HEAD" || (method === "POST" && c.req.path === "/v1/files") ? next() : limit(c, next);
  });

export interface AppOptions {
  /** The docs page's script, served from our own origin (Node: a file route; Workers: static assets). */
  docsScript?: MiddlewareHandler;
}

/** The whole API as one Hono app, from ports only: no runtime module is imported here. */
export function createApp(ports: Ports, options: AppOptions = {}) {
  const directory = new TenantDirectory(ports.control);
  const auth = authenticate(directory);
  const tenantIdempotency = idempotency<AppEnv>((c) => ({ db: c.get("db"), table: idempotencyKeys, scope: c.get("actor").memberId }));
  // Same columns as the tenant table; drizzle's types differ only by the table's name.
  const signupIdempotencyStore = idempotency<PublicEnv>(() => ({ db: ports.control, table: signupIdempotency as unknown as typeof idempotencyKeys, scope: "signup" }));
  // Generic over the routes' schema so AppType (and hc<AppType>) keeps every authenticated route's types.
  const authed = <S extends Schema, B extends string>(routes: Hono<AppEnv, S, B>) => new Hono<AppEnv>().use(auth, tenantIdempotency).route("/", routes);

  const app = new Hono<PublicEnv>()
    .use(requestContext)
    .use(createMiddleware<PublicEnv>(async (c, next) => {
      c.set("ports", ports);
      // A stale national calendar is refreshed beside the request, never in its way (waitUntil on Workers).
      const refresh = ports.calendar.refreshIfStale()?.catch((error) => ports.logger.error({ msg: "calendar refresh failed", error: String(error) }));
      if (refresh) keepAlive(c, refresh);
      await next();
    }))
    .use(requestLog)
    .use(securityHeaders)
    .use(refuseCrossSiteWrites)
    .use(refreshTokenCookie)
    .use(exceptUploads(bodyLimitFor((path) => (path === IMPORT_PATH ? IMPORT_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES))))
    .get("/healthz", (c) => c.json({ status: "ok" }));

  if (options.docsScript) app.get("/docs/scalar.js", options.docsScript);

  const api = app
    .route("/v1/tenants/confirm/resend", authed(confirmationResendRoutes))
    .route("/v1/tenants/confirm", tenantConfirmationRoutes(directory))
    .route("/v1/tenants", new Hono<PublicEnv>().use(signupIdempotencyStore).route("/", tenantRoutes))
    .route("/v1/auth", publicAuthRoutes(directory))
    .route("/v1/invitations", invitationRoutes(directory))
    .route("/v1/me", authed(meRoutes))
    .route("/v1/calendar/days", authed(calendarDayRoutes))
    .route("/v1/calendar", calendarFeedRoutes(directory, [issueClockEvents, pledgeDueEvents]))
    .route("/v1/members", authed(memberRoutes))
    .route("/v1/branches", authed(branchRoutes))
    .route("/v1/api-tokens", authed(apiTokenRoutes))
    .route("/v1/audit", authed(auditRoutes))
    .route("/v1/files", new Hono<AppEnv>().use(fileAccess(directory, auth)).route("/", fileRoutes))
    .route("/v1/projects", authed(projectRoutes))
    .route("/v1/issues", authed(issueRoutes))
    .route("/v1/issue-categories", authed(issueCategoryRoutes))
    .route("/v1/reports/projects", authed(projectReportRoutes))
    .route("/v1/pledges", authed(pledgeRoutes))
    .route("/v1/reports/pledges", authed(pledgeReportRoutes))
    .route("/v1/public", publicRoutes(directory))
    .route("/v1/checklists", authed(checklistRoutes))
    .route("/v1/schedules", authed(scheduleRoutes))
    .route("/v1/tasks", authed(taskRoutes))
    .route("/v1/reports/checklists", authed(checklistReportRoutes))
    .route("/v1/reminders", authed(reminderRoutes))
    .route("/v1/worklogs", authed(worklogRoutes))
    .route("/v1/reports/worklogs", authed(worklogReportRoutes))
    .route("/v1/exams", authed(examRoutes))
    .route("/v1/unsubscribe", unsubscribeRoutes(directory));

  app.get(
    "/openapi.json",
    openAPIRouteHandler(api, {
      documentation: {
        openapi: "3.1.0",
        info: {
          title: "qingdan 清单 API",
          version: "1",
          description: "清单 checklists, 路长制 project logs and 承诺践诺 pledges for municipal bureaus. Errors are RFC 9457 problem+json; messages are zh-CN unless `Accept-Language: en`.",
        },
        servers: [{ url: ports.config.publicUrl }],
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An access token (JWT) or a personal API token (qd_…)" } } },
      },
      defaultValidationErrorResponse: false,
      exclude: ["/healthz", "/openapi.json", "/docs", "/docs/scalar.js"],
    }),
  );
  app.get("/docs", Scalar({ url: "/openapi.json", cdn: ports.config.docsScriptUrl, pageTitle: "qingdan API" }));

  app.onError(onError);
  app.notFound(onNotFound);
  return api;
}

/** Workers stop an isolate's work when the response is sent unless told to wait; Node has no execution context. */
function keepAlive(c: { executionCtx: { waitUntil(p: Promise<unknown>): void } }, work: Promise<unknown>) {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // Node: the promise simply runs on.
  }
}

export type AppType = ReturnType<typeof createApp>;

function bodyLimitFor(maxSizeOf: (path: string) => number): MiddlewareHandler {
  const limits = new Map<number, MiddlewareHandler>();
  const tooLarge = (c: unknown) => problemResponse(c as never, new ProblemError("request.too_large"));
  return (c, next) => {
    const maxSize = maxSizeOf(c.req.path);
    let limit = limits.get(maxSize);
    if (!limit) limits.set(maxSize, (limit = bodyLimit({ maxSize, onError: tooLarge })));
    return limit(c, next);
  };
}
