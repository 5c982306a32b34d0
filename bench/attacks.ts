// Part 15: the public doors under attack (issue 10 §2), with figures. Its own server child (file DBs,
// TRUST_PROXY=cloudflare so each simulated client names its address in CF-Connecting-IP, as behind
// Cloudflare). Three cases, about a minute together:
//   a 32-way login flood against tenant A (wrong passwords, half on A's admin, half on made-up
//   accounts, 32 addresses) while another tenant's GET /v1/tasks is timed, beside the same reads unloaded;
//   the password-reset answer for a member's email against a stranger's (timing must not tell them apart);
//   a signup flood from one address and from many.
import { BENCH_PASSWORD, benchEnv, fmtMs, log, percentile, type Row, tempDir } from "./support.js";
import { startServerChild } from "./server.js";

const FLOOD_SECONDS = 10;
const WORKERS = 32;

async function post(url: string, body: unknown, ip: string) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

async function signUp(base: string, slug: string, ip: string) {
  const res = await fetch(`${base}/v1/tenants`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ slug, name: "某市住建局", admin: { email: `admin@${slug}.example.cn`, name: "王局长", password: BENCH_PASSWORD } }),
  });
  const body = (await res.json()) as { accessToken: string };
  if (res.status !== 201) throw new Error(`signup ${slug}: ${res.status}`);
  return { ...body, slug, email: `admin@${slug}.example.cn` };
}

/** Times `count` sequential authenticated reads. */
async function timedReads(url: string, token: string, until: () => boolean, max = 2000) {
  const times: number[] = [];
  while (!until() && times.length < max) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`read: ${res.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}

const count = (statuses: number[]) => Object.entries(statuses.reduce<Record<number, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {})).map(([s, n]) => `${n}× ${s}`).join(", ");

export async function attacksBench(): Promise<Row[]> {
  const dir = tempDir("attacks");
  const server = await startServerChild(benchEnv(dir.path, { TRUST_PROXY: "cloudflare" }));
  const rows: Row[] = [];
  try {
    const base = server.appUrl;
    const a = await signUp(base, "attack-a", "198.51.100.1");
    const b = await signUp(base, "attack-b", "198.51.100.2");
    const tasks = `${base}/v1/tasks`;

    // 1. Another tenant's reads, unloaded, then under a 32-way login flood on tenant A.
    await timedReads(tasks, b.accessToken, () => false, 50);
    let n = 0;
    const calm = await timedReads(tasks, b.accessToken, () => ++n > 300);
    log(`attacks: ${WORKERS}-way login flood for ${FLOOD_SECONDS} s`);
    const end = Date.now() + FLOOD_SECONDS * 1000;
    const statuses: number[] = [];
    const flood = Array.from({ length: WORKERS }, async (_, w) => {
      for (let i = 0; Date.now() < end; i++) {
        const email = w % 2 === 0 ? a.email : `guess${w}-${i}@attack-a.example.cn`;
        statuses.push(await post(`${base}/v1/auth/login`, { tenant: a.slug, email, password: `Wrong-guess-${w}-${i}` }, `203.0.113.${w + 1}`));
      }
    });
    const loaded = await timedReads(tasks, b.accessToken, () => Date.now() >= end);
    await Promise.all(flood);
    // The real admin, from their own address, right after the flood.
    const own = await post(`${base}/v1/auth/login`, { tenant: a.slug, email: a.email, password: BENCH_PASSWORD }, "198.51.100.1");
    rows.push({
      part: "15 attacks",
      case: `tenant B GET /v1/tasks during a ${WORKERS}-way login flood on tenant A (${FLOOD_SECONDS} s, ${WORKERS} addresses)`,
      result: `p50 ${fmtMs(percentile(loaded, 50))} · p95 ${fmtMs(percentile(loaded, 95))}`,
      relative: `unloaded p50 ${fmtMs(percentile(calm, 50))} · p95 ${fmtMs(percentile(calm, 95))}`,
      note: `${statuses.length} login attempts answered ${count(statuses)}; A's admin from their own address afterwards: ${own}`,
    });

    // 2. Password reset: a member's email against a stranger's, interleaved, distinct addresses (under the per-client limits).
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 120; i++) {
      for (const [email, into] of [[b.email, known], [`nobody${i}@attack-b.example.cn`, unknown]] as const) {
        const t0 = performance.now();
        const status = await post(`${base}/v1/auth/password-reset`, { tenant: b.slug, email }, `192.0.2.${(i % 250) + 1}`);
        into.push(performance.now() - t0);
        if (status !== 202) throw new Error(`reset: ${status}`);
      }
    }
    rows.push({
      part: "15 attacks",
      case: "POST /v1/auth/password-reset: a member's email vs a stranger's (120 each, interleaved)",
      result: `member p50 ${fmtMs(percentile(known, 50))} · stranger p50 ${fmtMs(percentile(unknown, 50))}`,
      relative: `gap ${fmtMs(Math.abs(percentile(known, 50) - percentile(unknown, 50)))} (p95 ${fmtMs(percentile(known, 95))} vs ${fmtMs(percentile(unknown, 95))})`,
      note: "answered 202 before any lookup; the email (at most 3 an hour per account) goes out in the background",
    });

    // 3. Signup flood: 40 from one address, then 40 from 40 addresses, 8 at a time.
    for (const [label, ipOf] of [["one address", () => "198.51.100.77"], ["40 addresses", (i: number) => `100.64.0.${i + 1}`]] as const) {
      const results: number[] = [];
      const t0 = performance.now();
      for (let batch = 0; batch < 5; batch++) {
        results.push(...(await Promise.all(Array.from({ length: 8 }, (_, k) => {
          const i = batch * 8 + k;
          const slug = `flood-${label.startsWith("one") ? "one" : "many"}-${i}`;
          return post(`${base}/v1/tenants`, { slug, name: "冒名单位", admin: { email: `x@${slug}.example.cn`, name: "某人", password: BENCH_PASSWORD } }, ipOf(i));
        }))));
      }
      rows.push({
        part: "15 attacks",
        case: `signup flood: 40 POST /v1/tenants from ${label}, 8 at a time`,
        result: count(results),
        relative: `${fmtMs(performance.now() - t0)} in all`,
        note: "each accepted one is unconfirmed: it sends no email but the confirmation, invites nobody, and is removed after 7 days",
      });
    }
  } finally {
    await server.close();
    dir.remove();
  }
  return rows;
}
