import { createMiddleware } from "hono/factory";
import type { Actor, AppEnv, TenantFacts } from "../../http/env.js";
import { nowOf } from "../../http/context.js";
import { ProblemError, unauthenticated } from "../../http/problem.js";
import type { TenantDirectory } from "../tenants/directory.js";
import { ApiTokenLookup } from "./api-tokens.js";
import { SessionChecks } from "./guard.js";
import { parseApiToken, VerifiedAccessTokens } from "./tokens.js";

/**
 * Resolves the bearer to a tenant and member. An access token costs no round trip of its own: the
 * check that its member is still active at the token's session version rides in the request's
 * first statement (every write statement, for a write), see guard.ts; an API token costs one,
 * since it can be revoked, and reads the member's current row.
 */
export const authenticate = (directory: TenantDirectory, checks = new SessionChecks(), apiTokenLookup = new ApiTokenLookup(), verified = new VerifiedAccessTokens()) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated();
    const token = match[1]!;
    const ports = c.get("ports");

    let tenant: TenantFacts | null;
    let actor: Actor;
    if (token.startsWith("qd_")) {
      const parsed = parseApiToken(token);
      tenant = parsed && (await directory.activeById(parsed.tenantId));
      if (!tenant) throw unauthenticated("auth.invalid_token");
      const db = ports.tenantDatabases.open(tenant.id, tenant.dbLocator);
      const found = await apiTokenLookup.find(db, token, nowOf(c));
      if (!found) throw unauthenticated("auth.invalid_token");
      // A read-only token reads: every method that may change something is refused before any handler runs.
      if (found.scope === "read_only" && !isRead(c.req.method)) throw new ProblemError("api_token.read_only");
      actor = { memberId: found.member.id, role: found.member.role, via: "api_token", member: found.member };
      c.set("db", db);
    } else {
      const claims = await verified.verify(ports.config.jwtSecret, token, nowOf(c));
      if (claims === "outdated") throw unauthenticated("auth.token_outdated");
      tenant = claims && (await directory.activeById(claims.tid));
      if (!claims || !tenant) throw unauthenticated("auth.invalid_token");
      actor = { memberId: claims.sub, role: claims.role, via: "session" };
      const write = !isRead(c.req.method);
      c.set("db", checks.handleFor(ports.tenantDatabases.open(tenant.id, tenant.dbLocator), { tenantId: tenant.id, memberId: claims.sub, sessionVersion: claims.sv }, write));
    }
    c.set("tenant", tenant);
    c.set("actor", actor);
    await next();
  });

const isRead = (method: string) => method === "GET" || method === "HEAD";

export const inactiveMember = () => new ProblemError("auth.member_inactive");
