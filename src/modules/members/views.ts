import * as v from "valibot";
import { memberStatuses, roles, type MemberRow } from "../../db/tenant/schema.js";
import { timestampOut } from "../../http/fields.js";

export const memberOut = v.object({
  id: v.string(),
  email: v.nullable(v.string()),
  name: v.string(),
  nameInitials: v.nullable(v.string()),
  role: v.picklist(roles),
  status: v.picklist(memberStatuses),
  branchId: v.nullable(v.string()),
  secondBranchId: v.nullable(v.string()),
  phone: v.nullable(v.string()),
  locale: v.nullable(v.string()),
  createdAt: timestampOut,
  updatedAt: timestampOut,
  lastLoginAt: v.nullable(timestampOut),
});
export type MemberView = v.InferOutput<typeof memberOut>;

/** The one place a member row becomes API output: the password hash never leaves. */
export function memberView(row: MemberRow): MemberView {
  const { passwordHash: _secret, sessionVersion: _version, unsubscribeVersion: _links, ...rest } = row;
  return rest;
}
