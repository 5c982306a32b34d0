// `npm run build`: bundles the Worker offline (no login) and prints its size, raw and gzipped.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";

// The console and the docs script are the Worker's static assets: build them first (when stale).
execFileSync("npx", ["tsx", "scripts/build-console.ts", "--if-stale"], { stdio: "inherit" });
execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "dist"], {
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
});
const file = readdirSync("dist").find((f) => f.endsWith(".js"));
const bundle = readFileSync(`dist/${file}`);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Worker bundle dist/${file}: ${kib(bundle.length)} raw, ${kib(gzipSync(bundle).length)} gzipped`);
// The budget (README): a Worker over it does not build, so CI says so before a deploy does.
const BUDGET_KIB = 250;
if (gzipSync(bundle).length > BUDGET_KIB * 1024) {
  console.error(`Worker bundle over its ${BUDGET_KIB} KiB gzipped budget`);
  process.exit(1);
}
