import * as v from "valibot";
import { memberStatuses, roles } from "../../db/tenant/schema.js";
import { emailField, idField, nameField, nameInitialsField, passwordField, phoneField, timestampOut } from "../../http/fields.js";
import { pageQuery } from "../../http/pagination.js";
import { sessionTenantOut, tokensOut } from "../auth/schemas.js";
import { memberOut } from "./views.js";

export const needsLogin = "须填写邮箱或手机号（登录账号） / Give an email or a phone number (the login)";

export const inviteBody = v.pipe(
  v.strictObject({
    email: v.optional(v.nullable(emailField)),
    phone: v.optional(v.nullable(phoneField)),
    name: nameField,
    nameInitials: v.optional(v.nullable(nameInitialsField)),
    role: v.optional(v.picklist(roles), "member"),
    branchId: v.optional(v.nullable(idField("br"))),
    secondBranchId: v.optional(v.nullable(idField("br"))),
  }),
  v.forward(
    v.check((b) => Boolean(b.email || b.phone), needsLogin),
    ["email"],
  ),
);
export type InviteInput = v.InferOutput<typeof inviteBody>;

export const memberPatchBody = v.strictObject({
  name: v.optional(nameField),
  nameInitials: v.optional(v.nullable(nameInitialsField)),
  email: v.optional(v.nullable(emailField)),
  phone: v.optional(v.nullable(phoneField)),
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
export const invitedOut = v.object({ member: memberOut, invitation: invitationOut, emailed: v.boolean() });

export const acceptBody = v.strictObject({
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  password: passwordField,
  name: v.optional(nameField),
});
export const acceptedOut = v.object({ tenant: sessionTenantOut, member: memberOut, ...tokensOut.entries });
export const invitationInfoOut = v.object({ tenant: sessionTenantOut, email: v.nullable(v.string()), phone: v.nullable(v.string()), name: v.string(), expiresAt: timestampOut });

export const IMPORT_MAX_ROWS = 5000;
const branchPathField = v.pipe(v.string(), v.trim(), v.maxLength(500));

/** One spreadsheet row: the branch by its name path (机关党委/第一党总支/第三党支部), as people write it. */
export const importRow = v.pipe(
  v.strictObject({
    /** The row's line in the file, so problems can say where to look (defaults to its position + 1). */
    line: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
    name: nameField,
    nameInitials: v.optional(v.nullable(nameInitialsField)),
    email: v.optional(v.nullable(emailField)),
    phone: v.optional(v.nullable(phoneField)),
    branch: v.optional(v.nullable(branchPathField)),
    role: v.optional(v.picklist(roles), "member"),
    secondBranch: v.optional(v.nullable(branchPathField)),
  }),
  v.forward(
    v.check((r) => Boolean(r.email || r.phone), needsLogin),
    ["phone"],
  ),
);
export type ImportRow = v.InferOutput<typeof importRow>;

export const importBody = v.strictObject({
  /**
   * Each row as `importRow` (name, nameInitials, email, phone, branch, role, secondBranch, line). Rows
   * are checked one by one in the service, so one answer names every bad row — wrong formats and
   * unknown branches or duplicates alike — by its line.
   */
  rows: v.pipe(v.array(v.looseObject({})), v.minLength(1), v.maxLength(IMPORT_MAX_ROWS)),
  /** Check everything against the tenant's data and answer what would happen, writing nothing. */
  dryRun: v.optional(v.boolean(), false),
  /** Queue invitations for the new members who can be reached (email today). */
  invite: v.optional(v.boolean(), true),
});

export const importOut = v.object({
  dryRun: v.boolean(),
  created: v.number(),
  updated: v.number(),
  unchanged: v.number(),
  invitationsQueued: v.number(),
  rows: v.array(
    v.object({
      line: v.number(),
      status: v.picklist(["created", "updated", "unchanged"]),
      /** Null for a member a dry run would create. */
      memberId: v.nullable(v.string()),
      /** How the new member gets their invitation: queued to a channel, or a link the admin hands over. */
      invitation: v.nullable(v.picklist(["queued", "link"])),
    }),
  ),
});

export const handoverBody = v.strictObject({
  /** The active member who takes over. */
  to: idField("mem"),
  /** Disable the member in the same step (the usual reason for a hand-over). */
  disable: v.optional(v.boolean(), true),
});

const named = v.object({ id: v.string(), name: v.string() });
export const openWorkOut = v.object({
  tasks: v.array(v.object({ id: v.string(), title: v.string(), module: v.string(), dueDate: v.string(), state: v.string() })),
  problems: v.array(v.object({ id: v.string(), title: v.string(), status: v.string(), as: v.picklist(["handler", "supervisor", "follower"]) })),
  branchesLed: v.array(named),
  projectsLed: v.array(named),
  checklistItems: v.array(v.object({ id: v.string(), title: v.string(), checklistId: v.string() })),
  total: v.number(),
});
export const handoverOut = v.object({ member: memberOut, successorId: v.string(), handedOver: openWorkOut });
