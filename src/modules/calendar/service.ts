import { eq } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { calendarFeeds } from "../../db/tenant/calendar.js";
import { members } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { sha256Hex } from "../../platform/crypto.js";
import { auditInsert } from "../audit/service.js";
import { inactiveMember } from "../auth/middleware.js";
import { makeCalendarToken } from "../auth/tokens.js";

/** Where a feed token is read: the only place the token ever appears besides the answer that made it. */
export const calendarFeedUrl = (publicUrl: string, token: string) => `${publicUrl}/v1/calendar/${token}.ics`;

/** The caller (who must still be active) and their feed, if any, in one round trip. */
async function readOwnFeed(ctx: ServiceContext) {
  const [member, feed] = await ctx.db.batch([
    ctx.db.select({ status: members.status }).from(members).where(eq(members.id, ctx.actor.memberId)).limit(1),
    ctx.db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.memberId, ctx.actor.memberId)).limit(1),
  ]);
  if (member[0]?.status !== "active") throw inactiveMember();
  return feed[0] ?? null;
}

/** Whether the caller has a feed; the token itself is never shown again (only its hash is kept). */
export async function calendarFeedStatus(ctx: ServiceContext) {
  const feed = await readOwnFeed(ctx);
  return { enabled: feed !== null, createdAt: feed?.createdAt ?? null };
}

/** Creates the caller's feed, or rotates it: the new token replaces the old one's hash, so the old URL answers 404 at once. */
export async function issueCalendarFeed(ctx: ServiceContext, publicUrl: string) {
  const before = await readOwnFeed(ctx);
  const token = makeCalendarToken(ctx.tenant.id);
  const row = { memberId: ctx.actor.memberId, tokenHash: await sha256Hex(token), createdAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [
    ctx.db.insert(calendarFeeds).values(row).onConflictDoUpdate({ target: calendarFeeds.memberId, set: { tokenHash: row.tokenHash, createdAt: row.createdAt } }),
    auditInsert(ctx, { action: before ? "calendar_feed.rotated" : "calendar_feed.created", entityType: "calendar_feed", entityId: row.memberId, before, after: { createdAt: row.createdAt } }),
  ]);
  return { url: calendarFeedUrl(publicUrl, token), token, createdAt: row.createdAt };
}

/** Turns the caller's feed off; turning off a feed that is not there changes nothing. */
export async function revokeCalendarFeed(ctx: ServiceContext) {
  const before = await readOwnFeed(ctx);
  if (!before) return;
  await runBatch(ctx.db, [
    ctx.db.delete(calendarFeeds).where(eq(calendarFeeds.memberId, ctx.actor.memberId)),
    auditInsert(ctx, { action: "calendar_feed.revoked", entityType: "calendar_feed", entityId: ctx.actor.memberId, before }),
  ]);
}
