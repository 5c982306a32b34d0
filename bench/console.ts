// Part 10: the console (web/) on a phone. First-load JS + CSS gzipped (budget 150 KiB), time to the
// task list on a throttled slow-4G profile (budget 2.5 s), and a record with a 3 MB photo from tap
// to saved. The app runs as `npm start` does (test/e2e/support/server.ts), in Debian's Chromium at
// 390×844; each load is a fresh browser context (empty cache, no service worker yet).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { buildConsole } from "../scripts/build-console.js";
import { STRONG_PASSWORD } from "../test/support/api.js";
import { apiOf } from "../test/e2e/support/bureau.js";
import { confirmSignupFromOutbox } from "../test/e2e/support/outbox.js";
import { launchBrowser, phone } from "../test/e2e/support/browser.js";
import { type RunningApp, startApp } from "../test/e2e/support/server.js";
import { addAppendix, fmtKiB, fmtMs, log, percentile, type Row } from "./support.js";

/** Lighthouse's "slow 4G": 150 ms RTT, 1.6 Mbps down, 750 kbps up (its mobile run adds 4× CPU). */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const RUNS = 5;

async function signedInPhone(browser: Browser, app: RunningApp, slug: string, email: string): Promise<BrowserContext> {
  const login = await fetch(`${app.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json", "qingdan-session": "cookie" }, body: JSON.stringify({ tenant: slug, email, password: STRONG_PASSWORD }) });
  const cookie = /qd_refresh=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error(`login: ${login.status}`);
  const context = await phone(browser, app.url);
  await context.addCookies([{ name: "qd_refresh", value: cookie, domain: "127.0.0.1", path: "/v1/auth", httpOnly: true, secure: true, sameSite: "Strict" }]);
  return context;
}

export async function consoleBench(): Promise<Row[]> {
  await buildConsole({ ifStale: true });
  const [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  try {
    const api = apiOf(app);
    const t = await api.signUp({ name: "某市交通运输局", confirm: false });
    await confirmSignupFromOutbox(app, t.member.email);
    const branch = await api.createBranch(t.accessToken, { name: "第一支部" });
    const member = await api.addMember(t.accessToken, { branchId: branch.id, name: "钱党员" });
    const checklist = (await api.post("/v1/checklists", { title: "2026年度党务清单", kind: "party_affairs", year: 2026, branchId: branch.id }, t.accessToken)).body;
    for (let i = 1; i <= 12; i++) await api.post(`/v1/checklists/${checklist.id}/items`, { module: "组织生活", title: `第${i}项任务`, dueDate: `2026-${String(i).padStart(2, "0")}-20`, assignees: [{ type: "each_member" }] }, t.accessToken);
    await api.post(`/v1/checklists/${checklist.id}/publish`, { from: "2026-01-01" }, t.accessToken);
    // Open a session once per context: every load below restores it from the refresh cookie, as a reload does.
    const slug = t.tenant.slug;
    // A fresh cookie per context (refresh tokens rotate).
    const context = () => signedInPhone(browser, app, slug, member.email);

    // First load: what the task list needs, as the browser received it (gzip from the Node server).
    const bytes = { js: 0, css: 0 };
    {
      const ctx = await context();
      const page = await ctx.newPage();
      page.on("response", async (res) => {
        const type = res.request().resourceType();
        if (type !== "script" && type !== "stylesheet") return;
        const size = Number((await res.allHeaders())["content-length"] ?? 0);
        if (type === "script") bytes.js += size;
        else bytes.css += size;
      });
      await page.goto("/");
      await page.locator(".task-cell").first().waitFor();
      await page.waitForLoadState("networkidle");
      await ctx.close();
    }

    const timeToList = async (cpuRate: number) => {
      const runs: { ms: number; timings: Timings }[] = [];
      for (let run = 0; run < RUNS; run++) {
        const ctx = await context();
        const page = await ctx.newPage();
        const cdp = await ctx.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
        if (cpuRate > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuRate });
        const started = performance.now();
        await page.goto("/", { waitUntil: "commit" });
        await page.locator(".task-cell").first().waitFor({ timeout: 60_000 });
        runs.push({ ms: performance.now() - started, timings: await page.evaluate<Timings>(TIMINGS) });
        await ctx.close();
      }
      const median = percentile(runs.map((r) => r.ms), 50);
      return { median, run: runs.reduce((a, b) => (Math.abs(b.ms - median) < Math.abs(a.ms - median) ? b : a)) };
    };
    const load = loadavg()[0]!;
    const { median: slow4g, run: medianRun } = await timeToList(1);
    const { median: slow4gCpu } = await timeToList(4);
    addAppendix(waterfall(medianRun.ms, medianRun.timings, load));

    // A record with a 3 MB camera photo: pick → compressed on the phone, then tap 保存 → shown as saved.
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto("/");
    await page.locator(".task-cell").first().tap();
    await page.getByRole("button", { name: "添加记录" }).tap();
    const photo = join(app.dataDir, "camera.jpg");
    writeFileSync(photo, Buffer.from(await page.evaluate<string>(NOISY_JPEG), "base64"));
    const photoBytes = (await import("node:fs")).statSync(photo).size;
    await page.getByLabel("做了什么").fill("现场检查");
    const picked = performance.now();
    await page.locator("input[type=file]").setInputFiles(photo);
    await page.locator(".picked img").first().waitFor();
    const compressed = performance.now();
    await page.getByRole("button", { name: "保存记录" }).tap();
    await page.locator(".record .photo-grid img").first().waitFor();
    const saved = performance.now();
    // What the phone sent: the file as stored.
    const uploaded = (await api.get(`/v1/tasks/${page.url().split("/").pop()}`, member.accessToken)).body.records[0].files[0].size as number;
    await ctx.close();

    log(`console: first load ${fmtKiB(bytes.js)} JS + ${fmtKiB(bytes.css)} CSS; slow 4G ${fmtMs(slow4g)} (4× CPU ${fmtMs(slow4gCpu)}); photo ${fmtKiB(photoBytes)} → ${fmtKiB(uploaded)}`);
    return [
      { part: "10 console", case: "first load, task list: JS + CSS gzipped", result: fmtKiB(bytes.js + bytes.css), relative: `budget 150 KiB`, note: `JS ${fmtKiB(bytes.js)}, CSS ${fmtKiB(bytes.css)} (Node's gzip); Vant's icon font (≈30 KiB woff2) is a separate, cached file` },
      { part: "10 console", case: "time to the task list, slow 4G (150 ms RTT, 1.6 Mbps)", result: fmtMs(slow4g), relative: "budget 2.5 s", note: `median of ${RUNS} cold loads incl. session refresh and /v1/tasks, load average ${load.toFixed(1)} when they began; with 4× CPU slowdown ${fmtMs(slow4gCpu)}; waterfall in the appendix` },
      { part: "10 console", case: `record with a ${(photoBytes / 1024 / 1024).toFixed(1)} MB photo: pick → compressed`, result: fmtMs(compressed - picked), relative: "", note: `in the browser (browser-image-compression, no worker): ${fmtKiB(photoBytes)} → ${fmtKiB(uploaded)}` },
      { part: "10 console", case: "record with that photo: tap 保存 → saved", result: fmtMs(saved - compressed), relative: "", note: `upload (POST /v1/files) + record, loopback; tap to saved incl. compression ${fmtMs(saved - picked)}` },
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}

interface Timings {
  nav: { responseEnd: number; domContentLoaded: number };
  resources: { name: string; start: number; firstByte: number; end: number; bytes: number }[];
}
/** The page's own clock (ms from navigation start): its navigation and resource timing entries, same origin so every phase is there. */
const TIMINGS = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    nav: { responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd },
    resources: performance.getEntriesByType("resource").map((r) => ({ name: r.name.replace(location.origin, ""), start: r.startTime, firstByte: r.responseStart, end: r.responseEnd, bytes: r.encodedBodySize })),
  };
})()`;

/** Where the median cold load's time went: each request from asked to first byte to done, as the phone saw it. */
function waterfall(ms: number, t: Timings, load: number): string {
  const rows = t.resources.sort((a, b) => a.start - b.start).map((r) => `| ${r.name.replace(/\?.*/, (q) => q.slice(0, 30))} | ${r.start.toFixed(0)} | ${r.firstByte.toFixed(0)} | ${r.end.toFixed(0)} | ${fmtKiB(r.bytes)} |`);
  return [
    `## 10 console: the median slow-4G cold load (${fmtMs(ms)}, load average ${load.toFixed(1)})`,
    "",
    `Times in ms from navigation start (Resource Timing). The page (index.html) arrived at ${t.nav.responseEnd.toFixed(0)}; the entry had run (DOMContentLoaded) at ${t.nav.domContentLoaded.toFixed(0)}. The serial chain is page → entry script → session refresh → /v1/tasks.`,
    "",
    "| request | asked | first byte | done | body (gzipped) |",
    "|---|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

/** A 3 MB-ish camera-like JPEG (noise compresses badly, as real detail does), drawn by Chromium. */
const NOISY_JPEG = `(async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 3000;
  canvas.height = 2250;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(3000, 2250);
  let seed = 7;
  for (let i = 0; i < img.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = seed & 0xff;
    img.data[i] = 120 + (n >> 1);
    img.data[i + 1] = 80 + ((n * 3) & 0x7f);
    img.data[i + 2] = 60 + ((n * 7) & 0x7f);
    img.data[i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  const blob = await new Promise((r) => canvas.toBlob(r, "image/jpeg", 0.85));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
})()`;

if (process.argv[1]?.endsWith("console.ts")) console.table(await consoleBench());
