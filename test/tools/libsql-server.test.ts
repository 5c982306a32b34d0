// The local libSQL server against its real peers: @libsql/client/web, drizzle's migrator and drizzle-kit.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { LibsqlError, createClient, type Client } from "@libsql/client/web";
import { eq } from "drizzle-orm";
import { migrate } from "drizzle-orm/libsql/migrator";
import { drizzle } from "drizzle-orm/libsql/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSql } from "../../tools/libsql-server/hrana-values.js";
import { startLibsqlServer, type LibsqlServer } from "../../tools/libsql-server/server.js";
import { items, lists } from "./fixtures/schema.js";

const TOKEN = "test-token";
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MIGRATIONS = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));

let server: LibsqlServer;
let dataDir: string;
const clients: Client[] = [];

function connect(name: string, options: { authToken?: string; intMode?: "number" | "bigint" } = {}): Client {
  const client = createClient({ url: server.databaseUrl(name), authToken: TOKEN, ...options });
  clients.push(client);
  return client;
}

/** The error a promise rejects with, so its fields can be checked. */
async function rejection(promise: Promise<unknown>): Promise<LibsqlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LibsqlError);
  return error as LibsqlError;
}

async function pipeline(name: string, body: unknown) {
  const res = await fetch(`${server.databaseUrl(name)}v2/pipeline`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "libsql-server-test-"));
  server = await startLibsqlServer({ dataDir, authToken: TOKEN });
  for (const name of ["a", "b", "tx", "drizzle", "kit", "count"]) server.createDatabase(name);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("execute", () => {
  it("round-trips every value type with positional arguments", async () => {
    const db = connect("a", { intMode: "bigint" });
    await db.execute("CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, f REAL, t TEXT, b BLOB, n ANY)");
    const blob = new Uint8Array([0, 1, 127, 128, 255]);
    const inserted = await db.execute({
      sql: "INSERT INTO vals (i, f, t, b, n) VALUES (?, ?, ?, ?, ?)",
      args: [9007199254740993n, 1.5, "héllo ✓", blob, null],
    });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);

    const rs = await db.execute("SELECT i, f, t, b, n FROM vals");
    expect(rs.columns).toEqual(["i", "f", "t", "b", "n"]);
    expect(rs.columnTypes).toEqual(["INTEGER", "REAL", "TEXT", "BLOB", "ANY"]);
    const row = rs.rows[0]!;
    expect(row.i).toBe(9007199254740993n);
    expect(row.f).toBe(1.5);
    expect(row.t).toBe("héllo ✓");
    expect(new Uint8Array(row.b as ArrayBuffer)).toEqual(blob);
    expect(row.n).toBeNull();
    expect(rs.rowsAffected).toBe(0);
    expect(rs.lastInsertRowid).toBeUndefined();
  });

  it("binds named arguments with or without their prefix", async () => {
    const rs = await connect("a").execute({
      sql: "SELECT :a AS a, @b AS b, $c AS c, :a + 1 AS again",
      args: { a: 41, "@b": "x", c: null },
    });
    expect(rs.rows[0]).toMatchObject({ a: 41, b: "x", c: null, again: 42 });
  });

  it("sends JS numbers as floats and bigints as integers, like sqld", async () => {
    const rs = await connect("a").execute({ sql: "SELECT typeof(?), typeof(?)", args: [1, 1n] });
    expect(rs.rows[0]![0]).toBe("real");
    expect(rs.rows[0]![1]).toBe("integer");
    const big = await connect("a", { intMode: "bigint" }).execute({ sql: "SELECT ?", args: [-9223372036854775808n] });
    expect(big.rows[0]![0]).toBe(-9223372036854775808n);
  });

  it("refuses a response over 10 MB, as sqld does, and reports the largest request received", async () => {
    const db = connect("a");
    await db.execute("CREATE TABLE big (v TEXT)");
    server.resetCounts();
    // 12 rows of 1 MB: written in one statement of ~1 KB, read back as ~12 MB.
    await db.execute({ sql: "INSERT INTO big SELECT printf('%.*c', 1000000, 'x') FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12) SELECT i FROM n)", args: [] });
    const tooBig = await rejection(db.execute("SELECT v FROM big"));
    expect(tooBig.code).toBe("RESPONSE_TOO_LARGE");
    expect((await db.execute("SELECT v FROM big LIMIT 9")).rows).toHaveLength(9);
    const bytes = await fetch(`${server.url}/admin/stats/bytes`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await bytes.json()) as Record<string, number>).a).toBeGreaterThan(100);
  });

  it("reports SQL errors as LibsqlError with SQLite's code", async () => {
    const db = connect("a");
    const missing = await rejection(db.execute("SELECT * FROM no_such_table"));
    expect(missing.code).toBe("SQLITE_ERROR");
    expect(missing.message).toContain("no such table");

    await db.execute("CREATE TABLE uniq (k TEXT UNIQUE)");
    await db.execute({ sql: "INSERT INTO uniq VALUES (?)", args: ["k"] });
    const duplicate = await rejection(db.execute({ sql: "INSERT INTO uniq VALUES (?)", args: ["k"] }));
    expect(duplicate.code).toBe("SQLITE_CONSTRAINT_UNIQUE");
  });

  it("rejects missing and unknown arguments and multiple statements instead of guessing", async () => {
    const db = connect("a");
    expect((await rejection(db.execute("SELECT ?, ?", [1]))).code).toBe("ARGS_INVALID");
    expect((await rejection(db.execute({ sql: "SELECT :a", args: { b: 1 } }))).code).toBe("ARGS_INVALID");
    expect((await rejection(db.execute("SELECT 1; SELECT 2"))).code).toBe("SQL_MANY_STATEMENTS");
    const quoted = await db.execute({ sql: "SELECT '?;:x' AS s, ? AS p -- ? :y", args: [2] });
    expect(quoted.rows[0]).toMatchObject({ s: "?;:x", p: 2 });
  });

  it("runs executeMultiple as a Hrana sequence", async () => {
    const db = connect("a");
    await db.executeMultiple("CREATE TABLE seq (x); INSERT INTO seq VALUES (1); INSERT INTO seq VALUES (2);");
    expect((await db.execute("SELECT count(*) AS n FROM seq")).rows[0]!.n).toBe(2);
  });
});

describe("scanSql", () => {
  it("numbers parameters like SQLite and skips strings, identifiers and comments", () => {
    const shape = scanSql(`SELECT 'it''s ?', "a?b", [c:d], \`e@f\`, :x, ?, ?5, :x, @y -- ? :z
      /* ?; $w */ FROM t WHERE $v = ?`);
    expect(shape.params).toEqual([":x", null, undefined, undefined, "?5", "@y", "$v", null]);
    expect(shape.statements).toBe(1);
  });

  it("counts statements, treating a trigger body as part of its statement", () => {
    expect(scanSql(" -- nothing\n ; ").statements).toBe(0);
    expect(scanSql("SELECT 1; SELECT 2;").statements).toBe(2);
    expect(scanSql("CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 1; DELETE FROM u; END").statements).toBe(1);
  });

  it("creates a trigger through execute", async () => {
    const db = connect("b");
    await db.batch(["CREATE TABLE audited (x)", "CREATE TABLE audit_log (x)"], "write");
    await db.execute("CREATE TRIGGER audit AFTER INSERT ON audited BEGIN INSERT INTO audit_log VALUES (new.x); END");
    await db.execute("INSERT INTO audited VALUES (5)");
    expect((await db.execute("SELECT x FROM audit_log")).rows[0]!.x).toBe(5);
  });
});

describe("batches and transactions", () => {
  it("runs a write batch atomically", async () => {
    const db = connect("tx");
    await db.execute("CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER NOT NULL)");
    const ok = await db.batch(
      [
        { sql: "INSERT INTO accounts VALUES (?, ?)", args: ["ann", 10] },
        { sql: "INSERT INTO accounts VALUES (?, ?)", args: ["bob", 5] },
        "SELECT count(*) AS n FROM accounts",
      ],
      "write",
    );
    expect(ok.map((r) => r.rowsAffected)).toEqual([1, 1, 0]);
    expect(ok[2]!.rows[0]!.n).toBe(2);

    const failed = await rejection(
      db.batch(
        [
          { sql: "UPDATE accounts SET balance = balance - 3 WHERE name = ?", args: ["ann"] },
          { sql: "INSERT INTO accounts VALUES (?, ?)", args: ["bob", 1] },
        ],
        "write",
      ),
    );
    expect(failed.code).toBe("SQLITE_CONSTRAINT_PRIMARYKEY");
    const ann = await db.execute({ sql: "SELECT balance FROM accounts WHERE name = ?", args: ["ann"] });
    expect(ann.rows[0]!.balance).toBe(10);
  });

  it("commits and rolls back interactive transactions, invisible to other streams until commit", async () => {
    const db = connect("tx");
    const other = connect("tx");
    await db.execute("CREATE TABLE notes (body TEXT)");

    const tx = await db.transaction("write");
    await tx.execute({ sql: "INSERT INTO notes VALUES (?)", args: ["kept"] });
    expect((await tx.execute("SELECT count(*) AS n FROM notes")).rows[0]!.n).toBe(1);
    expect((await other.execute("SELECT count(*) AS n FROM notes")).rows[0]!.n).toBe(0);
    await tx.commit();
    expect((await other.execute("SELECT count(*) AS n FROM notes")).rows[0]!.n).toBe(1);

    const undone = await db.transaction("write");
    await undone.execute({ sql: "INSERT INTO notes VALUES (?)", args: ["dropped"] });
    await undone.rollback();
    expect((await other.execute("SELECT body FROM notes")).rows.map((r) => r.body)).toEqual(["kept"]);
  });

  it("runs a read transaction", async () => {
    const tx = await connect("tx").transaction("read");
    const rs = await tx.execute("SELECT count(*) AS n FROM notes");
    expect(rs.rows[0]!.n).toBe(1);
    await tx.commit();
  });

  it("makes a second writer wait for the first instead of failing with SQLITE_BUSY", async () => {
    const db = connect("tx");
    await db.execute("CREATE TABLE counter (n INTEGER)");
    await db.execute("INSERT INTO counter VALUES (0)");
    const first = await db.transaction("write");
    await first.execute("UPDATE counter SET n = n + 1");
    const second = (async () => {
      const tx = await connect("tx").transaction("write");
      await tx.execute("UPDATE counter SET n = n + 10");
      await tx.commit();
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.commit();
    await second;
    expect((await db.execute("SELECT n FROM counter")).rows[0]!.n).toBe(11);
  });

  it("evaluates batch conditions and stored SQL on the wire", async () => {
    const { body } = await pipeline("a", {
      baton: null,
      requests: [
        { type: "store_sql", sql_id: 1, sql: "SELECT ? AS v" },
        {
          type: "batch",
          batch: {
            steps: [
              { stmt: { sql: "SELECT * FROM no_such_table" } },
              { condition: { type: "error", step: 0 }, stmt: { sql_id: 1, args: [{ type: "text", value: "ran" }] } },
              { condition: { type: "and", conds: [{ type: "ok", step: 1 }, { type: "is_autocommit" }] }, stmt: { sql: "SELECT 1" } },
              { condition: { type: "or", conds: [{ type: "ok", step: 0 }, { type: "not", cond: { type: "ok", step: 2 } }] }, stmt: { sql: "SELECT 2" } },
            ],
          },
        },
        { type: "get_autocommit" },
        { type: "describe", sql: "SELECT :a, ?, ?5 FROM vals" },
        { type: "close" },
      ],
    });
    expect(body.baton).toBeNull();
    const [stored, batch, autocommit, described, close] = body.results;
    expect(stored).toEqual({ type: "ok", response: { type: "store_sql" } });
    const { step_results, step_errors } = batch.response.result;
    expect(step_errors[0].code).toBe("SQLITE_ERROR");
    expect(step_results[1].rows).toEqual([[{ type: "text", value: "ran" }]]);
    expect(step_results[2].rows).toEqual([[{ type: "integer", value: "1" }]]);
    expect([step_results[3], step_errors[3]]).toEqual([null, null]);
    expect(autocommit.response.is_autocommit).toBe(true);
    expect(described.response.result.params).toEqual([{ name: ":a" }, { name: null }, { name: null }, { name: null }, { name: "?5" }]);
    expect(described.response.result.is_readonly).toBe(true);
    expect(close).toEqual({ type: "ok", response: { type: "close" } });
  });

  it("keeps a stream open across requests with a single-use baton", async () => {
    const first = await pipeline("a", { baton: null, requests: [{ type: "execute", stmt: { sql: "BEGIN" } }] });
    const baton = first.body.baton as string;
    expect(baton).toEqual(expect.any(String));
    const second = await pipeline("a", { baton, requests: [{ type: "get_autocommit" }, { type: "execute", stmt: { sql: "ROLLBACK" } }, { type: "close" }] });
    expect(second.body.results[0].response.is_autocommit).toBe(false);
    expect(second.body.baton).toBeNull();
    const reused = await pipeline("a", { baton, requests: [{ type: "close" }] });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe("STREAM_EXPIRED");
  });
});

describe("namespaces and auth", () => {
  it("rejects a wrong or missing token", async () => {
    const wrong = await rejection(connect("a", { authToken: "nope" }).execute("SELECT 1"));
    expect(wrong.message).toContain("401");
    const missing = await rejection(connect("a", { authToken: undefined }).execute("SELECT 1"));
    expect(missing.message).toContain("401");
  });

  it("answers 404 for an unknown namespace", async () => {
    const error = await rejection(connect("nobody-here").execute("SELECT 1"));
    expect(error.message).toContain("404");
  });

  it("keeps databases isolated from each other", async () => {
    await connect("a").execute("CREATE TABLE only_in_a (x)");
    const error = await rejection(connect("b").execute("SELECT * FROM only_in_a"));
    expect(error.message).toContain("no such table");
  });

  it("answers 404 until readyAfterMs has passed, then serves the database", async () => {
    server.createDatabase("late", { readyAfterMs: 300 });
    expect(server.hasDatabase("late")).toBe(true);
    const db = connect("late");
    expect((await rejection(db.execute("SELECT 1"))).message).toContain("404");
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await db.execute("SELECT 1 AS one")).rows[0]!.one).toBe(1);
  });

  it("creates, lists counters of and deletes databases over the admin API", async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await admin("POST", "/admin/databases/via-http", { readyAfterMs: 0 })).status).toBe(201);
    expect((await admin("POST", "/admin/databases/via-http")).status).toBe(409);
    expect((await admin("POST", "/admin/databases/Bad.Name")).status).toBe(400);
    expect((await fetch(`${server.url}/admin/stats`)).status).toBe(401);
    await connect("via-http").execute("SELECT 1");
    expect(await (await admin("GET", "/admin/stats")).json()).toMatchObject({ "via-http": 1 });
    expect((await admin("POST", "/admin/stats/reset")).status).toBe(200);
    expect(await (await admin("GET", "/admin/stats")).json()).toMatchObject({ "via-http": 0 });
    expect((await admin("DELETE", "/admin/databases/via-http")).status).toBe(200);
    expect(server.hasDatabase("via-http")).toBe(false);
    expect((await rejection(connect("via-http").execute("SELECT 1"))).message).toContain("404");
  });

  it("serves existing database files again after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "libsql-server-restart-"));
    try {
      const before = await startLibsqlServer({ dataDir: dir });
      before.createDatabase("keep");
      const db = createClient({ url: before.databaseUrl("keep") });
      await db.batch(["CREATE TABLE t (x)", "INSERT INTO t VALUES (7)"], "write");
      db.close();
      await before.close();

      const after = await startLibsqlServer({ dataDir: dir });
      const again = createClient({ url: after.databaseUrl("keep") });
      expect((await again.execute("SELECT x FROM t")).rows[0]!.x).toBe(7);
      again.close();
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("drizzle", () => {
  it("migrates with drizzle's libsql migrator and queries through drizzle-orm/libsql/web", async () => {
    const db = drizzle(connect("drizzle"));
    await migrate(db, { migrationsFolder: MIGRATIONS });
    await migrate(db, { migrationsFolder: MIGRATIONS }); // a second run applies nothing
    const [list] = await db.insert(lists).values({ title: "groceries" }).returning();
    await db.insert(items).values([
      { listId: list!.id, body: "milk" },
      { listId: list!.id, body: "eggs" },
    ]);
    const rows = await db.select({ body: items.body }).from(items).where(eq(items.listId, list!.id));
    expect(rows.map((r) => r.body).sort()).toEqual(["eggs", "milk"]);
    const applied = await connect("drizzle").execute("SELECT count(*) AS n FROM __drizzle_migrations");
    expect(applied.rows[0]!.n).toBe(1);
    // The foreign key is enforced, as on Turso.
    const orphan = await db
      .insert(items)
      .values({ listId: 999, body: "x" })
      .then(() => undefined, (e: unknown) => e as Error);
    expect(String((orphan as { cause?: unknown })?.cause ?? orphan)).toContain("FOREIGN KEY");
  });

  it("is a working target for `drizzle-kit migrate`", async () => {
    const { stdout, stderr } = await promisify(execFile)("npx", ["drizzle-kit", "migrate", "--config", "test/tools/fixtures/drizzle.config.ts"], {
      cwd: REPO_ROOT, // the config's paths are relative to the repository root
      env: { ...process.env, LIBSQL_TEST_URL: server.databaseUrl("kit"), LIBSQL_TEST_TOKEN: TOKEN },
      timeout: 60_000,
    });
    expect(`${stdout}${stderr}`).toContain("migrations applied successfully");
    const tables = await connect("kit").execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('lists', 'items') ORDER BY name");
    expect(tables.rows.map((r) => r.name)).toEqual(["items", "lists"]);
  }, 60_000);
});

describe("request counter", () => {
  it("counts one per pipeline request and namespace", async () => {
    const db = connect("count");
    server.resetCounts();
    await db.execute("CREATE TABLE c (x)");
    expect(server.requestCount("count")).toBe(1);
    await db.batch(["INSERT INTO c VALUES (1)", "INSERT INTO c VALUES (2)"], "write");
    expect(server.requestCount("count")).toBe(2);
    const tx = await db.transaction("write");
    await tx.execute("INSERT INTO c VALUES (3)"); // BEGIN travels with the first statement
    await tx.execute("SELECT * FROM c");
    await tx.commit(); // COMMIT and close share a request
    expect(server.requestCount("count")).toBe(5);
    expect(server.requestCount("a")).toBe(0);
    expect(server.requestCount("no-such-db")).toBe(0);
  });
});
