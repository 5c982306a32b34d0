// The limit baseline (issue 19): the least a server can do to answer GET /v1/me and GET /v1/tasks
// the way the product does. node:http, the embedded `libsql` package with statements prepared once
// and rows as arrays, the access token checked with node:crypto's HMAC (signature, expiry, claims,
// and once a minute the member's standing at the token's session version, as ADR 0004 lets reads
// do), and the product's own SQL (captured from drizzle by the bench) on the same tenant file. The
// bench asserts that its answers equal the product's. It reports its CPU time as the server child
// does, so both are divided by their requests in the same run.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "libsql";
import { cpuMicros } from "./child-ipc.js";

/** A captured parameter that depends on the request: the token's member, or the tenant's today. */
export type LimitParam = string | number | null | { $: "member" | "today" };

export interface LimitRoute {
  /** Path and query exactly as the bench requests it. */
  url: string;
  shape: "me" | "tasks";
  sql: string;
  params: LimitParam[];
  /** The page size of a list (its SQL asks for one row more). */
  limit?: number;
}

export interface LimitConfig {
  dataDir: string;
  jwtSecret: string;
  /** Its facts are read from the control database once, as the product's directory caches them. */
  tenantId: string;
  routes: LimitRoute[];
}

export type LimitMessage = { type: "ready"; port: number } | { type: "cpu"; micros: number } | { type: "error"; message: string };

/** Column order of the product's selects (drizzle lists the columns in the select's order). */
const MEMBER_KEYS = ["id", "email", "name", "nameInitials", "role", "status", "branchId", "secondBranchId", "passwordHash", "phone", "locale", "createdAt", "updatedAt", "lastLoginAt", "sessionVersion"];
const MEMBER_HIDDEN = new Set(["passwordHash", "sessionVersion"]);
const TASK_KEYS = ["id", "checklistId", "checklistTitle", "kind", "itemId", "module", "title", "periodStart", "nominalDate", "dueDate", "calendarProvisional", "state", "status", "urgency", "doneCount", "minCount", "evidenceRequired", "reviewRequired", "submittedAt", "completedAt", "completedLate", "returnCount", "points", "backfillReason", "backfillBy", "backfillAt", "assignees"];
const TASK_BOOLEANS = new Set(["calendarProvisional", "evidenceRequired", "reviewRequired", "completedLate"]);
const GUARD_SQL = "SELECT 1 FROM members WHERE id = ? AND status = 'active' AND session_version = ?";
const TRUST_MS = 60_000;

const b64url = (buf: Buffer) => buf.toString("base64url");

interface Claims { sub: string; tid: string; role: string; sv: number; exp: number; nbf?: number; typ: string }

function verify(secret: Buffer, token: string, nowMs: number): Claims | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString()) as { alg?: string };
    if (header.alg !== "HS256") return null;
    const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2]!, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const c = JSON.parse(Buffer.from(parts[1]!, "base64url").toString()) as Partial<Claims>;
    if (typeof c.exp !== "number" || c.exp * 1000 <= nowMs) return null;
    if (c.nbf !== undefined && (typeof c.nbf !== "number" || c.nbf * 1000 > nowMs + 60_000)) return null;
    if (!Number.isSafeInteger(c.sv) || c.sv! < 0 || c.typ !== "access" || typeof c.sub !== "string" || typeof c.tid !== "string") return null;
    if (c.role !== "admin" && c.role !== "secretary" && c.role !== "member") return null;
    return c as Claims;
  } catch {
    return null;
  }
}

function start(config: LimitConfig): Promise<number> {
  const secret = Buffer.from(config.jwtSecret);
  const control = new Database(join(config.dataDir, "control.db"), { readonly: true } as never);
  const tenant = control.prepare("SELECT id, slug, name, timezone, locale FROM tenants WHERE id = ? AND status = 'active'").get(config.tenantId) as { id: string; slug: string; name: string; timezone: string; locale: string } | undefined;
  control.close();
  if (!tenant) throw new Error(`tenant ${config.tenantId} is not active in the control database`);
  const db = new Database(join(config.dataDir, "tenants", `${tenant.id}.db`), { timeout: 5_000 } as never);
  const guard = db.prepare(GUARD_SQL).raw(true);
  const trusted = new Map<string, number>();
  const routes = new Map(config.routes.map((r) => [r.url, { ...r, stmt: db.prepare(r.sql).raw(true) }]));
  const tenantOut = { id: tenant.id, slug: tenant.slug, name: tenant.name, timezone: tenant.timezone, locale: tenant.locale };
  const dateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: tenant.timezone, year: "numeric", month: "2-digit", day: "2-digit" });

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const route = routes.get(req.url ?? "");
    if (!route || req.method !== "GET") return answer(res, 404, { code: "not_found" });
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const now = Date.now();
    const claims = match && verify(secret, match[1]!, now);
    if (!claims || claims.tid !== tenant.id) return answer(res, 401, { code: "auth.invalid_token" });
    const key = `${claims.sub}:${claims.sv}`;
    const seen = trusted.get(key);
    if (seen === undefined || now - seen >= TRUST_MS) {
      if (!guard.get(claims.sub, claims.sv)) return answer(res, 401, { code: "auth.session_ended" });
      trusted.set(key, now);
    }
    const today = dateFormat.format(new Date(now));
    const params = route.params.map((p) => (p !== null && typeof p === "object" ? (p.$ === "member" ? claims.sub : today) : p));
    // A one-row read with get(), as the product's driver does (src/platform/node/libsql-driver.ts, LIMIT_ONE).
    const rows = (route.limit === undefined && params[params.length - 1] === 1 ? [route.stmt.get(...params)].filter(Boolean) : route.stmt.all(...params)) as unknown[][];
    if (route.shape === "me") {
      const row = rows[0];
      if (!row || row[5] !== "active") return answer(res, 401, { code: "auth.member_inactive" });
      const member: Record<string, unknown> = {};
      MEMBER_KEYS.forEach((k, i) => MEMBER_HIDDEN.has(k) || (member[k] = row[i]));
      return answer(res, 200, { member, tenant: tenantOut });
    }
    const limit = route.limit!;
    const data = rows.slice(0, limit).map((row) => {
      const task: Record<string, unknown> = {};
      const backfill: Record<string, unknown> = {};
      TASK_KEYS.forEach((k, i) => {
        if (k === "state") return;
        const value = row[i];
        if (k.startsWith("backfill")) backfill[k] = value;
        else task[k] = TASK_BOOLEANS.has(k) ? value === 1 : k === "assignees" ? JSON.parse(value as string) : value;
      });
      task.backfill = backfill.backfillReason && backfill.backfillBy && backfill.backfillAt ? { reason: backfill.backfillReason, acceptedBy: backfill.backfillBy, acceptedAt: backfill.backfillAt } : null;
      return task;
    });
    const last = data[data.length - 1];
    const nextCursor = rows.length > limit && last ? b64url(Buffer.from(JSON.stringify([last.dueDate, last.id]))) : null;
    return answer(res, 200, { data, nextCursor });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

const send = (m: LimitMessage) => process.send?.(m);
process.on("message", (m: { type: string; config?: LimitConfig }) => {
  if (m.type === "start") {
    start(m.config!).then(
      (port) => send({ type: "ready", port }),
      (error) => send({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  }
  if (m.type === "cpu") send({ type: "cpu", micros: cpuMicros() });
  if (m.type === "close") {
    process.disconnect();
    process.exit(0);
  }
});
