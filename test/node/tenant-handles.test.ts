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

async function twoTenants(driver: "stock" | "thin") {
  const dir = mkdtempSync(join(tmpdir(), "qingdan-handles-"));
  dirs.push(dir);
  const databases = fileTenantDatabases(dir, 10, driver);
  const stamp = "2026-03-01T00:00:00.000Z";
  for (const id of ["ten_a", "ten_b"]) {
    const { locator } = await databases.provision(id);
    await applyMigrations(databases.client(id, locator), bundledMigrations.tenant);
    await databases.open(id, locator).insert(members).values({ id: `mem_${id}`, email: `admin@${id}.cn`, name: id, role: "admin", status: "active", locale: "zh-CN", createdAt: stamp, updatedAt: stamp });
  }
  const locatorOf = (id: string) => `file:${join(dir, "tenants", `${id}.db`)}`;
  return { databases, a: databases.open("ten_a", locatorOf("ten_a")), b: databases.open("ten_b", locatorOf("ten_b")) };
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
});
