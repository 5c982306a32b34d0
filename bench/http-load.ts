// Part 1: throughput and latency of a bare Hono route, GET /v1/me and GET /v1/members?limit=50 on a
// tenant of 20,000 members, with autocannon against the server child (bench/server-child.ts).
import { createRequire } from "node:module";
import { join } from "node:path";
import { hashPassword } from "../src/platform/crypto.js";
import { seedBureau, signUpOverHttp } from "./fixtures.js";
import type { ServerChild } from "./server.js";
import { fmtInt, fmtMs, log, percentile, type Row } from "./support.js";

// autocannon ships no types; this is the part of its API used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** Every seeded member shares one hash of this (PBKDF2 is computed once, not 20,000 times). */
const BENCH_SEED_PASSWORD = "Seeded-Member-2026";

export interface LoadFigures {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/**
 * One autocannon run. Latency percentiles come from the per-response times autocannon reports
 * (sub-millisecond), not from its histogram, which rounds to whole milliseconds.
 */
export function load(url: string, seconds: number, connections: number, headers: Record<string, string> = {}): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    let times = new Float64Array(1 << 16);
    let n = 0;
    const instance = autocannon({ url, connections, duration: seconds, headers }, (err, result) => {
      if (err) return reject(err);
      resolve({
        reqPerSec: result.requests.average,
        p50: percentile(times.subarray(0, n), 50),
        p99: percentile(times.subarray(0, n), 99),
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
    });
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      if (n === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[n++] = responseTime;
    });
  });
}

export async function httpLoadBench(server: ServerChild, dataDir: string, options: { seconds: number; connections: number; members: number }): Promise<Row[]> {
  const { seconds, connections } = options;
  const signup = await signUpOverHttp(server.appUrl, "bench-load-bureau");
  const started = performance.now();
  const seeded = await seedBureau(join(dataDir, "tenants", `${signup.tenant.id}.db`), options.members, await hashPassword(BENCH_SEED_PASSWORD));
  log(`seeded ${fmtInt(seeded.members)} members and ${seeded.branches} branches in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const auth = { authorization: `Bearer ${signup.accessToken}` };
  const check = await fetch(`${server.appUrl}/v1/members?limit=50`, { headers: auth });
  const page = (await check.json()) as { data: unknown[]; nextCursor: string | null };
  if (check.status !== 200 || page.data.length !== 50 || !page.nextCursor) throw new Error(`GET /v1/members answered ${check.status} with ${page.data?.length} rows`);

  const cases = [
    { name: "bare Hono route", url: `${server.bareUrl}/bare`, headers: {} },
    { name: "GET /v1/me", url: `${server.appUrl}/v1/me`, headers: auth },
    { name: `GET /v1/members?limit=50 (${fmtInt(seeded.members + 1)} members)`, url: `${server.appUrl}/v1/members?limit=50`, headers: auth },
  ];
  const warmup = Math.max(1, Math.min(3, Math.round(seconds / 5)));
  const figures: LoadFigures[] = [];
  for (const c of cases) {
    log(`load: ${c.name} (${warmup} s warm-up, ${seconds} s measured, ${connections} connections)`);
    await load(c.url, warmup, connections, c.headers);
    figures.push(await load(c.url, seconds, connections, c.headers));
  }
  const bare = figures[0]!;
  return cases.map((c, i) => {
    const f = figures[i]!;
    const faults = f.errors + f.non2xx;
    return {
      part: "1 HTTP load",
      case: c.name,
      result: `${fmtInt(f.reqPerSec)} req/s · p50 ${fmtMs(f.p50)} · p99 ${fmtMs(f.p99)}`,
      relative: i === 0 ? "1.00× (baseline)" : `${(f.reqPerSec / bare.reqPerSec).toFixed(2)}× req/s · ${(f.p50 / bare.p50).toFixed(1)}× p50`,
      note: `${fmtInt(f.requests)} requests in ${seconds} s${faults ? ` · ${fmtInt(f.errors)} errors, ${fmtInt(f.non2xx)} non-2xx` : ""}`,
    };
  });
}
