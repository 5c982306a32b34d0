import * as v from "valibot";
import { timestampOut } from "../../http/fields.js";

export const calendarFeedOut = v.object({
  url: v.pipe(v.string(), v.description("The secret feed URL to subscribe to (`…/v1/calendar/qdc.….ics`); shown once")),
  token: v.pipe(v.string(), v.description("`qdc.<tenantId>.<secret>`; only its SHA-256 is kept, so it cannot be shown again")),
  createdAt: timestampOut,
});

export const calendarFeedStatusOut = v.object({
  enabled: v.boolean(),
  createdAt: v.nullable(timestampOut),
});

/**
 * `<token>.ics`. Any string is taken here and a malformed one answers 404 like an unknown one: a feed
 * reader cannot act on a 400, and garbage must not tell anything apart from a revoked token.
 */
export const feedParam = v.object({
  feedToken: v.pipe(v.string(), v.description("The feed token followed by `.ics`")),
});
