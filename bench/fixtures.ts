// Data for the bench: a bureau's org tree and members seeded straight into a tenant database with
// SQL, and many tenants made with the same provisioning and migration functions signup uses.
import { copyFileSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { tenants, type TenantRow } from "../src/db/control/schema.js";
import { newId } from "../src/db/ids.js";
import { applyMigrations } from "../src/db/migrate.js";
import { bundledMigrations } from "../src/db/migrations.generated.js";
import { auditLog, members } from "../src/db/tenant/schema.js";
import type { Ports } from "../src/platform/ports.js";
import { BENCH_PASSWORD } from "./support.js";

/** Multi-row INSERTs of at most `maxParams` parameters each. */
export function inserts(table: string, columns: string[], rows: unknown[][], maxParams = 15_000) {
  const per = Math.max(1, Math.floor(maxParams / columns.length));
  const out: { sql: string; args: never[] }[] = [];
  const tuple = `(${columns.map(() => "?").join(",")})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    out.push({ sql: `INSERT INTO ${table} (${columns.join(",")}) VALUES ${chunk.map(() => tuple).join(",")}`, args: chunk.flat() as never[] });
  }
  return out;
}

/** Deterministic, so two runs seed the same bureau. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Common surnames with their pinyin (for email addresses), roughly most frequent first.
const SURNAMES: [string, string][] = [
  ["王", "wang"], ["李", "li"], ["张", "zhang"], ["刘", "liu"], ["陈", "chen"], ["杨", "yang"], ["黄", "huang"], ["赵", "zhao"],
  ["吴", "wu"], ["周", "zhou"], ["徐", "xu"], ["孙", "sun"], ["马", "ma"], ["朱", "zhu"], ["胡", "hu"], ["郭", "guo"],
  ["何", "he"], ["高", "gao"], ["林", "lin"], ["罗", "luo"], ["郑", "zheng"], ["梁", "liang"], ["谢", "xie"], ["宋", "song"],
  ["唐", "tang"], ["许", "xu"], ["韩", "han"], ["冯", "feng"], ["邓", "deng"], ["曹", "cao"], ["彭", "peng"], ["曾", "zeng"],
  ["肖", "xiao"], ["田", "tian"], ["董", "dong"], ["袁", "yuan"], ["潘", "pan"], ["于", "yu"], ["蒋", "jiang"], ["蔡", "cai"],
  ["余", "yu"], ["杜", "du"], ["叶", "ye"], ["程", "cheng"], ["苏", "su"], ["魏", "wei"], ["吕", "lv"], ["丁", "ding"],
  ["任", "ren"], ["沈", "shen"], ["姚", "yao"], ["卢", "lu"], ["姜", "jiang"], ["崔", "cui"], ["钟", "zhong"], ["谭", "tan"],
  ["陆", "lu"], ["汪", "wang"], ["范", "fan"], ["金", "jin"], ["石", "shi"], ["廖", "liao"], ["贾", "jia"], ["夏", "xia"],
  ["欧阳", "ouyang"], ["司马", "sima"], ["上官", "shangguan"],
];
const GIVEN = [
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚",
  "秀英", "桂英", "建华", "建国", "志强", "海燕", "晓东", "春梅", "国庆", "红霞", "文博", "子涵", "思远", "雨桐", "浩然", "欣怡",
  "立新", "振华", "丽华", "卫东", "德明", "建军", "玉兰", "永刚", "宏伟", "晓峰", "秀兰", "俊杰", "婷婷", "佳琪",
];

export function chineseName(rand: () => number): { name: string; pinyin: string } {
  const [surname, pinyin] = SURNAMES[Math.floor(rand() ** 1.6 * SURNAMES.length)]!;
  return { name: surname + GIVEN[Math.floor(rand() * GIVEN.length)]!, pinyin };
}

interface BranchSeed { id: string; name: string; kind: string; parentId: string | null; path: string; depth: number; secretaryId: string | null; sortOrder: number }

const GENERAL_BRANCHES = ["机关第一党总支", "机关第二党总支", "城建档案馆党总支", "建设工程质量安全监督站党总支", "房地产市场服务中心党总支", "住房保障中心党总支"];
const SECTIONS = ["综合科", "规划建设科", "城市更新科", "质量安全科", "住房保障科", "法规科"];
const GROUPS = ["第一党小组", "第二党小组", "第三党小组"];

/** 党委 → 6 总支 → 5 or 6 支部 each → 3 党小组 each: the tree a city bureau of this size has. */
function orgTree(at: number): BranchSeed[] {
  const stamp = () => newId("br", at);
  const root: BranchSeed = { id: stamp(), name: "市住房和城乡建设局机关党委", kind: "party_committee", parentId: null, path: "", depth: 0, secretaryId: null, sortOrder: 0 };
  root.path = `/${root.id}/`;
  const out = [root];
  GENERAL_BRANCHES.forEach((gName, g) => {
    const gb: BranchSeed = { id: stamp(), name: gName, kind: "general_branch", parentId: root.id, path: "", depth: 1, secretaryId: null, sortOrder: g };
    gb.path = `${root.path}${gb.id}/`;
    out.push(gb);
    SECTIONS.slice(0, g % 2 === 0 ? 6 : 5).forEach((section, s) => {
      const br: BranchSeed = { id: stamp(), name: `${gName.replace(/党总支$/, "")}${section}党支部`, kind: "branch", parentId: gb.id, path: "", depth: 2, secretaryId: null, sortOrder: s };
      br.path = `${gb.path}${br.id}/`;
      out.push(br);
      GROUPS.forEach((group, k) => {
        const pg: BranchSeed = { id: stamp(), name: group, kind: "party_group", parentId: br.id, path: "", depth: 3, secretaryId: null, sortOrder: k };
        pg.path = `${br.path}${pg.id}/`;
        out.push(pg);
      });
    });
  });
  return out;
}

/**
 * Seeds a bureau into an existing (signed-up) tenant database file: the org tree and `count`
 * members spread over 支部 and 党小组 (a tenth also seconded to another 支部, 双重管理), each 支部 with a
 * secretary, a few more admins, some invited or disabled. One precomputed password hash for all.
 * Few round trips: multi-row INSERTs in one write batch.
 */
export async function seedBureau(dbFile: string, count: number, passwordHash: string): Promise<{ branches: number; members: number }> {
  const client = createClient({ url: `file:${dbFile}` });
  try {
    const rand = prng(20_000);
    const now = Date.now();
    const tree = orgTree(now - 400 * 86_400_000);
    const homes = tree.filter((b) => b.kind === "branch" || b.kind === "party_group");
    const branchUnits = tree.filter((b) => b.kind === "branch");
    const rows: unknown[][] = [];
    for (let i = 0; i < count; i++) {
      const createdAt = now - Math.floor(rand() * 3 * 365 * 86_400_000);
      const { name, pinyin } = chineseName(rand);
      const home = homes[Math.floor(rand() * homes.length)]!;
      const second = rand() < 0.1 ? branchUnits[Math.floor(rand() * branchUnits.length)]!.id : null;
      const roll = rand();
      const status = roll < 0.03 ? "invited" : roll < 0.05 ? "disabled" : "active";
      const stamp = new Date(createdAt).toISOString();
      rows.push([
        newId("mem", createdAt),
        `${pinyin}.${String(i).padStart(5, "0")}@zjj.example.gov.cn`,
        name,
        i < 3 ? "admin" : "member",
        status,
        home.id,
        second,
        status === "invited" ? null : passwordHash,
        rand() < 0.6 ? `1${3 + Math.floor(rand() * 7)}${String(Math.floor(rand() * 1e9)).padStart(9, "0")}` : null,
        null,
        stamp,
        stamp,
        status === "active" && rand() < 0.7 ? new Date(now - Math.floor(rand() * 30 * 86_400_000)).toISOString() : null,
      ]);
    }
    // Each 支部's secretary: an active member homed in it (or in one of its 党小组).
    const secretaries = new Set<number>();
    for (const unit of branchUnits) {
      const index = rows.findIndex((r, i) => !secretaries.has(i) && r[4] === "active" && r[3] === "member" && tree.find((b) => b.id === r[5])!.path.startsWith(unit.path));
      if (index < 0) continue;
      secretaries.add(index);
      rows[index]![3] = "secretary";
      unit.secretaryId = rows[index]![0] as string;
    }

    const branchStamp = new Date(now - 400 * 86_400_000).toISOString();
    const statements = [
      {
        sql: `INSERT INTO branches (id, name, kind, parent_id, path, depth, secretary_id, sort_order, created_at, updated_at) VALUES ${tree.map(() => "(?,?,?,?,?,?,?,?,?,?)").join(",")}`,
        args: tree.flatMap((b) => [b.id, b.name, b.kind, b.parentId, b.path, b.depth, b.secretaryId, b.sortOrder, branchStamp, branchStamp]),
      },
    ];
    const CHUNK = 500; // 500 × 13 parameters, well under SQLite's limit
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      statements.push({
        sql: `INSERT INTO members (id, email, name, role, status, branch_id, second_branch_id, password_hash, phone, locale, created_at, updated_at, last_login_at) VALUES ${chunk.map(() => "(?,?,?,?,?,?,?,?,?,?,?,?,?)").join(",")}`,
        args: chunk.flat() as never[],
      });
    }
    await client.batch(statements as never, "write");
    return { branches: tree.length, members: rows.length };
  } finally {
    client.close();
  }
}

export interface DirectTenant {
  id: string;
  slug: string;
  adminId: string;
  locator: string;
}

/**
 * Makes `count` tenants the way signup does, minus HTTP and the per-tenant PBKDF2: the tenant
 * databases' provision() and applyMigrations() with the bundled migrations, the first admin (one
 * shared, precomputed password hash) and its audit row in one batch, then the registry rows
 * (status active, database locator, schema version) in a few multi-row inserts.
 */
export async function createTenantsDirect(ports: Ports, count: number, passwordHash: string, onProgress?: (done: number) => void): Promise<DirectTenant[]> {
  const made: DirectTenant[] = [];
  const registry: TenantRow[] = [];
  const migrations = bundledMigrations.tenant;
  for (let i = 0; i < count; i++) {
    const now = new Date();
    const stamp = now.toISOString();
    const id = newId("ten", now.getTime());
    const slug = `bureau-${String(i).padStart(5, "0")}-${id.slice(-6).toLowerCase()}`;
    const { locator } = await ports.tenantDatabases.provision(id);
    const schemaVersion = await applyMigrations(ports.tenantDatabases.client(id, locator), migrations);
    const db = ports.tenantDatabases.open(id, locator);
    const adminId = newId("mem", now.getTime());
    await db.batch([
      db.insert(members).values({ id: adminId, email: `admin@${slug}.example.cn`, name: "王局长", role: "admin", status: "active", passwordHash, locale: "zh-CN", createdAt: stamp, updatedAt: stamp }),
      db.insert(auditLog).values({ id: newId("aud", now.getTime()), actorId: adminId, action: "tenant.created", entityType: "tenant", entityId: id, at: stamp }),
    ]);
    registry.push({ id, slug, name: `某市第${i + 1}局`, status: "active", dbLocator: locator, timezone: "Asia/Shanghai", locale: "zh-CN", schemaVersion, reminderHour: 8, provisioningError: null, confirmationPendingSince: null, confirmationTokenHash: null, confirmationExpiresAt: null, createdAt: stamp, updatedAt: stamp });
    made.push({ id, slug, adminId, locator });
    if ((i + 1) % 250 === 0) onProgress?.(i + 1);
  }
  for (let i = 0; i < registry.length; i += 200) await ports.control.insert(tenants).values(registry.slice(i, i + 200));
  return made;
}

/** Signup through the real HTTP route. */
export async function signUpOverHttp(baseUrl: string, slug: string, name = "某市住房和城乡建设局") {
  const res = await fetch(`${baseUrl}/v1/tenants`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ slug, name, admin: { email: `admin@${slug}.example.cn`, name: "王局长", password: BENCH_PASSWORD } }),
  });
  const body = (await res.json()) as { tenant: { id: string; slug: string }; member: { id: string; email: string }; accessToken: string; refreshToken: string };
  if (res.status !== 201) throw new Error(`signup ${slug} failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

export interface SeededOrg {
  rootId: string;
  /** Every branch: the 党委 root, its 总支 and their 支部. */
  branches: { id: string; name: string; kind: string; path: string; secretaryId: string | null }[];
  members: { id: string; email: string; role: string; status: string; branchId: string; secondBranchId: string | null }[];
}

/**
 * A flat bureau for the checklist bench: 党委 → `generals` 总支 → `branchesPerGeneral` 支部 each, and
 * `count` members homed straight in the 支部 (a tenth also seconded to another 支部, 双重管理), each
 * 支部 with a secretary, some invited or disabled. One shared password hash. Written through any
 * libSQL client (a file, or the local libSQL server over HTTP) in one write batch.
 */
export async function seedOrg(
  client: Pick<Client, "batch">,
  options: { members: number; generals: number; branchesPerGeneral: number; passwordHash: string; seed?: number; domain?: string },
): Promise<SeededOrg> {
  const rand = prng(options.seed ?? 2026);
  const now = Date.now();
  const stamp = new Date(now - 400 * 86_400_000).toISOString();
  const at = now - 400 * 86_400_000;
  const root = { id: newId("br", at), name: "市住房和城乡建设局机关党委", kind: "party_committee", parentId: null as string | null, path: "", depth: 0, secretaryId: null as string | null, sortOrder: 0 };
  root.path = `/${root.id}/`;
  const tree = [root];
  const units: typeof tree = [];
  for (let g = 0; g < options.generals; g++) {
    const gName = GENERAL_BRANCHES[g] ?? `机关第${g + 1}党总支`;
    const gb = { id: newId("br", at), name: gName, kind: "general_branch", parentId: root.id, path: "", depth: 1, secretaryId: null as string | null, sortOrder: g };
    gb.path = `${root.path}${gb.id}/`;
    tree.push(gb);
    for (let s = 0; s < options.branchesPerGeneral; s++) {
      const section = SECTIONS[s] ?? `第${s + 1}科`;
      const br = { id: newId("br", at), name: `${gName.replace(/党总支$/, "")}${section}党支部`, kind: "branch", parentId: gb.id, path: "", depth: 2, secretaryId: null as string | null, sortOrder: s };
      br.path = `${gb.path}${br.id}/`;
      tree.push(br);
      units.push(br);
    }
  }
  const domain = options.domain ?? "zjj.example.gov.cn";
  const seeded: SeededOrg["members"] = [];
  const rows: unknown[][] = [];
  for (let i = 0; i < options.members; i++) {
    const createdAt = now - Math.floor(rand() * 3 * 365 * 86_400_000);
    const { name, pinyin } = chineseName(rand);
    const home = units[Math.floor(rand() * units.length)]!;
    const other = rand() < 0.1 ? units[Math.floor(rand() * units.length)]! : undefined;
    const second = other && other.id !== home.id ? other.id : null;
    const roll = rand();
    const status = roll < 0.03 ? "invited" : roll < 0.05 ? "disabled" : "active";
    const created = new Date(createdAt).toISOString();
    const id = newId("mem", createdAt);
    const email = `${pinyin}.${String(i).padStart(5, "0")}@${domain}`;
    seeded.push({ id, email, role: "member", status, branchId: home.id, secondBranchId: second });
    rows.push([id, email, name, "member", status, home.id, second, status === "invited" ? null : options.passwordHash, null, null, created, created, null]);
  }
  // Each 支部's secretary: its first active member.
  for (const unit of units) {
    const index = seeded.findIndex((m) => m.branchId === unit.id && m.status === "active" && m.role === "member");
    if (index < 0) continue;
    seeded[index]!.role = "secretary";
    rows[index]![3] = "secretary";
    unit.secretaryId = seeded[index]!.id;
  }
  const statements = [
    {
      sql: `INSERT INTO branches (id, name, kind, parent_id, path, depth, secretary_id, sort_order, created_at, updated_at) VALUES ${tree.map(() => "(?,?,?,?,?,?,?,?,?,?)").join(",")}`,
      args: tree.flatMap((b) => [b.id, b.name, b.kind, b.parentId, b.path, b.depth, b.secretaryId, b.sortOrder, stamp, stamp]),
    },
  ];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    statements.push({
      sql: `INSERT INTO members (id, email, name, role, status, branch_id, second_branch_id, password_hash, phone, locale, created_at, updated_at, last_login_at) VALUES ${chunk.map(() => "(?,?,?,?,?,?,?,?,?,?,?,?,?)").join(",")}`,
      args: chunk.flat() as never[],
    });
  }
  await client.batch(statements as never, "write");
  return { rootId: root.id, branches: tree.map((b) => ({ id: b.id, name: b.name, kind: b.kind, path: b.path, secretaryId: b.secretaryId })), members: seeded };
}

/** The rows one tenant gets, written into its database file in one batch. */
export type TenantSeeder = (tenant: DirectTenant & { index: number }) => { sql: string; args: never[] }[];

/**
 * Like createTenantsDirect, quicker for thousands: the bundled migrations are applied once to a
 * template file (WAL mode set, as provision() does), which is copied for each tenant; `seed` then
 * writes the tenant's first admin and whatever else it needs in one batch on a client of its own,
 * and the registry rows (active, the file's locator, schema version, reminder hour 8 in
 * Asia/Shanghai) go into the control database a few hundred at a time. `dataDir` is the DATA_DIR of
 * the nodePorts that will open them: locators are what fileTenantDatabases would have made.
 */
export async function createTenantsFromTemplate(
  control: Ports["control"],
  dataDir: string,
  count: number,
  seed: TenantSeeder,
  onProgress?: (done: number) => void,
): Promise<DirectTenant[]> {
  const dir = resolve(dataDir, "tenants");
  mkdirSync(dir, { recursive: true });
  const template = resolve(dataDir, "tenant-template.db");
  const t = createClient({ url: `file:${template}` });
  await t.execute("PRAGMA journal_mode=WAL");
  const schemaVersion = await applyMigrations(t, bundledMigrations.tenant);
  await t.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  t.close();
  const made: DirectTenant[] = [];
  const registry: TenantRow[] = [];
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const at = started + i;
    const id = newId("ten", at);
    const slug = `bureau-${String(i).padStart(5, "0")}-${id.slice(-6).toLowerCase()}`;
    const path = resolve(dir, `${id}.db`);
    copyFileSync(template, path);
    const tenant = { id, slug, adminId: newId("mem", at), locator: `file:${path}` };
    const client = createClient({ url: tenant.locator });
    try {
      await client.batch(seed({ ...tenant, index: i }), "write");
      // Left as a server leaves a file it closed: the seed checkpointed into the file, not waiting in its WAL
      // for the measured run's first connection (part 9's first sweep paid ~2 ms a tenant for it).
      await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      client.close();
    }
    const stamp = new Date(at).toISOString();
    registry.push({ id, slug, name: `某市第${i + 1}局`, status: "active", dbLocator: tenant.locator, timezone: "Asia/Shanghai", locale: "zh-CN", schemaVersion, reminderHour: 8, provisioningError: null, confirmationPendingSince: null, confirmationTokenHash: null, confirmationExpiresAt: null, createdAt: stamp, updatedAt: stamp });
    made.push(tenant);
    if ((i + 1) % 250 === 0) onProgress?.(i + 1);
  }
  for (let i = 0; i < registry.length; i += 200) await control.insert(tenants).values(registry.slice(i, i + 200));
  return made;
}
