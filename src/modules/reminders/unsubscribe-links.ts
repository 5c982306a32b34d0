import { eq, sql } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { members } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { ProblemError } from "../../http/problem.js";
import { auditInsert } from "../audit/service.js";
import type { UnsubscribeLink } from "./unsubscribe-token.js";

const invalid = () => new ProblemError("route.not_found", "退订链接无效 / This unsubscribe link is not valid");

/**
 * The member an unsubscribe link speaks for, if it still may: signed by us, younger than a year, and
 * of the member's current unsubscribe version (not revoked, not sent to an address they left).
 */
export async function unsubscribeLinkMember(db: TenantDb, link: UnsubscribeLink) {
  if (!link) throw invalid();
  if (link.state === "expired") throw new ProblemError("unsubscribe.link_expired");
  const [member] = await db.select({ id: members.id, unsubscribeVersion: members.unsubscribeVersion }).from(members).where(eq(members.id, link.memberId)).limit(1);
  if (!member) throw invalid();
  if (member.unsubscribeVersion !== link.version) throw new ProblemError("unsubscribe.link_expired");
  return member.id;
}

/** "Revoke all my unsubscribe links": every link already mailed stops working; the next digest carries a new one. */
export async function revokeUnsubscribeLinks(ctx: ServiceContext) {
  await runBatch(ctx.db, [
    ctx.db.update(members).set({ unsubscribeVersion: sql`${members.unsubscribeVersion} + 1`, updatedAt: ctx.now.toISOString() }).where(eq(members.id, ctx.actor.memberId)),
    auditInsert(ctx, { action: "notification_prefs.unsubscribe_links_revoked", entityType: "member", entityId: ctx.actor.memberId }),
  ]);
}
