import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { eq, getTableColumns, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { blob, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { afterAll, describe, expect, it } from "vitest";
import { flatRowMapper } from "../../src/db/prepared.js";
import { createFileClient } from "../../src/platform/node/libsql-driver.js";

const dir = mkdtempSync(join(tmpdir(), "qingdan-flat-rows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parents = sqliteTable("parents", { id: text("id").primaryKey(), title: text("title").notNull() });
const things = sqliteTable("things", {
  id: text("id").primaryKey(),
  parentId: text("parent_id").notNull(),
  title: text("title"),
  flag: integer("flag", { mode: "boolean" }),
  count: integer("count"),
  stamp: integer("stamp", { mode: "timestamp_ms" }),
  tags: text("tags", { mode: "json" }).$type<string[]>(),
  ratio: real("ratio"),
  data: blob("data"),
});

async function seed(url: string) {
  const c = createClient({ url });
  await c.executeMultiple(`CREATE TABLE parents (id TEXT PRIMARY KEY, title TEXT NOT NULL);
    CREATE TABLE things (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL, title TEXT, flag INTEGER, count INTEGER, stamp INTEGER, tags TEXT, ratio REAL, data BLOB);
    INSERT INTO parents VALUES ('p1', '父');
    INSERT INTO things VALUES ('a', 'p1', '甲', 1, 42, 1767225600000, '["x","y"]', 1.5, x'00ff'), ('b', 'p1', NULL, 0, NULL, NULL, NULL, NULL, NULL), ('c', 'p1', 'c', NULL, 1099511627776, 0, '[]', -2.25, NULL);`);
  c.close();
}

describe("flatRowMapper (issue 19) maps a flat select's values as drizzle does", () => {
  for (const driver of ["stock", "thin"] as const) {
    it(`columns of every mode, SQL with and without mapWith, like-named columns of a join (${driver} driver)`, async () => {
      const url = `file:${join(dir, `${driver}.db`)}`;
      await seed(url);
      const client = driver === "thin" ? createFileClient(url, { timeout: 5_000 }) : createClient({ url });
      try {
        const db = drizzle(client);
        const fields = {
          ...getTableColumns(things),
          parentTitle: parents.title,
          doubled: sql<number>`${things.count} * 2`.mapWith(Number),
          label: sql<string>`coalesce(${things.title}, '-')`,
          asFlag: sql<boolean>`${things.flag}`.mapWith(things.flag),
        };
        const query = db.select(fields).from(things).innerJoin(parents, eq(parents.id, things.parentId)).where(sql`${things.id} <> ${sql.placeholder("not")}`).orderBy(things.id).prepare();
        const expected = await query.execute({ not: "z" });
        const mapped = flatRowMapper<(typeof expected)[number]>(fields)(await query.values({ not: "z" }));
        expect(mapped).toEqual(expected);
        expect(mapped.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
        expect(mapped[0]!.flag).toBe(true);
        expect(mapped[0]!.stamp).toBeInstanceOf(Date);
        expect(mapped[0]!.tags).toEqual(["x", "y"]);
        expect(Buffer.isBuffer(mapped[0]!.data)).toBe(true);
        expect(mapped[0]!.title).toBe("甲");
        expect(mapped[0]!.parentTitle).toBe("父");
        expect(mapped[1]!.flag).toBe(false);
        expect(mapped[1]!.doubled).toBe(null);
      } finally {
        client.close();
      }
    });
  }

  it("refuses a nested select it cannot map flat", () => {
    expect(() => flatRowMapper({ parent: { id: parents.id } })).toThrow(TypeError);
  });
});
