import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { runBatch, type Statement } from "../db/batch.js";
import type { TenantDb } from "../db/tenant/index.js";
import { invitations, invitationSends, members } from "../db/tenant/schema.js";
import type { TenantFacts } from "../http/env.js";
import { INVITATIONS_PER_JOB } from "../modules/members/import.js";
import { newInvitation, notifyInvitation } from "../modules/members/invitations.js";
import type { AppConfig, NotificationChannel } from "../platform/ports.js";

/** A claim older than this is taken as abandoned (the job died) and claimed again. */
const CLAIM_TIMEOUT_MS = 10 * 60_000;
/** After this many tries a send is left for the admin (the member's link can still be handed over). */
const MAX_ATTEMPTS = 5;

export interface InvitationRun {
  tenantId: string;
  claimed: number;
  sent: number;
  failed: number;
  skipped: number;
}

/**
 * Sends up to one batch of queued invitations for a tenant. Rows are claimed in one statement, so two
 * jobs running at once never take the same member; each gets a fresh link (earlier open links stop
 * working) through the first channel that reaches them; results are written in one batch.
 */
export async function sendQueuedInvitations(deps: { db: TenantDb; tenant: TenantFacts; config: AppConfig; channels: NotificationChannel[] }, now: Date): Promise<InvitationRun> {
  const { db } = deps;
  const stamp = now.toISOString();
  const stale = new Date(now.getTime() - CLAIM_TIMEOUT_MS).toISOString();
  const claimed = await db
    .update(invitationSends)
    .set({ claimedAt: stamp, attempts: sql`${invitationSends.attempts} + 1` })
    .where(
      inArray(
        invitationSends.id,
        db
          .select({ id: invitationSends.id })
          .from(invitationSends)
          .where(and(isNull(invitationSends.sentAt), sql`(${invitationSends.claimedAt} IS NULL OR ${invitationSends.claimedAt} < ${stale})`, sql`${invitationSends.attempts} < ${MAX_ATTEMPTS}`))
          .orderBy(invitationSends.id)
          .limit(INVITATIONS_PER_JOB),
      ),
    )
    .returning({ id: invitationSends.id, memberId: invitationSends.memberId, requestedBy: invitationSends.requestedBy });
  const run: InvitationRun = { tenantId: deps.tenant.id, claimed: claimed.length, sent: 0, failed: 0, skipped: 0 };
  if (claimed.length === 0) return run;

  const people = await db.select().from(members).where(inArray(members.id, claimed.map((c) => c.memberId)));
  const byId = new Map(people.map((m) => [m.id, m]));
  const statements: Statement[] = [];
  for (const send of claimed) {
    const member = byId.get(send.memberId);
    // Accepted through a handed-over link, or disabled, since the import: nothing to send.
    if (!member || member.status !== "invited") {
      statements.push(db.update(invitationSends).set({ sentAt: stamp, channel: null, lastError: "not invited any more" }).where(eq(invitationSends.id, send.id)));
      run.skipped++;
      continue;
    }
    const { insert, invitation } = await newInvitation(db, deps.config, deps.tenant.id, member.id, send.requestedBy, now);
    try {
      const channel = await notifyInvitation(deps.channels, deps.tenant, member, invitation);
      statements.push(
        db.update(invitations).set({ revokedAt: stamp }).where(and(eq(invitations.memberId, member.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
        insert,
        db.update(invitationSends).set({ sentAt: stamp, channel, lastError: channel ? null : "no channel reaches the member" }).where(eq(invitationSends.id, send.id)),
      );
      if (channel) run.sent++;
      else run.skipped++;
    } catch (error) {
      statements.push(db.update(invitationSends).set({ claimedAt: null, lastError: String(error).slice(0, 500) }).where(eq(invitationSends.id, send.id)));
      run.failed++;
    }
  }
  await runBatch(db, statements);
  return run;
}
