// Part 6: the Node server's memory with many tenants. Tenants are copies of one migrated template
// file, each with its first admin and the signup's audit row (createTenantsFromTemplate: thousands in
// a minute rather than one migration run each), then the server as `npm start` runs it (build/node.js under plain node, bench/server.ts
// startProductServer) answers one authenticated GET /v1/me for each of them: every tenant's file is
// opened, and the LRU (TENANT_DB_CACHE, default 200) must close the ones it drops. Figures are the
// process's own (RSS after a full GC), with the load average beside them.
import { nodeEnvSchema, parseEnv } from "../src/config.js";
import { newId } from "../src/db/ids.js";
import { hashPassword } from "../src/platform/crypto.js";
import { nodePorts } from "../src/platform/node/node-ports.js";
import { signAccessToken } from "../src/modules/auth/tokens.js";
import { createTenantsFromTemplate, type TenantSeeder } from "./fixtures.js";
import { loadavg } from "node:os";
import { startProductServer } from "./server.js";
import type { ChildStats } from "./server-child.js";
import { BENCH_JWT_SECRET, BENCH_PASSWORD, benchEnv, fmtInt, fmtMiB, fmtMs, log, percentile, type Row, tempDir } from "./support.js";

async function touchAll(baseUrl: string, tokens: string[], concurrency: number): Promise<{ times: number[]; failures: number; ms: number }> {
  const times: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < tokens.length; i = next++) {
        const t0 = performance.now();
        const res = await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${tokens[i]}` } });
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) failures++;
      }
    }),
  );
  return { times, failures, ms: performance.now() - started };
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
const describeStats = (s: ChildStats) => `RSS ${fmtMiB(s.rss)}, heap ${fmtMiB(s.heapUsed)}, ${s.openTenantDatabases} tenant DB files open, ${s.openFds} fds (load ${load()})`;

export async function memoryBench(count: number): Promise<Row[]> {
  const dir = tempDir("memory");
  try {
    const env = benchEnv(dir.path);
    log(`memory: creating ${fmtInt(count)} tenants`);
    const built = await nodePorts(parseEnv(nodeEnvSchema, env), { mailer: { send: async () => ({ messageId: "<bench@local>" }) } });
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    // What signup leaves in a new tenant's file: its first admin and one audit row.
    const seed: TenantSeeder = (t) => {
      const stamp = new Date().toISOString();
      return [
        { sql: "INSERT INTO members (id, email, name, role, status, password_hash, locale, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)", args: [t.adminId, `admin@${t.slug}.example.cn`, "王局长", "admin", "active", passwordHash, "zh-CN", stamp, stamp] as never[] },
        { sql: "INSERT INTO audit_log (id, actor_id, action, entity_type, entity_id, at) VALUES (?,?,?,?,?,?)", args: [newId("aud", Date.now()), t.adminId, "tenant.created", "tenant", t.id, stamp] as never[] },
      ];
    };
    const made = await createTenantsFromTemplate(built.ports.control, built.dataDir, count, seed, (done) => done % 500 === 0 && log(`  ${fmtInt(done)} tenants`));
    built.close();
    const now = new Date();
    const tokens = await Promise.all(made.map((t) => signAccessToken(BENCH_JWT_SECRET, { memberId: t.adminId, tenantId: t.id, role: "admin", sessionVersion: 0 }, now, 7200)));

    const server = await startProductServer(env);
    try {
      // Baseline after one request, so start-up and first-request compilation are in "before".
      await touchAll(server.appUrl, tokens.slice(0, 1), 1);
      const before = await server.stats();
      log(`memory: before ${describeStats(before)}`);
      const first = await touchAll(server.appUrl, tokens, 4);
      const after = await server.stats();
      log(`memory: after ${describeStats(after)}`);
      const second = await touchAll(server.appUrl, tokens, 4);
      const again = await server.stats();
      log(`memory: after a second pass ${describeStats(again)}`);
      const { TENANT_DB_CACHE: cache, FILE_DB_DRIVER: driver } = parseEnv(nodeEnvSchema, env);
      const failures = first.failures + second.failures;
      return [
        {
          part: "6 memory",
          case: `Node RSS (npm start's server), touching ${fmtInt(count)} tenants (GET /v1/me each)`,
          result: `${fmtMiB(before.rss)} → ${fmtMiB(after.rss)} (+${fmtMiB(after.rss - before.rss)})`,
          // The LRU bounds what stays open, so growth is per open database, not per tenant touched.
          relative: `≈ ${((after.rss - before.rss) / Math.max(1, after.openTenantDatabases - before.openTenantDatabases) / 1024).toFixed(0)} KiB per open tenant DB`,
          note: `heap ${fmtMiB(before.heapUsed)} → ${fmtMiB(after.heapUsed)}; second pass: RSS ${fmtMiB(again.rss)}, heap ${fmtMiB(again.heapUsed)}; after gc()`,
        },
        {
          part: "6 memory",
          case: "open handles (tenant DB LRU · process fds)",
          result: `${before.openTenantDatabases} → ${after.openTenantDatabases} DBs · ${before.openFds} → ${after.openFds} fds`,
          relative: `TENANT_DB_CACHE=${cache}, FILE_DB_DRIVER=${driver}`,
          note: `second pass: ${again.openTenantDatabases} DBs, ${again.openFds} fds; libuv resources ${before.activeResources} → ${after.activeResources}`,
        },
        {
          part: "6 memory",
          case: `first request to each cold tenant (4 in flight)`,
          result: `${fmtInt(count / (first.ms / 1000))} req/s · p50 ${fmtMs(percentile(first.times, 50))} · p99 ${fmtMs(percentile(first.times, 99))}`,
          relative: `second pass ${fmtInt(count / (second.ms / 1000))} req/s (tenant facts cached, files reopened: ${fmtInt(count)} > LRU ${cache})`,
          note: `opens the file, reads the control DB once per tenant (directory cache miss)${failures ? `; ${failures} non-200` : ""}`,
        },
      ];
    } finally {
      await server.close();
    }
  } finally {
    dir.remove();
  }
}
