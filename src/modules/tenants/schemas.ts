import * as v from "valibot";
import { tenantStatuses } from "../../db/control/schema.js";
import { emailField, localeField, nameField, passwordField, timestampOut, timezoneField } from "../../http/fields.js";
import { memberOut } from "../members/views.js";

const RESERVED_SLUGS = new Set(["admin", "api", "app", "www", "docs", "status", "public", "static", "v1", "qingdan"]);

export const slugField = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, "3–40 个小写字母、数字或连字符，以字母开头 / 3–40 lower-case letters, digits or hyphens, starting with a letter"),
  v.check((s) => !RESERVED_SLUGS.has(s) && !s.includes("--"), "该标识不可用 / This slug is reserved"),
);

export const signupBody = v.strictObject({
  slug: slugField,
  name: v.pipe(v.string(), v.trim(), v.minLength(2), v.maxLength(100)),
  timezone: v.optional(timezoneField, "Asia/Shanghai"),
  locale: v.optional(localeField, "zh-CN"),
  admin: v.strictObject({ email: emailField, name: nameField, password: passwordField }),
});
export type SignupInput = v.InferOutput<typeof signupBody>;

export const tenantOut = v.object({
  id: v.string(),
  slug: v.string(),
  name: v.string(),
  status: v.picklist(tenantStatuses),
  timezone: v.string(),
  locale: v.string(),
  createdAt: timestampOut,
});

export const sessionOut = v.object({
  tenant: tenantOut,
  member: memberOut,
  accessToken: v.string(),
  accessTokenExpiresAt: timestampOut,
  refreshToken: v.string(),
  refreshTokenExpiresAt: timestampOut,
  tokenType: v.literal("Bearer"),
});

export const tenantStatusOut = v.object({ slug: v.string(), status: v.picklist(tenantStatuses), schemaVersion: v.number() });

export const provisioningOut = v.object({ tenant: tenantOut, statusUrl: v.string() });
