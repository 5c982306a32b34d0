import * as v from "valibot";
import { emailField, lineText, localeField, nameField, passwordField, phoneField, timestampOut } from "../../http/fields.js";
import { apiTokenScopes } from "../../db/tenant/schema.js";
import { memberOut } from "../members/views.js";

/** Sign in with the email or the (mainland mobile) phone number: a member may have only one of them. */
export const loginBody = v.pipe(
  v.strictObject({
    tenant: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(1), v.maxLength(40)),
    email: v.optional(emailField),
    phone: v.optional(phoneField),
    password: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  }),
  v.forward(
    v.check((b) => Boolean(b.email) !== Boolean(b.phone), "须填写邮箱或手机号之一 / Give either the email or the phone number"),
    ["email"],
  ),
);

/** The refresh token in the body (API clients) or, for the console, absent: it comes from the HttpOnly cookie. */
export const refreshBody = v.strictObject({ refreshToken: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))) });

export const tokensOut = v.object({
  accessToken: v.string(),
  accessTokenExpiresAt: timestampOut,
  refreshToken: v.string(),
  refreshTokenExpiresAt: timestampOut,
  tokenType: v.literal("Bearer"),
});

export const sessionTenantOut = v.object({ id: v.string(), slug: v.string(), name: v.string(), timezone: v.string(), locale: v.string() });

export const loginOut = v.object({ tenant: sessionTenantOut, member: memberOut, ...tokensOut.entries });

export const mePatchBody = v.strictObject({
  name: v.optional(nameField),
  phone: v.optional(v.nullable(phoneField)),
  locale: v.optional(v.nullable(localeField)),
});

export const meOut = v.object({ member: memberOut, tenant: sessionTenantOut });

export const passwordBody = v.strictObject({ currentPassword: v.pipe(v.string(), v.maxLength(128)), newPassword: passwordField });

export const apiTokenBody = v.strictObject({
  name: lineText(100),
  /** read_only: GET and HEAD only (the default: least power); read_write: whatever the member's role allows. */
  scope: v.optional(v.picklist(apiTokenScopes)),
  expiresAt: v.optional(v.pipe(v.string(), v.maxLength(40), v.isoTimestamp())),
});

export const apiTokenOut = v.object({
  id: v.string(),
  name: v.string(),
  memberId: v.string(),
  scope: v.picklist(apiTokenScopes),
  createdAt: timestampOut,
  expiresAt: v.nullable(v.string()),
  revokedAt: v.nullable(v.string()),
  lastUsedAt: v.nullable(v.string()),
});
export const createdApiTokenOut = v.object({ ...apiTokenOut.entries, token: v.string() });

export const resetRequestBody = v.strictObject({
  tenant: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(1), v.maxLength(40)),
  email: emailField,
});
export const resetConfirmBody = v.strictObject({ token: v.pipe(v.string(), v.minLength(1), v.maxLength(200)), password: passwordField });
