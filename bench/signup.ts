// Part 2: signup latency (register, provision the tenant's file, migrate, first admin, tokens),
// one at a time through the real route on the server child. PBKDF2 is timed on its own beside it,
// since one hash at 100,000 iterations is part of every signup.
import { hashPassword } from "../src/platform/crypto.js";
import { signUpOverHttp } from "./fixtures.js";
import type { ServerChild } from "./server.js";
import { fmtMs, log, percentile, type Row } from "./support.js";

export async function signupBench(server: ServerChild, count: number): Promise<Row[]> {
  log(`signup: ${count} sequential signups`);
  await signUpOverHttp(server.appUrl, "bench-signup-warmup");
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await signUpOverHttp(server.appUrl, `bench-signup-${String(i).padStart(4, "0")}`);
    times.push(performance.now() - started);
  }
  const hashes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await hashPassword("Qingdan-2026-bench");
    hashes.push(performance.now() - started);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return [
    {
      part: "2 signup",
      case: `POST /v1/tenants × ${count} (sequential)`,
      result: `p50 ${fmtMs(percentile(times, 50))} · p95 ${fmtMs(percentile(times, 95))}`,
      relative: `max ${fmtMs(Math.max(...times))} · mean ${fmtMs(mean)}`,
      note: `of which one PBKDF2-SHA256 100k hash ≈ ${fmtMs(percentile(hashes, 50))} (median of 5, bench process); file tenant DB, bundled migrations`,
    },
  ];
}
