import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import { runBatch } from "../../db/batch.js";
import { newId } from "../../db/ids.js";
import type { TenantDb } from "../../db/tenant/index.js";
import { apiTokens, members, type ApiTokenScope, type MemberRow } from "../../db/tenant/schema.js";
import type { ServiceContext } from "../../http/env.js";
import { invalidField, notFound, ProblemError } from "../../http/problem.js";
import { sha256Hex } from "../../platform/crypto.js";
import { auditInsert } from "../audit/service.js";
import { makeApiToken } from "./tokens.js";

const DAY = 86_400_000;
/** A token lives 90 days unless its creator asks otherwise, and never more than a year: a forgotten one dies on its own. */
export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 366;
/** lastUsedAt is a hint for people deciding what to revoke, not an access log: minute precision is plenty. */
const LAST_USED_EVERY_MS = 60_000;

export const apiTokenView = (row: typeof apiTokens.$inferSelect) => ({
  id: row.id,
  name: row.name,
  memberId: row.memberId,
  scope: row.scope,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  revokedAt: row.revokedAt,
  lastUsedAt: row.lastUsedAt,
});

/** Only a person in a session mints tokens: a leaked token must not be able to mint its own successors. */
export async function createApiToken(ctx: ServiceContext, input: { name: string; scope?: ApiTokenScope; expiresAt?: string }) {
  if (ctx.actor.via !== "session") throw new ProblemError("api_token.session_required");
  const now = ctx.now.getTime();
  const expires = input.expiresAt ? new Date(input.expiresAt).getTime() : now + API_TOKEN_DEFAULT_DAYS * DAY;
  if (expires <= now) throw invalidField("expiresAt", "须晚于当前时间 / Must be in the future");
  if (expires > now + API_TOKEN_MAX_DAYS * DAY) throw invalidField("expiresAt", `有效期最长 ${API_TOKEN_MAX_DAYS} 天 / At most ${API_TOKEN_MAX_DAYS} days from now`);
  const token = makeApiToken(ctx.tenant.id);
  const row = {
    id: newId("tok", now),
    memberId: ctx.actor.memberId,
    name: input.name,
    tokenHash: await sha256Hex(token),
    scope: input.scope ?? "read_only",
    lastUsedAt: null,
    expiresAt: new Date(expires).toISOString(),
    revokedAt: null,
    createdAt: ctx.now.toISOString(),
  } satisfies typeof apiTokens.$inferSelect;
  await runBatch(ctx.db, [
    ctx.db.insert(apiTokens).values(row),
    auditInsert(ctx, { action: "api_token.created", entityType: "api_token", entityId: row.id, after: apiTokenView(row) }),
  ]);
  return { ...apiTokenView(row), token };
}

export async function listApiTokens(ctx: ServiceContext) {
  const rows = await ctx.db.select().from(apiTokens).orderBy(desc(apiTokens.id)).limit(500);
  return rows.map(apiTokenView);
}

export async function revokeApiToken(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  if (!row) throw notFound("api_token.not_found");
  if (row.revokedAt) return apiTokenView(row);
  const after = { ...row, revokedAt: ctx.now.toISOString() };
  await runBatch(ctx.db, [
    ctx.db.update(apiTokens).set({ revokedAt: after.revokedAt }).where(eq(apiTokens.id, id)),
    auditInsert(ctx, { action: "api_token.revoked", entityType: "api_token", entityId: id, before: apiTokenView(row), after: apiTokenView(after) }),
  ]);
  return apiTokenView(after);
}

/**
 * The live (unrevoked, unexpired) token and its active member, in the request's one round trip.
 * Tokens made before lifetimes existed (no expiresAt) count as expiring a year after creation.
 * lastUsedAt rides in the same batch, and only when this isolate has not written it for that token
 * within the minute (the SQL condition keeps it to once a minute across isolates too): most reads
 * send the plain SELECT, and no request waits for a write of its own.
 */
export class ApiTokenLookup {
  private written = new Map<string, number>();

  async find(db: TenantDb, token: string, now: Date): Promise<{ member: MemberRow; scope: ApiTokenScope } | null> {
    const hash = await sha256Hex(token);
    const stamp = now.toISOString();
    const live = and(
      eq(apiTokens.tokenHash, hash),
      isNull(apiTokens.revokedAt),
      or(gt(apiTokens.expiresAt, stamp), and(isNull(apiTokens.expiresAt), gt(apiTokens.createdAt, new Date(now.getTime() - API_TOKEN_MAX_DAYS * DAY).toISOString()))),
    );
    const select = db.select({ member: members, scope: apiTokens.scope }).from(apiTokens).innerJoin(members, eq(members.id, apiTokens.memberId)).where(and(live, eq(members.status, "active"))).limit(1);
    const last = this.written.get(hash);
    if (last !== undefined && now.getTime() - last < LAST_USED_EVERY_MS && now.getTime() >= last) return (await select)[0] ?? null;

    const stale = new Date(now.getTime() - LAST_USED_EVERY_MS).toISOString();
    const touch = db.update(apiTokens).set({ lastUsedAt: stamp }).where(and(live, or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
    const [, rows] = await db.batch([touch, select]);
    const found = rows[0] ?? null;
    if (found) this.remember(hash, now.getTime());
    return found;
  }

  private remember(hash: string, at: number) {
    // A bounded memory: an isolate seeing more distinct tokens than this simply writes a little more often.
    if (this.written.size >= 5_000) this.written.clear();
    this.written.set(hash, at);
  }
}
