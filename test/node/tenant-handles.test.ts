import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations } from "../../src/db/migrate.js";
import { bundledMigrations } from "../../src/db/migrations.generated.js";
import { members } from "../../src/db/tenant/schema.js";
import { fileTenantDatabases } from "../../src/platform/node/file-tenant-databases.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function twoTenants(driver: "stock" | "thin", capacity = 10) {
  const dir = mkdtempSync(join(tmpdir(), "qingdan-handles-"));
  dirs.push(dir);
  const databases = fileTenantDatabases(dir, capacity, driver);
  const stamp = "2026-03-01T00:00:00.000Z";
  for (const id of ["ten_a", "ten_b"]) {
    const { locator } = await databases.provision(id);
    await applyMigrations(databases.client(id, locator), bundledMigrations.tenant);
    await databases.open(id, locator).insert(members).values({ id: `mem_${id}`, email: `admin@${id}.cn`, name: id, role: "admin", status: "active", locale: "zh-CN", createdAt: stamp, updatedAt: stamp });
  }
  const locatorOf = (id: string) => `file:${join(dir, "tenants", `${id}.db`)}`;
  return { databases, locatorOf, a: databases.open("ten_a", locatorOf("ten_a")), b: databases.open("ten_b", locatorOf("ten_b")) };
}

describe("tenant handles on Node (one relational config shared by every handle)", () => {
  for (const driver of ["stock", "thin"] as const) {
    it(`each handle reads and writes only its own tenant's file (${driver})`, async () => {
      const { databases, a, b } = await twoTenants(driver);
      try {
        expect((await a.select({ id: members.id }).from(members)).map((r) => r.id)).toEqual(["mem_ten_a"]);
        expect((await b.select({ id: members.id }).from(members)).map((r) => r.id)).toEqual(["mem_ten_b"]);
        // Relational queries work through the shared config and still go to the handle's own client.
        expect((await a.query.members.findFirst({ columns: { id: true } }))?.id).toBe("mem_ten_a");
        expect((await b.query.members.findMany({ columns: { name: true } })).map((m) => m.name)).toEqual(["ten_b"]);
        // A transaction and a batch on one handle stay on its file.
        await a.transaction(async (tx) => {
          await tx.update(members).set({ name: "改名" }).where(eq(members.id, "mem_ten_a"));
        });
        await b.batch([b.update(members).set({ name: "另一个" }).where(eq(members.id, "mem_ten_b")), b.select().from(members)]);
        expect((await a.select({ name: members.name }).from(members))[0]?.name).toBe("改名");
        expect((await b.select({ name: members.name }).from(members))[0]?.name).toBe("另一个");
        const internals = (db: unknown) => (db as { _: { schema: unknown } })._.schema;
        expect(internals(a)).toBeDefined();
        expect(internals(a)).toBe(internals(b));
      } finally {
        databases.closeAll();
      }
    });
  }

  for (const driver of ["stock", "thin"] as const) {
    it(`a handle the LRU evicts mid-transaction finishes that transaction, then closes (${driver})`, async () => {
      const { databases, locatorOf } = await twoTenants(driver, 1);
      const a = databases.open("ten_a", locatorOf("ten_a"));
      const clientA = databases.client("ten_a", locatorOf("ten_a"));
      try {
        let evicted = false;
        await a.transaction(async (tx) => {
          await tx.update(members).set({ name: "事务中" }).where(eq(members.id, "mem_ten_a"));
          // Another tenant's request opens its file: with room for one handle, ten_a's is evicted now.
          databases.open("ten_b", locatorOf("ten_b"));
          evicted = databases.openCount() === 1;
          await tx.update(members).set({ name: "事务后" }).where(eq(members.id, "mem_ten_a"));
        });
        expect(evicted).toBe(true);
        // Closed once its transaction was done (no file left open behind the LRU's back).
        expect(clientA.closed).toBe(true);
        // Committed: a new handle on ten_a's file reads it.
        const again = databases.open("ten_a", locatorOf("ten_a"));
        expect((await again.select({ name: members.name }).from(members))[0]?.name).toBe("事务后");
      } finally {
        databases.closeAll();
      }
    });
  }
});
