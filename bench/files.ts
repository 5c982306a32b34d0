// Part 11: uploads. On Node, 2 MB phone photos POSTed to the server child (real HTTP, sniffing,
// sha256, EXIF, the disk store, the row and audit row), beside writing the same bytes to disk
// (write + rename, as the store does) in the same run. On Workers, the bundled Worker in workerd
// (Miniflare, local R2) on tools/libsql-server: the workerd process's CPU time per upload, from
// /proc, beside a small authenticated GET as the floor every request pays.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { startLibsqlServer } from "../tools/libsql-server/server.js";
import { jpeg } from "../test/files/fixtures.js";
import { signUpOverHttp } from "./fixtures.js";
import { startServerChild } from "./server.js";
import { BENCH_JWT_SECRET, BENCH_PASSWORD, benchEnv, fmtMs, log, percentile, type Row, tempDir } from "./support.js";

const run = promisify(execFile);
const MB = 1024 * 1024;
const PHOTO_BYTES = 2 * MB;

const photos = (count: number, seed: number, size = PHOTO_BYTES) => Array.from({ length: count }, (_, i) => jpeg({ size, seed: seed + i, taken: "2026:05:12 09:30:00" }));

async function uploadAll(baseUrl: string, _token: string, bodies: Uint8Array[], concurrency: number, post: (body: Uint8Array) => Promise<Response>) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t0 = performance.now();
        const res = await post(body);
        if (res.status !== 201) throw new Error(`upload to ${baseUrl} answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, times };
}

async function nodeUploads(count: number): Promise<Row[]> {
  const dir = tempDir("files");
  const server = await startServerChild(benchEnv(dir.path));
  try {
    const t = await signUpOverHttp(server.appUrl, "bench-files");
    const post = (body: Uint8Array) => fetch(`${server.appUrl}/v1/files?name=${encodeURIComponent("现场照片.jpg")}`, { method: "POST", headers: { authorization: `Bearer ${t.accessToken}`, "content-type": "image/jpeg" }, body: body as BodyInit });
    await uploadAll(server.appUrl, t.accessToken, photos(3, 9000), 1, post); // warm-up
    const rows: Row[] = [];
    // The floor: the same bytes written to the same disk, one file at a time, as the store writes them.
    const raw = join(dir.path, "raw");
    mkdirSync(raw);
    const bodies = photos(count, 1);
    const t0 = performance.now();
    bodies.forEach((b, i) => {
      writeFileSync(join(raw, `${i}.part`), b);
      renameSync(join(raw, `${i}.part`), join(raw, String(i)));
    });
    const diskMBps = (count * PHOTO_BYTES) / MB / ((performance.now() - t0) / 1000);
    for (const concurrency of [1, 4]) {
      const { seconds, times } = await uploadAll(server.appUrl, t.accessToken, concurrency === 1 ? bodies : photos(count, 1000), concurrency, post);
      const mbps = (count * PHOTO_BYTES) / MB / seconds;
      rows.push({
        part: "11 files",
        case: `POST /v1/files, ${count} × 2 MB JPEG, ${concurrency} at a time (Node)`,
        result: `${mbps.toFixed(1)} MB/s · p50 ${fmtMs(percentile(times, 50))} · p95 ${fmtMs(percentile(times, 95))}`,
        relative: `${((mbps / diskMBps) * 100).toFixed(0)}% of writing the bytes to disk (${diskMBps.toFixed(0)} MB/s)`,
        note: "server child, real HTTP; each upload: read + sniff + sha256 + EXIF + write/rename + row and audit row in one batch",
      });
    }
    return rows;
  } finally {
    await server.close();
    dir.remove();
  }
}

/** CPU seconds (user + system) of a process and its descendants named workerd, from /proc. */
function workerdCpuSeconds(parent: number): number {
  const ticks = Number(process.env.CLK_TCK ?? 100);
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (name === "workerd" && Number(fields[1]) === parent) total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // A process that ended while listed.
    }
  }
  return total;
}

async function workerUploads(count: number): Promise<Row[]> {
  const dir = tempDir("files-worker");
  const authToken = "bench-libsql-token";
  const libsql = await startLibsqlServer({ dataDir: join(dir.path, "libsql"), port: 0, authToken });
  libsql.createDatabase("control");
  let mf: Miniflare | undefined;
  try {
    await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(dir.path, "dist")], { env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" }, maxBuffer: 16 * MB });
    const toml = readFileSync("wrangler.toml", "utf8");
    mf = new Miniflare({
      // The bundle as one module, listed rather than walked: its dynamic imports of absent optional
      // packages (valibot-only app, zod converters aliased away) are never taken.
      modules: [{ type: "ESModule", path: "worker.js", contents: readFileSync(join(dir.path, "dist", "worker.js"), "utf8") }],
      compatibilityDate: /compatibility_date\s*=\s*"([^"]+)"/.exec(toml)![1],
      r2Buckets: ["FILES"],
      r2Persist: join(dir.path, "r2"),
      bindings: {
        JWT_SECRET: BENCH_JWT_SECRET,
        PUBLIC_URL: "http://127.0.0.1:8787",
        CONTROL_DB_URL: libsql.databaseUrl("control"),
        CONTROL_DB_AUTH_TOKEN: authToken,
        TENANT_DB_AUTH_TOKEN: authToken,
        TENANT_DB_PROVIDER: "libsql-server",
        LIBSQL_SERVER_URL: libsql.url,
        LIBSQL_SERVER_ADMIN_TOKEN: authToken,
        LOG: "silent",
      },
    });
    const base = "http://qingdan.bench";
    const signup = await mf.dispatchFetch(`${base}/v1/tenants`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ slug: "bench-files-worker", name: "某市住建局", admin: { email: "admin@bench.example.cn", name: "王局长", password: BENCH_PASSWORD } }) });
    const text = await signup.text();
    if (signup.status !== 201) throw new Error(`worker signup: ${signup.status} ${text.slice(0, 500)}`);
    const t = JSON.parse(text) as { accessToken: string };
    const headers = { authorization: `Bearer ${t.accessToken}` };
    const post = (body: Uint8Array) => mf!.dispatchFetch(`${base}/v1/files`, { method: "POST", headers: { ...headers, "content-type": "image/jpeg" }, body }) as unknown as Promise<Response>;
    const get = () => mf!.dispatchFetch(`${base}/v1/files/usage`, { headers }) as unknown as Promise<Response>;
    await uploadAll(base, t.accessToken, photos(3, 7000), 1, post);
    for (let i = 0; i < 5; i++) await (await get()).arrayBuffer();

    const bodies = photos(count, 5000);
    const cpu0 = workerdCpuSeconds(process.pid);
    const { seconds, times } = await uploadAll(base, t.accessToken, bodies, 1, post);
    const uploadCpu = (workerdCpuSeconds(process.pid) - cpu0) / count;
    // The same route with 16 KB photos: what an upload costs whatever its size.
    const cpuSmall = workerdCpuSeconds(process.pid);
    await uploadAll(base, t.accessToken, photos(count, 6000, 16 * 1024), 1, post);
    const smallCpu = (workerdCpuSeconds(process.pid) - cpuSmall) / count;
    const gets = count * 2;
    const cpu1 = workerdCpuSeconds(process.pid);
    for (let i = 0; i < gets; i++) await (await get()).arrayBuffer();
    const getCpu = (workerdCpuSeconds(process.pid) - cpu1) / gets;
    return [
      {
        part: "11 files",
        case: `POST /v1/files, ${count} × 2 MB JPEG, one at a time (Worker in workerd)`,
        result: `${fmtMs(uploadCpu * 1000)} workerd CPU per upload · wall p50 ${fmtMs(percentile(times, 50))}`,
        relative: `16 KB photo: ${fmtMs(smallCpu * 1000)} · GET /v1/files/usage: ${fmtMs(getCpu * 1000)} CPU per request · ${((count * PHOTO_BYTES) / MB / seconds).toFixed(1)} MB/s`,
        note: "CPU of the workerd process from /proc (utime + stime), so it includes the runtime's HTTP handling and Miniflare's local R2 (an upper bound of the isolate's billed CPU); tenant DB on tools/libsql-server",
      },
    ];
  } finally {
    await mf?.dispose();
    await libsql.close();
    dir.remove();
  }
}

export async function filesBench(settings: { uploads: number }): Promise<Row[]> {
  log(`files: ${settings.uploads} uploads of 2 MB on Node, then in workerd`);
  return [...(await nodeUploads(settings.uploads)), ...(await workerUploads(settings.uploads))];
}
