import { and, eq, gt, isNull, or } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { apiTokens, members } from "../../db/tenant/schema.js";
import type { Actor, AppEnv, TenantFacts } from "../../http/env.js";
import { nowOf } from "../../http/context.js";
import { ProblemError, unauthenticated } from "../../http/problem.js";
import { sha256Hex } from "../../platform/crypto.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { SessionChecks } from "./guard.js";
import { parseApiToken, verifyAccessToken } from "./tokens.js";

/**
 * Resolves the bearer to a tenant and member. An access token costs no round trip of its own: the
 * check that its member is still active at the token's session version rides in the request's
 * first statement (every write statement, for a write), see guard.ts; an API token costs one,
 * since it can be revoked, and reads the member's current row.
 */
export const authenticate = (directory: TenantDirectory, checks = new SessionChecks()) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated();
    const token = match[1]!;
    const { ports } = c.var;

    let tenant: TenantFacts | null;
    let actor: Actor;
    if (token.startsWith("qd_")) {
      const parsed = parseApiToken(token);
      tenant = parsed && (await directory.activeById(parsed.tenantId));
      if (!tenant) throw unauthenticated("auth.invalid_token");
      const db = ports.tenantDatabases.open(tenant.id, tenant.dbLocator);
      const now = nowOf(c).toISOString();
      const [row] = await db
        .select({ member: members })
        .from(apiTokens)
        .innerJoin(members, eq(members.id, apiTokens.memberId))
        .where(and(eq(apiTokens.tokenHash, await sha256Hex(token)), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)), eq(members.status, "active")))
        .limit(1);
      if (!row) throw unauthenticated("auth.invalid_token");
      actor = { memberId: row.member.id, role: row.member.role, via: "api_token", member: row.member };
      c.set("db", db);
    } else {
      const claims = await verifyAccessToken(ports.config.jwtSecret, token, nowOf(c));
      tenant = claims && (await directory.activeById(claims.tid));
      if (!claims || !tenant) throw unauthenticated("auth.invalid_token");
      actor = { memberId: claims.sub, role: claims.role, via: "session" };
      const write = c.req.method !== "GET" && c.req.method !== "HEAD";
      c.set("db", checks.handleFor(ports.tenantDatabases.open(tenant.id, tenant.dbLocator), { tenantId: tenant.id, memberId: claims.sub, sessionVersion: claims.sv }, write));
    }
    c.set("tenant", tenant);
    c.set("actor", actor);
    await next();
  });

export const inactiveMember = () => new ProblemError("auth.member_inactive");
