// The Directus side of `npm run bench:peers`: its SQLite database made from the qingdan tenant's
// file, the member's read-only role, and the server started as a child of its own.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { createClient } from "@libsql/client";
import type { PeerInstall } from "./peers-install.js";
import { freePort } from "../tools/net/free-port.js";

export const ADMIN = { email: "admin@peers.example.cn", password: "Peers-Admin-2026" };
export const TOKEN = "peers-static-token-0123456789abcdef";
/** The member's list, as close to qingdan's answer as Directus gives it: the checklist's title and kind come through the relation. */
export const ITEMS_PATH = "/items/tasks?limit=50&sort=due_date,id&fields=*,checklist_id.title,checklist_id.kind";

export function directusEnv(dbFile: string): Record<string, string> {
  return {
    DB_CLIENT: "sqlite3",
    DB_FILENAME: dbFile,
    KEY: "qingdan-peers-key",
    SECRET: "qingdan-peers-secret-0123456789abcdef",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    TELEMETRY: "false",
    LOG_LEVEL: "warn",
    WEBSOCKETS_ENABLED: "false",
    // Off, as qingdan has none of them: no response cache, no rate limiter, and no pressure
    // limiter (it answers 503 when the event loop lags, which a shared 2-core machine makes it do).
    CACHE_ENABLED: "false",
    RATE_LIMITER_ENABLED: "false",
    PRESSURE_LIMITER_ENABLED: "false",
  };
}


/** A fresh database: Directus's system tables and its admin. */
export function bootstrap(install: PeerInstall, env: Record<string, string>) {
  rmSync(env.DB_FILENAME!, { force: true });
  execFileSync(install.node, [install.run, "bootstrap"], { cwd: install.app, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * The tenant's tasks and checklists, copied (ATTACH, INSERT … SELECT) into tables Directus serves,
 * with the task's own columns as qingdan shows them and an `owner`; `checklist_id` a many-to-one to
 * `checklists`. Done before Directus starts, so it reads them with its schema.
 */
export async function copyTenant(dbFile: string, tenantFile: string) {
  const d = createClient({ url: `file:${dbFile}` });
  try {
    await d.execute({ sql: "ATTACH ? AS q", args: [tenantFile] });
    await d.batch(
      [
        "CREATE TABLE checklists (id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL)",
        "INSERT INTO checklists SELECT id, title, kind FROM q.checklists",
        `CREATE TABLE tasks (id TEXT PRIMARY KEY, checklist_id TEXT NOT NULL REFERENCES checklists (id), item_id TEXT NOT NULL, module TEXT NOT NULL, title TEXT NOT NULL,
          period_start TEXT NOT NULL, nominal_date TEXT NOT NULL, due_date TEXT NOT NULL, calendar_provisional BOOLEAN NOT NULL, state TEXT NOT NULL,
          done_count INTEGER NOT NULL, min_count INTEGER NOT NULL, evidence_required BOOLEAN NOT NULL, review_required BOOLEAN NOT NULL,
          submitted_at TEXT, completed_at TEXT, completed_late BOOLEAN NOT NULL, return_count INTEGER NOT NULL, points INTEGER,
          backfill_reason TEXT, backfill_by TEXT, backfill_at TEXT, owner CHAR(36))`,
        `INSERT INTO tasks SELECT id, checklist_id, item_id, module, title, period_start, nominal_date, due_date, calendar_provisional, state,
          done_count, min_count, evidence_required, review_required, submitted_at, completed_at, completed_late, return_count, points,
          backfill_reason, backfill_by, backfill_at, NULL FROM q.tasks`,
        // The index a Directus admin would add for this list (qingdan's own: task_assignees (member_id, task_id), tasks (due_date)).
        "CREATE INDEX tasks_owner_due ON tasks (owner, due_date, id)",
        "INSERT INTO directus_collections (collection) VALUES ('tasks'), ('checklists')",
        "INSERT INTO directus_relations (many_collection, many_field, one_collection) VALUES ('tasks', 'checklist_id', 'checklists')",
      ],
      "write",
    );
    await d.execute("DETACH q");
  } finally {
    d.close();
  }
}

/**
 * The tenant's members as Directus users of one role, "member", and each task owned by its member
 * assignee; the measured member owns exactly the tasks qingdan shows them (`visible`: their own and
 * their branches'), since Directus's rule is one owner column. The measured member gets the static token.
 */
export async function loadMembers(dbFile: string, tenantFile: string, role: string, member: string, visible: string[]) {
  const d = createClient({ url: `file:${dbFile}` });
  try {
    await d.execute({ sql: "ATTACH ? AS q", args: [tenantFile] });
    const ids = (await d.execute("SELECT id FROM q.members ORDER BY id")).rows.map((r) => String(r.id));
    await d.execute("CREATE TEMP TABLE user_of (member_id TEXT PRIMARY KEY, user_id TEXT NOT NULL)");
    for (let i = 0; i < ids.length; i += 400) {
      const chunk = ids.slice(i, i + 400);
      await d.execute({ sql: `INSERT INTO user_of VALUES ${chunk.map(() => "(?, ?)").join(",")}`, args: chunk.flatMap((id) => [id, randomUUID()]) });
    }
    const user = (await d.execute({ sql: "SELECT user_id FROM user_of WHERE member_id = ?", args: [member] })).rows[0]?.user_id as string | undefined;
    if (!user) throw new Error(`member ${member} is not in the tenant's file`);
    await d.batch(
      [
        { sql: "INSERT INTO directus_users (id, first_name, email, role, status) SELECT u.user_id, m.name, m.email, ?, 'active' FROM q.members m JOIN user_of u ON u.member_id = m.id", args: [role] },
        { sql: "UPDATE directus_users SET token = ? WHERE id = ?", args: [TOKEN, user] },
        "UPDATE tasks SET owner = (SELECT u.user_id FROM q.task_assignees ta JOIN user_of u ON u.member_id = ta.member_id WHERE ta.task_id = tasks.id ORDER BY ta.member_id LIMIT 1)",
      ],
      "write",
    );
    for (let i = 0; i < visible.length; i += 500) {
      const chunk = visible.slice(i, i + 500);
      await d.execute({ sql: `UPDATE tasks SET owner = ? WHERE id IN (${chunk.map(() => "?").join(",")})`, args: [user, ...chunk] });
    }
    await d.execute({ sql: "UPDATE tasks SET owner = NULL WHERE owner = ? AND id NOT IN (SELECT value FROM json_each(?))", args: [user, JSON.stringify(visible)] });
    await d.execute("DETACH q");
    return { users: ids.length };
  } finally {
    d.close();
  }
}

export interface DirectusServer {
  url: string;
  pid: number;
  /** Spawn → the first 200 of `firstAnswer` (ms). */
  coldStartMs: number;
  close(): Promise<void>;
}

/** `node <api>/dist/cli/run.js start` on a free port; resolves once `firstAnswer` answers 200. */
export async function startDirectus(install: PeerInstall, env: Record<string, string>, firstAnswer: { path: string; headers?: Record<string, string> }): Promise<DirectusServer> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(install.node, [install.run, "start"], { cwd: install.app, env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: `http://127.0.0.1:${port}` }, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  const close = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM"))));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Directus exited (${child.exitCode}) before answering`);
      const res = await fetch(`${url}${firstAnswer.path}`, { headers: firstAnswer.headers }).catch(() => undefined);
      if (res?.ok) {
        await res.arrayBuffer();
        break;
      }
      if (res && res.status !== 503) throw new Error(`Directus answered ${firstAnswer.path} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
      if (performance.now() - started > 120_000) throw new Error(`Directus did not answer ${firstAnswer.path} within 120 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url, pid: child.pid!, coldStartMs: performance.now() - started, close };
}

async function json(res: Response, what: string) {
  const body = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${body.slice(0, 300)}`);
  return body ? JSON.parse(body) : null;
}

/** Through Directus's API as its admin: a policy reading only the user's own tasks (and the checklist's title and kind), in a role. */
export async function memberRole(url: string): Promise<string> {
  const admin = (await json(await fetch(`${url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ADMIN) }), "directus login")).data.access_token as string;
  const as = (method: string, path: string, body: unknown) => fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => json(r, `${method} ${path}`));
  const policy = (await as("POST", "/policies", { name: "own tasks", app_access: false, admin_access: false })).data.id as string;
  await as("POST", "/permissions", { policy, collection: "tasks", action: "read", permissions: { owner: { _eq: "$CURRENT_USER" } }, fields: ["*"] });
  await as("POST", "/permissions", { policy, collection: "checklists", action: "read", permissions: {}, fields: ["id", "title", "kind"] });
  return (await as("POST", "/roles", { name: "member", policies: { create: [{ policy }] } })).data.id as string;
}

export { json };
