import type { MemberRow, Role } from "../db/tenant/schema.js";
import type { TenantDb } from "../db/tenant/index.js";
import type { Ports } from "../platform/ports.js";
import type { Lang } from "./i18n.js";
import type { NationalCalendarData } from "../calendar/work-calendar.js";

export interface Actor {
  memberId: string;
  role: Role;
  via: "session" | "api_token";
  /** The member's row when authentication already read it (API tokens), so handlers need not read it again. */
  member?: MemberRow;
}

/** What a handler knows of its tenant without asking the control database. */
export interface TenantFacts {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: string;
  dbLocator: string;
  /** Whether the admin confirmed the signup email; until then the tenant sends no email and invites nobody. */
  confirmed: boolean;
}

/**
 * What every request has, with or without a bearer. Routers that take no bearer (signup, login,
 * invitations, the public board, calendar feeds, unsubscribe) are `Hono<PublicEnv>`: they cannot
 * reach `c.var.db` or build a `serviceContext` by mistake, and reach a tenant only through
 * `publicTenant()` (src/http/public-tenant.ts).
 */
export interface PublicEnv {
  Variables: {
    requestId: string;
    lang: Lang;
    ports: Ports;
    /** Known once a public route has resolved its tenant (for the request log). */
    tenant?: TenantFacts;
    /** Set once a request's Idempotency-Key is handled, so nested mounts do not claim it twice. */
    idempotencyClaimed: boolean;
  };
}

/** An authenticated router (mounted with `authed()` in src/app.ts): the tenant, its database and the actor are there. */
export interface AppEnv {
  Variables: Omit<PublicEnv["Variables"], "tenant"> & {
    tenant: TenantFacts;
    db: TenantDb;
    actor: Actor;
  };
}

/** What a service needs to act: the tenant's database, who acts, and for the audit log the request. */
export interface ServiceContext {
  db: TenantDb;
  actor: Actor;
  tenant: TenantFacts;
  requestId: string;
  now: Date;
  /** The process's copy of China's national calendar as the request began (`workCalendar(ctx)` adds the tenant's own days). */
  nationalCalendar: NationalCalendarData;
  /** A short-lived URL for `<img src>` to one of the tenant's files, made out to this actor (modules/files/signing.ts). */
  fileUrl(fileId: string): Promise<{ url: string; expiresAt: string }>;
}
