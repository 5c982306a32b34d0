import type { Role } from "../../db/tenant/schema.js";
import type { TenantDb } from "../../db/tenant/index.js";
import type { TenantFacts } from "../../http/env.js";
import type { Lang } from "../../http/i18n.js";

/** One all-day entry of a member's calendar feed, whatever produced it (a task, a problem clock, a pledge). */
export interface FeedEvent {
  /** Stable across fetches (`<id>@qingdan`), so a calendar updates the entry instead of adding another. */
  uid: string;
  /** The all-day date, `YYYY-MM-DD` in the tenant's time zone. */
  date: string;
  summary: string;
  description?: string;
  /** Where the thing lives in the API. */
  url?: string;
  /**
   * Remind the day before at 09:00 (a `-PT15H` display alarm relative to the all-day start). The feed
   * drops it when that moment has passed, so a reader does not pop up a backlog of missed alarms.
   */
  alarm?: boolean;
  /** When the underlying thing last changed (ISO 8601), written as LAST-MODIFIED. */
  updatedAt?: string;
}

/** The member a feed is for: read in the feed's one batch, together with their tasks. */
export interface FeedMember {
  id: string;
  name: string;
  role: Role;
  branchId: string | null;
  secondBranchId: string | null;
  /** The member's language, else the tenant's: the feed's words are in it. */
  lang: Lang;
}

/** What a feed source may use besides the member. */
export interface FeedContext {
  db: TenantDb;
  tenant: TenantFacts;
  now: Date;
  /** `now` as a date in the tenant's time zone. */
  today: string;
  /** The API's public base URL, for links in descriptions. */
  publicUrl: string;
}

/**
 * THE EXTENSION POINT of the feed: more all-day entries for a member (road-chief problem clocks,
 * pledge due dates, …), beside their tasks. A source is handed to `calendarFeedRoutes(directory, sources)`
 * where src/app.ts mounts the feed, so this module never imports the features that feed it.
 *
 * Sources run after the feed's one batch (member and tasks), all at once: each that reads the database
 * adds one round trip in parallel. A source throwing fails the whole feed (a 500), so answer `[]` for
 * "nothing to show". Keep uids stable and prefixed by the entity id (`iss_…@qingdan`, `plg_…@qingdan`).
 */
export type ExtraFeedEvents = (member: FeedMember, ctx: FeedContext) => Promise<FeedEvent[]>;
