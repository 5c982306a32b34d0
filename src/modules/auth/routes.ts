import { type Context, Hono } from "hono";
import * as v from "valibot";
import type { AppEnv, PublicEnv } from "../../http/env.js";
import { publicTenant } from "../../http/public-tenant.js";
import { serviceContext } from "../../http/context.js";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../../platform/crypto.js";
import { idField } from "../../http/fields.js";
import { docs } from "../../http/openapi.js";
import { ProblemError, unauthenticated } from "../../http/problem.js";
import { requireRole } from "../../http/middleware.js";
import { validate } from "../../http/validation.js";
import { clearRefreshCookie, presentedRefreshToken } from "../../http/session-cookie.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { calendarFeedTokenRoutes } from "../calendar/routes.js";
import { memberView } from "../members/views.js";
import { notificationPrefRoutes } from "../reminders/routes.js";
import { apiTokenBody, apiTokenOut, createdApiTokenOut, loginBody, loginOut, meOut, mePatchBody, passwordBody, refreshBody, resetConfirmBody, resetRequestBody, tokensOut } from "./schemas.js";
import { changePassword, currentMember, logIn, logOut, refreshSession, updateMe } from "./service.js";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens.js";
import { confirmPasswordReset, requestPasswordReset } from "./password-reset.js";
import { parsePasswordResetToken, parseRefreshToken } from "./tokens.js";
import { HashGate } from "./hash-gate.js";
import { loginBuckets, throttledLogin } from "./login-throttle.js";
import { clientAddress } from "../../http/client-address.js";
import { inBackground, nowOf } from "../../http/context.js";
import { countEvent, POLICIES } from "./throttle.js";

/** Login, refresh and logout: no bearer yet, so the tenant comes from the body or the token itself. */
export function publicAuthRoutes(directory: TenantDirectory, hashGate = new HashGate()) {
  const tenantOfRefresh = async (c: Context<PublicEnv>, token: string) => {
    const parsed = parseRefreshToken(token);
    const t = await publicTenant(c, directory, parsed && { id: parsed.tenantId });
    if (!parsed || !t) throw unauthenticated("auth.invalid_token");
    return { t, tokenId: parsed.tokenId };
  };

  return new Hono<PublicEnv>()
    .post("/login", docs({ summary: "Log in with tenant slug, email or phone, and password (throttled per account and per client: 429 with Retry-After)", tags: ["auth"], auth: false, responses: { 200: loginOut }, problems: [429] }), validate("json", loginBody), async (c) => {
      const body = c.req.valid("json");
      const ports = c.get("ports");
      const buckets = loginBuckets(body.tenant, body.email ?? body.phone!, clientAddress(c));
      const session = await throttledLogin(ports.control, hashGate, buckets, () => nowOf(c), async () => {
        const t = await publicTenant(c, directory, { slug: body.tenant });
        if (!t) {
          // Same answer (and a comparable delay) as a wrong password: no probing which bureaus exist.
          await logInTimingPad();
          throw unauthenticated("auth.invalid_credentials");
        }
        return logIn(t, body.email ? { email: body.email } : { phone: body.phone! }, body.password);
      });
      return c.json(session, 200);
    })
    .post("/refresh", docs({ summary: "Rotate a refresh token", tags: ["auth"], auth: false, responses: { 200: loginOut } }), validate("json", refreshBody), async (c) => {
      const refreshToken = presentedRefreshToken(c, c.req.valid("json").refreshToken);
      if (!refreshToken) throw unauthenticated("auth.invalid_token");
      const { t, tokenId } = await tenantOfRefresh(c, refreshToken);
      return c.json(await refreshSession(t, refreshToken, tokenId), 200);
    })
    .post("/password-reset", docs({ summary: "Email a password-reset link (answers 202 at once, whether or not the email is a member's; at most 3 emails an hour per account)", tags: ["auth"], auth: false, responses: { 202: null } }), validate("json", resetRequestBody), async (c) => {
      const body = c.req.valid("json");
      const ports = c.get("ports");
      // Everything happens after the answer, so a member and a stranger get it equally fast.
      const work = async () => {
        const bucket = [{ name: `reset:${body.tenant}:${body.email.toLowerCase()}`, policy: POLICIES.resetAccount }];
        const [count = 0] = await countEvent(ports.control, bucket, nowOf(c));
        if (count > POLICIES.resetAccount.free) return;
        const t = await publicTenant(c, directory, { slug: body.tenant });
        if (t) await requestPasswordReset({ ...t, mailer: ports.mailer, logger: ports.logger, publicUrl: ports.config.publicUrl }, body.email);
      };
      inBackground(c, work(), "password reset request");
      return c.body(null, 202);
    })
    .post("/password-reset/confirm", docs({ summary: "Set a new password with a reset token (ends every session)", tags: ["auth"], auth: false, responses: { 204: null } }), validate("json", resetConfirmBody), async (c) => {
      const { token, password } = c.req.valid("json");
      const parsed = parsePasswordResetToken(token);
      const t = await publicTenant(c, directory, parsed && { id: parsed.tenantId });
      if (!t) throw new ProblemError("auth.reset_invalid");
      await confirmPasswordReset(t, token, password);
      return c.body(null, 204);
    })
    .post("/logout", docs({ summary: "Log out: revoke the refresh token's family", tags: ["auth"], auth: false, responses: { 204: null } }), validate("json", refreshBody), async (c) => {
      const refreshToken = presentedRefreshToken(c, c.req.valid("json").refreshToken);
      const parsed = refreshToken ? parseRefreshToken(refreshToken) : undefined;
      const t = await publicTenant(c, directory, parsed && { id: parsed.tenantId });
      if (refreshToken && parsed && t) await logOut(t, refreshToken, parsed.tokenId);
      clearRefreshCookie(c);
      return c.body(null, 204);
    });
}

const logInTimingPad = () => verifyPassword("x", DUMMY_PASSWORD_HASH);

const tenantOut = (c: Context<AppEnv>) => {
  const { id, slug, name, timezone, locale } = c.get("tenant");
  return { id, slug, name, timezone, locale };
};

export const meRoutes = new Hono<AppEnv>()
  .get("/", docs({ summary: "The calling member and tenant", tags: ["me"], responses: { 200: meOut } }), async (c) => {
    return c.json({ member: memberView(await currentMember(serviceContext(c))), tenant: tenantOut(c) }, 200);
  })
  .patch("/", docs({ summary: "Edit my name, phone or language", tags: ["me"], responses: { 200: meOut } }), validate("json", mePatchBody), async (c) => {
    return c.json({ member: await updateMe(serviceContext(c), c.req.valid("json")), tenant: tenantOut(c) }, 200);
  })
  .post("/password", docs({ summary: "Change my password (ends my other sessions)", tags: ["me"], responses: { 200: tokensOut } }), validate("json", passwordBody), async (c) => {
    const body = c.req.valid("json");
    return c.json(await changePassword(serviceContext(c), c.get("ports").config, body.currentPassword, body.newPassword), 200);
  })
  // What hangs under /v1/me, inside the same mount: one authentication, no route-order rule in app.ts.
  .route("/calendar-feed", calendarFeedTokenRoutes)
  .route("/notifications", notificationPrefRoutes);

export const apiTokenRoutes = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .get("/", docs({ summary: "List personal API tokens (lastUsedAt to the minute)", tags: ["api-tokens"], responses: { 200: v.object({ data: v.array(apiTokenOut) }) } }), async (c) => {
    return c.json({ data: await listApiTokens(serviceContext(c)) }, 200);
  })
  .post("/", docs({ summary: "Create a personal API token, shown once: scope read_only (default) or read_write, expires in 90 days by default and at most 366; only from a login session, not with another API token", tags: ["api-tokens"], responses: { 201: createdApiTokenOut } }), validate("json", apiTokenBody), async (c) => {
    return c.json(await createApiToken(serviceContext(c), c.req.valid("json")), 201);
  })
  .delete("/:id", docs({ summary: "Revoke an API token", tags: ["api-tokens"], responses: { 200: apiTokenOut } }), validate("param", v.object({ id: idField("tok") })), async (c) => {
    return c.json(await revokeApiToken(serviceContext(c), c.req.valid("param").id), 200);
  });
