import * as v from "valibot";
import { memberStatuses, roles } from "../../db/tenant/schema.js";
import { emailField, idField, nameField, passwordField, timestampOut } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";
import { sessionTenantOut, tokensOut } from "../auth/schemas.js";
import { memberOut } from "./views.js";

export const inviteBody = v.strictObject({
  email: emailField,
  name: nameField,
  role: v.optional(v.picklist(roles), "member"),
  branchId: v.optional(v.nullable(idField("br"))),
  secondBranchId: v.optional(v.nullable(idField("br"))),
});
export type InviteInput = v.InferOutput<typeof inviteBody>;

export const memberPatchBody = v.strictObject({
  name: v.optional(nameField),
  role: v.optional(v.picklist(roles)),
  branchId: v.optional(v.nullable(idField("br"))),
  secondBranchId: v.optional(v.nullable(idField("br"))),
  status: v.optional(v.picklist(["active", "disabled"])),
});
export type MemberPatch = v.InferOutput<typeof memberPatchBody>;

export const memberListQuery = v.strictObject({
  ...pageQuery,
  branchId: v.optional(idField("br")),
  role: v.optional(v.picklist(roles)),
  status: v.optional(v.picklist(memberStatuses)),
  q: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
});

export const memberIdParam = v.object({ id: idField("mem") });

export const invitationOut = v.object({ url: v.string(), token: v.string(), expiresAt: timestampOut });
export const invitedOut = v.object({ member: memberOut, invitation: invitationOut });

export const acceptBody = v.strictObject({
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  password: passwordField,
  name: v.optional(nameField),
});
export const acceptedOut = v.object({ tenant: sessionTenantOut, member: memberOut, ...tokensOut.entries });
export const invitationInfoOut = v.object({ tenant: sessionTenantOut, email: v.string(), name: v.string(), expiresAt: timestampOut });
