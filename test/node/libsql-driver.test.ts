import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient, LibsqlBatchError, LibsqlError } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { createFileClient } from "../../src/platform/node/libsql-driver.js";
import { openLibsqlFile } from "../../src/platform/node/libsql-file.js";

const dir = mkdtempSync(join(tmpdir(), "qingdan-driver-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same file through @libsql/client's own file client and through ours: every answer must agree. */
async function pair(name: string): Promise<[Client, Client]> {
  const url = `file:${join(dir, `${name}.db`)}`;
  const stock = createClient({ url });
  await stock.executeMultiple("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, b BLOB, r REAL); INSERT INTO t VALUES (1, 42, 'a', x'00ff10', 1.5), (2, NULL, '二', NULL, NULL);");
  return [stock, createFileClient(url, { timeout: 5_000 })];
}

/** What a caller can see of a row: its indices, its length, its enumerable names and JSON. */
const seen = (rows: ArrayLike<unknown>[]) => rows.map((r) => ({ values: Array.prototype.slice.call(r), length: r.length, keys: Object.keys(r), spread: { ...r }, json: JSON.stringify(r) }));

describe("the Node file driver (issue 19) answers as @libsql/client's file client does", () => {
  it("rows by index and by name, like-named columns, numbers, text, reals, nulls and blobs as ArrayBuffers", async () => {
    const [stock, ours] = await pair("rows");
    const sql = "SELECT id, n, s, b, r, s AS s, 1 AS \"0\", 'x' AS length FROM t ORDER BY id";
    const [a, b] = [await stock.execute(sql), await ours.execute(sql)];
    expect(seen(b.rows)).toEqual(seen(a.rows));
    expect(b.columns).toEqual(a.columns);
    expect(b.columnTypes).toEqual(a.columnTypes);
    expect(new Uint8Array(b.rows[0]!.b as ArrayBuffer)).toEqual(new Uint8Array([0, 255, 16]));
    expect(b.toJSON()).toEqual(a.toJSON());
    // Asked again, from the statement cache: the same.
    expect(seen((await ours.execute(sql)).rows)).toEqual(seen(a.rows));
  });

  it("one-row reads (LIMIT 1, LIMIT ? bound to 1) answer as the stock client does, and LIMIT ? bound to more is not cut to one", async () => {
    const [stock, ours] = await pair("limit-one");
    const cases = [
      { sql: "SELECT id, n, s FROM t ORDER BY id LIMIT 1", args: [] },
      { sql: "SELECT id, n, s FROM t WHERE id > ? ORDER BY id LIMIT ?", args: [0, 1] },
      { sql: "SELECT id, n, s FROM t WHERE id > ? ORDER BY id LIMIT ?", args: [0, 2] },
      { sql: "SELECT id, n, s FROM t WHERE id > ? ORDER BY id limit ?", args: [5, 1] },
      { sql: "SELECT id FROM t ORDER BY id LIMIT ? OFFSET ?", args: [1, 1] },
    ];
    for (const c of cases) {
      const [a, b] = [await stock.execute(c), await ours.execute(c)];
      expect(seen(b.rows), `${c.sql} ${c.args}`).toEqual(seen(a.rows));
    }
    expect((await ours.execute(cases[2]!)).rows).toHaveLength(2);
    expect((await ours.execute(cases[3]!)).rows).toHaveLength(0);
  });

  it("writes: rowsAffected and lastInsertRowid, named and positional arguments, booleans and bigints in", async () => {
    const [stock, ours] = await pair("writes");
    for (const c of [stock, ours]) {
      const before = Number((await c.execute("SELECT max(id) AS id, count(*) AS n FROM t")).rows[0]!.id);
      const ins = await c.execute({ sql: "INSERT INTO t (n, s) VALUES (?, ?)", args: [true, "x"] });
      expect(ins.rowsAffected).toBe(1);
      expect(ins.lastInsertRowid).toBe(BigInt(before + 1));
      const upd = await c.execute({ sql: "UPDATE t SET n = :n WHERE id >= $min", args: { n: 9007199254740991n, $min: 1 } });
      expect(upd.rowsAffected).toBe(before + 1);
    }
    const sql = "SELECT id, n FROM t ORDER BY id";
    expect(seen((await ours.execute(sql)).rows)).toEqual(seen((await stock.execute(sql)).rows));
  });

  it("refuses what the stock client refuses: integers past 2^53, undefined, NaN", async () => {
    const [stock, ours] = await pair("limits");
    await stock.execute("UPDATE t SET n = 9007199254740993 WHERE id = 1");
    for (const c of [stock, ours]) {
      await expect(c.execute("SELECT n FROM t WHERE id = 1")).rejects.toThrow(RangeError);
      await expect(c.execute({ sql: "SELECT ?", args: [undefined as never] })).rejects.toThrow(TypeError);
      await expect(c.execute({ sql: "SELECT ?", args: [Number.NaN] })).rejects.toThrow(RangeError);
    }
  });

  it("errors carry the same codes; a failed batch rolls back and says which statement failed", async () => {
    const [stock, ours] = await pair("errors");
    for (const c of [stock, ours]) {
      const e = await c.execute("INSERT INTO t (id) VALUES (1)").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(LibsqlError);
      expect([(e as LibsqlError).code, (e as LibsqlError).extendedCode]).toEqual(["SQLITE_CONSTRAINT", "SQLITE_CONSTRAINT_PRIMARYKEY"]);
      const b = await c.batch(["INSERT INTO t (id, s) VALUES (10, 'kept?')", "INSERT INTO t (id) VALUES (2)"], "write").catch((x: unknown) => x);
      expect(b).toBeInstanceOf(LibsqlBatchError);
      expect((b as LibsqlBatchError).statementIndex).toBe(1);
      expect((await c.execute("SELECT count(*) AS n FROM t WHERE id = 10")).rows[0]!.n).toBe(0);
      expect(await c.execute("SELECT nope FROM t").catch((x: LibsqlError) => x.code)).toBe("SQLITE_ERROR");
    }
  });

  it("interactive transactions hold their connection: others wait, rollback undoes, commit keeps", async () => {
    const [, ours] = await pair("tx");
    const tx = await ours.transaction("write");
    await tx.execute({ sql: "INSERT INTO t (id, s) VALUES (?, ?)", args: [20, "in tx"] });
    // Another connection of the same client does not see the uncommitted row.
    expect((await ours.execute("SELECT count(*) AS n FROM t WHERE id = 20")).rows[0]!.n).toBe(0);
    await tx.rollback();
    expect(tx.closed).toBe(true);
    await expect(tx.execute("SELECT 1")).rejects.toThrow(LibsqlError);
    const tx2 = await ours.transaction();
    await tx2.batch([{ sql: "INSERT INTO t (id) VALUES (21)", args: [] }]);
    await tx2.commit();
    expect((await ours.execute("SELECT count(*) AS n FROM t WHERE id IN (20, 21)")).rows[0]!.n).toBe(1);
  });

  it("a statement prepared before the schema changed returns what a second stock client returns", async () => {
    const [stock, ours] = await pair("schema");
    const other = createClient({ url: `file:${join(dir, "schema.db")}` });
    for (const sql of ["SELECT * FROM t WHERE id = 1", "SELECT id, s FROM t WHERE id = 1"]) {
      await ours.execute(sql);
      await other.execute(sql);
    }
    await stock.execute("ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'new'");
    await stock.execute("UPDATE t SET s = 'changed' WHERE id = 1");
    const star = [await other.execute("SELECT * FROM t WHERE id = 1"), await ours.execute("SELECT * FROM t WHERE id = 1")];
    // Both return the new column's value; the stock client names it "undefined" (its column list is the stale one), ours leaves it unnamed.
    expect(star.map((r) => Array.prototype.slice.call(r.rows[0]))).toEqual([[1, 42, "changed", expect.any(ArrayBuffer), 1.5, "new"], [1, 42, "changed", expect.any(ArrayBuffer), 1.5, "new"]]);
    expect(star[1]!.columns).toEqual(star[0]!.columns);
    const sql = "SELECT id, s FROM t WHERE id = 1";
    expect(seen((await ours.execute(sql)).rows)).toEqual(seen((await other.execute(sql)).rows));
  });
});

// ADR 0020: writes commit with synchronous=NORMAL (no fsync per commit). The thin driver sets it as it
// opens each connection; the stock client has it set before each write. SQLite's default is FULL (2).
describe("writes run with synchronous=NORMAL on either file driver", () => {
  for (const driver of ["thin", "stock"] as const) {
    it(`${driver}: inside a write batch and an interactive write transaction`, async () => {
      const client = openLibsqlFile(`file:${join(dir, `sync-${driver}.db`)}`, driver);
      await client.execute("CREATE TABLE IF NOT EXISTS w (n INTEGER)");
      const [, inBatch] = await client.batch(["INSERT INTO w VALUES (1)", "PRAGMA synchronous"], "write");
      expect(Number(inBatch!.rows[0]![0])).toBe(1);
      const tx = await client.transaction("write");
      await tx.execute("INSERT INTO w VALUES (2)");
      expect(Number((await tx.execute("PRAGMA synchronous")).rows[0]![0])).toBe(1);
      await tx.commit();
      if (driver === "thin") expect(Number((await client.execute("PRAGMA synchronous")).rows[0]![0])).toBe(1);
      client.close();
    });
  }
});

describe("closed thin connections give their files back without anyone calling gc() (issue 19, part 6)", () => {
  const openFds = () => readdirSync("/proc/self/fd").length;
  /** Short-lived garbage, as request traffic makes: scavenges, which promote what is still referenced. */
  const traffic = async () => {
    for (let round = 0; round < 8; round++) {
      let made = 0;
      for (let i = 0; i < 200_000; i++) made += [i, { i }].length;
      expect(made).toBe(400_000);
      await new Promise((r) => setImmediate(r));
    }
  };

  it("tenants opened, used, kept through traffic, then closed by the LRU: the process's fds return to where they were", async () => {
    const settled = async (limit: number) => {
      for (let waited = 0; waited < 5_000 && openFds() > limit; waited += 50) await new Promise((r) => setTimeout(r, 50));
      return openFds();
    };
    const before = openFds();
    const urls = Array.from({ length: 40 }, (_, i) => `file:${join(dir, `tenant-${i}.db`)}`);
    for (const url of urls) {
      const setup = createFileClient(url, { timeout: 5_000 });
      await setup.executeMultiple("PRAGMA journal_mode=WAL; CREATE TABLE m (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO m VALUES (1, 'a'), (2, 'b');");
      setup.close();
    }
    expect(await settled(before)).toBeLessThanOrEqual(before);
    const clients = urls.map((url) => createFileClient(url, { timeout: 5_000 }));
    for (const c of clients) {
      for (let i = 0; i < 3; i++) {
        expect((await c.execute({ sql: "SELECT id, name FROM m WHERE id = ?", args: [1] })).rows[0]!.name).toBe("a");
        await c.execute({ sql: "UPDATE m SET name = ? WHERE id = 2", args: [`b${i}`] });
      }
    }
    // Traffic while the files are open promotes their statements out of the young generation.
    await traffic();
    expect(openFds()).toBeGreaterThanOrEqual(before + 2 * urls.length); // each: the database and its WAL
    for (const c of clients) c.close();
    await traffic();
    expect(await settled(before)).toBeLessThanOrEqual(before);
  });
});

describe("gc() for the counted collection is obtained safely from several threads at once (reminder threads)", () => {
  it("two worker threads and the main thread obtain it side by side, none gets a ReferenceError", async () => {
    const { Worker } = await import("node:worker_threads");
    const driver = new URL("../../src/platform/node/libsql-driver.ts", import.meta.url).href;
    // The same race as two reminder threads evicting tenant files in the same instant: each thread
    // loads the driver, says it is ready, and all three start obtaining gc() on the same signal.
    const code = `(async () => {
      const { register } = await import("tsx/esm/api"); register();
      const { obtainGc } = await import(${JSON.stringify(driver)});
      const { parentPort } = await import("node:worker_threads");
      parentPort.once("message", () => {
        let failures = 0;
        for (let i = 0; i < ROUNDS; i++) { try { if (typeof obtainGc() !== "function") failures++; } catch { failures++; } }
        parentPort.postMessage(failures);
      });
      parentPort.postMessage("ready");
    })();`.replace("ROUNDS", String(ROUNDS));
    const { obtainGc } = await import("../../src/platform/node/libsql-driver.js");
    const threads = [0, 1].map(() => new Worker(code, { eval: true }));
    await Promise.all(threads.map((t) => new Promise((resolve, reject) => { t.once("message", resolve); t.once("error", reject); })));
    const results = threads.map((t) => new Promise<number>((resolve, reject) => { t.once("message", resolve); t.once("error", reject); }));
    for (const t of threads) t.postMessage("go");
    let mainFailures = 0;
    for (let i = 0; i < ROUNDS; i++) {
      try { if (typeof obtainGc() !== "function") mainFailures++; } catch { mainFailures++; }
    }
    expect(await Promise.all(results)).toEqual([0, 0]);
    expect(mainFailures).toBe(0);
    await Promise.all(threads.map((t) => t.terminate()));
  }, 60_000);
});
const ROUNDS = 1_000;
