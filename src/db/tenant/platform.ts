import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { idempotencyColumns, timestamp } from "../columns.js";

export const roles = ["admin", "secretary", "member"] as const;
export type Role = (typeof roles)[number];
export const memberStatuses = ["invited", "active", "disabled"] as const;
export type MemberStatus = (typeof memberStatuses)[number];
/** 党委, 总支, 支部, 党小组, 临时党支部 (on a project). */
export const branchKinds = ["party_committee", "general_branch", "branch", "party_group", "temporary_branch"] as const;
export type BranchKind = (typeof branchKinds)[number];

export const branches = sqliteTable(
  "branches",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: branchKinds }).notNull(),
    parentId: text("parent_id"),
    /** Materialised path `/br_root/br_child/…/br_self/`: a subtree is one indexed prefix match, at any depth. */
    path: text("path").notNull(),
    depth: integer("depth").notNull(),
    secretaryId: text("secretary_id"),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("branches_parent").on(t.parentId), uniqueIndex("branches_path").on(t.path), index("branches_secretary").on(t.secretaryId)],
);

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    /** Null for a member who signs in with a phone number only (not everyone in a bureau has email). */
    email: text("email"),
    name: text("name").notNull(),
    /**
     * Pinyin initials of the name ("mx" for 马西; alternatives space-separated for 多音字), sent by the
     * console, which carries the pinyin dictionary: the Worker bundle cannot afford one (docs/adr, "pinyin initials").
     */
    nameInitials: text("name_initials"),
    role: text("role", { enum: roles }).notNull(),
    status: text("status", { enum: memberStatuses }).notNull(),
    branchId: text("branch_id"),
    /** 双重管理: the front-line branch a member also reports to. */
    secondBranchId: text("second_branch_id"),
    passwordHash: text("password_hash"),
    /** A mainland mobile number (11 digits): a login identifier, unique in the tenant. */
    phone: text("phone"),
    locale: text("locale"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    lastLoginAt: timestamp("last_login_at"),
    /** Raised whenever the member loses power or credentials (disabled, demoted, new password): tokens carrying an older one stop working. */
    sessionVersion: integer("session_version").notNull().default(0),
    /** Raised when the member revokes their unsubscribe links or their email changes: links signed with an older one stop working. */
    unsubscribeVersion: integer("unsubscribe_version").notNull().default(0),
  },
  (t) => [
    uniqueIndex("members_email").on(t.email),
    uniqueIndex("members_phone").on(t.phone),
    index("members_branch").on(t.branchId),
    index("members_second_branch").on(t.secondBranchId),
    index("members_name_id").on(t.name, t.id),
  ],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    familyId: text("family_id").notNull(),
    memberId: text("member_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
    revokedAt: timestamp("revoked_at"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [index("refresh_tokens_family").on(t.familyId), index("refresh_tokens_member").on(t.memberId)],
);

export const apiTokenScopes = ["read_only", "read_write"] as const;
export type ApiTokenScope = (typeof apiTokenScopes)[number];

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** read_only: GET and HEAD only; read_write: what the member's role allows. Older tokens were read_write. */
    scope: text("scope", { enum: apiTokenScopes }).notNull().default("read_write"),
    /** Written at most once a minute per token (see modules/auth/api-token-use.ts). */
    lastUsedAt: timestamp("last_used_at"),
    expiresAt: timestamp("expires_at"),
    revokedAt: timestamp("revoked_at"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [uniqueIndex("api_tokens_hash").on(t.tokenHash), index("api_tokens_member").on(t.memberId)],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    acceptedAt: timestamp("accepted_at"),
    revokedAt: timestamp("revoked_at"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [uniqueIndex("invitations_hash").on(t.tokenHash), index("invitations_member").on(t.memberId)],
);

/** Append-only: nothing in the code updates or deletes a row here. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    requestId: text("request_id"),
    at: timestamp("at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index("audit_entity").on(t.entityType, t.entityId), index("audit_at").on(t.at)],
);

export const idempotencyKeys = sqliteTable("idempotency_keys", idempotencyColumns);

export type MemberRow = typeof members.$inferSelect;
export type BranchRow = typeof branches.$inferSelect;

/** A password-reset link: one use, short-lived, stored only as a hash. */
export const passwordResets = sqliteTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [uniqueIndex("password_resets_hash").on(t.tokenHash), index("password_resets_member").on(t.memberId)],
);

/**
 * Invitations waiting to go out (bulk import hands them to the job queue instead of sending in the
 * request). A job claims a handful, mints their links, sends them through a notification channel and
 * marks them; a claim older than a few minutes is taken again, so a crashed job's rows are not lost.
 */
export const invitationSends = sqliteTable(
  "invitation_sends",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull(),
    requestedBy: text("requested_by").notNull(),
    requestedAt: timestamp("requested_at").notNull(),
    claimedAt: timestamp("claimed_at"),
    sentAt: timestamp("sent_at"),
    /** Which channel delivered it (email today; SMS or WeChat when a provider is configured). */
    channel: text("channel"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("invitation_sends_pending").on(t.sentAt, t.claimedAt), index("invitation_sends_member").on(t.memberId)],
);
