import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../http/env.js";
import { serviceContext } from "../../http/context.js";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../../platform/crypto.js";
import { idField } from "../../http/fields.js";
import { docs } from "../../http/openapi.js";
import { ProblemError, unauthenticated } from "../../http/problem.js";
import { requireRole } from "../../http/middleware.js";
import { validate } from "../../http/validation.js";
import { clearRefreshCookie, presentedRefreshToken } from "../../http/session-cookie.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { memberView } from "../members/views.js";
import { apiTokenBody, apiTokenOut, createdApiTokenOut, loginBody, loginOut, meOut, mePatchBody, passwordBody, refreshBody, resetConfirmBody, resetRequestBody, tokensOut } from "./schemas.js";
import { changePassword, createApiToken, currentMember, listApiTokens, logIn, logOut, refreshSession, revokeApiToken, updateMe } from "./service.js";
import { confirmPasswordReset, requestPasswordReset } from "./password-reset.js";
import { parsePasswordResetToken, parseRefreshToken } from "./tokens.js";
import { HashGate } from "./hash-gate.js";
import { loginBuckets, throttledLogin } from "./login-throttle.js";
import { clientAddress } from "../../http/client-address.js";
import { inBackground, nowOf } from "../../http/context.js";
import { countEvent, POLICIES } from "./throttle.js";

/** Login, refresh and logout: no bearer yet, so the tenant comes from the body or the token itself. */
export function publicAuthRoutes(directory: TenantDirectory, hashGate = new HashGate()) {
  const depsFor = (c: { var: AppEnv["Variables"] }, tenant: NonNullable<Awaited<ReturnType<TenantDirectory["activeById"]>>>) => ({
    db: c.var.ports.tenantDatabases.open(tenant.id, tenant.dbLocator),
    tenant,
    config: c.var.ports.config,
    now: c.var.ports.now?.() ?? new Date(),
    requestId: c.var.requestId,
  });
  const tenantOfRefresh = async (token: string) => {
    const parsed = parseRefreshToken(token);
    const tenant = parsed && (await directory.activeById(parsed.tenantId));
    if (!parsed || !tenant) throw unauthenticated("auth.invalid_token");
    return { tenant, tokenId: parsed.tokenId };
  };

  return new Hono<AppEnv>()
    .post("/login", docs({ summary: "Log in with tenant slug, email or phone, and password (throttled per account and per client: 429 with Retry-After)", tags: ["auth"], auth: false, responses: { 200: loginOut }, problems: [429] }), validate("json", loginBody), async (c) => {
      const body = c.req.valid("json");
      const { ports } = c.var;
      const buckets = loginBuckets(body.tenant, body.email ?? body.phone!, clientAddress(c));
      const session = await throttledLogin(ports.control, hashGate, buckets, () => nowOf(c), async () => {
        const tenant = await directory.activeBySlug(body.tenant);
        if (!tenant) {
          // Same answer (and a comparable delay) as a wrong password: no probing which bureaus exist.
          await logInTimingPad();
          throw unauthenticated("auth.invalid_credentials");
        }
        c.set("tenant", tenant);
        return logIn(depsFor(c, tenant), body.email ? { email: body.email } : { phone: body.phone! }, body.password);
      });
      return c.json(session, 200);
    })
    .post("/refresh", docs({ summary: "Rotate a refresh token", tags: ["auth"], auth: false, responses: { 200: loginOut } }), validate("json", refreshBody), async (c) => {
      const refreshToken = presentedRefreshToken(c, c.req.valid("json").refreshToken);
      if (!refreshToken) throw unauthenticated("auth.invalid_token");
      const { tenant, tokenId } = await tenantOfRefresh(refreshToken);
      return c.json(await refreshSession(depsFor(c, tenant), refreshToken, tokenId), 200);
    })
    .post("/password-reset", docs({ summary: "Email a password-reset link (answers 202 at once, whether or not the email is a member's; at most 3 emails an hour per account)", tags: ["auth"], auth: false, responses: { 202: null } }), validate("json", resetRequestBody), async (c) => {
      const body = c.req.valid("json");
      const { ports } = c.var;
      // Everything happens after the answer, so a member and a stranger get it equally fast.
      const work = async () => {
        const bucket = [{ name: `reset:${body.tenant}:${body.email.toLowerCase()}`, policy: POLICIES.resetAccount }];
        const [count = 0] = await countEvent(ports.control, bucket, nowOf(c));
        if (count > POLICIES.resetAccount.free) return;
        const tenant = await directory.activeBySlug(body.tenant);
        if (tenant) await requestPasswordReset({ ...depsFor(c, tenant), mailer: ports.mailer, logger: ports.logger, publicUrl: ports.config.publicUrl }, body.email);
      };
      inBackground(c, work(), "password reset request");
      return c.body(null, 202);
    })
    .post("/password-reset/confirm", docs({ summary: "Set a new password with a reset token (ends every session)", tags: ["auth"], auth: false, responses: { 204: null } }), validate("json", resetConfirmBody), async (c) => {
      const { token, password } = c.req.valid("json");
      const parsed = parsePasswordResetToken(token);
      const tenant = parsed && (await directory.activeById(parsed.tenantId));
      if (!tenant) throw new ProblemError("auth.reset_invalid");
      await confirmPasswordReset(depsFor(c, tenant), token, password);
      return c.body(null, 204);
    })
    .post("/logout", docs({ summary: "Log out: revoke the refresh token's family", tags: ["auth"], auth: false, responses: { 204: null } }), validate("json", refreshBody), async (c) => {
      const refreshToken = presentedRefreshToken(c, c.req.valid("json").refreshToken);
      const parsed = refreshToken ? parseRefreshToken(refreshToken) : undefined;
      const tenant = parsed && (await directory.activeById(parsed.tenantId));
      if (refreshToken && parsed && tenant) await logOut(depsFor(c, tenant), refreshToken, parsed.tokenId);
      clearRefreshCookie(c);
      return c.body(null, 204);
    });
}

const logInTimingPad = () => verifyPassword("x", DUMMY_PASSWORD_HASH);

const tenantOut = (c: { var: AppEnv["Variables"] }) => {
  const { id, slug, name, timezone, locale } = c.var.tenant;
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
    return c.json(await changePassword(serviceContext(c), c.var.ports.config, body.currentPassword, body.newPassword), 200);
  });

export const apiTokenRoutes = new Hono<AppEnv>()
  .use(requireRole("admin"))
  .get("/", docs({ summary: "List personal API tokens", tags: ["api-tokens"], responses: { 200: v.object({ data: v.array(apiTokenOut) }) } }), async (c) => {
    return c.json({ data: await listApiTokens(serviceContext(c)) }, 200);
  })
  .post("/", docs({ summary: "Create a personal API token (shown once)", tags: ["api-tokens"], responses: { 201: createdApiTokenOut } }), validate("json", apiTokenBody), async (c) => {
    return c.json(await createApiToken(serviceContext(c), c.req.valid("json")), 201);
  })
  .delete("/:id", docs({ summary: "Revoke an API token", tags: ["api-tokens"], responses: { 200: apiTokenOut } }), validate("param", v.object({ id: idField("tok") })), async (c) => {
    return c.json(await revokeApiToken(serviceContext(c), c.req.valid("param").id), 200);
  });
