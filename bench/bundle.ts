// Part 5: the Worker bundle's size, from `npm run build` (wrangler's offline dry run), whose last
// line reads "Worker bundle dist/worker.js: 466.0 KiB raw, 100.0 KiB gzipped". If the build fails,
// the dist/ file left by an earlier build is measured instead and the row says so.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { fmtKiB, log, type Row, tempDir } from "./support.js";

const run = promisify(execFile);
const LAST_LINE = /Worker bundle (\S+): ([\d.]+) KiB raw, ([\d.]+) KiB gzipped/;

export function parseBuildLine(output: string): { file: string; rawKiB: number; gzipKiB: number } | null {
  const lines = output.trim().split("\n").filter((l) => LAST_LINE.test(l));
  const m = lines.length ? LAST_LINE.exec(lines[lines.length - 1]!) : null;
  return m ? { file: m[1]!, rawKiB: Number(m[2]), gzipKiB: Number(m[3]) } : null;
}

const WRANGLER_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };

/**
 * What takes the room: a second dry run into a temp dir with esbuild's metafile, summed per
 * package (bytes each contributes to the minified output). Best effort: null if it fails.
 */
export async function largestInputs(top = 4): Promise<{ name: string; bytes: number; via: string }[] | null> {
  const dir = tempDir("bundle");
  try {
    await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", dir.path, "--metafile", `${dir.path}/meta.json`], { cwd: process.cwd(), env: { ...process.env, ...WRANGLER_ENV }, maxBuffer: 16 * 1024 * 1024 });
    const meta = JSON.parse(readFileSync(`${dir.path}/meta.json`, "utf8")) as {
      inputs: Record<string, { imports: { path: string; kind: string }[] }>;
      outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
    };
    const output = Object.entries(meta.outputs).find(([name]) => name.endsWith(".js"))?.[1];
    if (!output) return null;
    const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? "(app src/)";
    const sums = new Map<string, number>();
    for (const [path, input] of Object.entries(output.inputs)) sums.set(packageOf(path), (sums.get(packageOf(path)) ?? 0) + input.bytesInOutput);
    // Who brings each package in: the first importer from outside it (and how: import or dynamic import).
    const via = (name: string) => {
      if (name === "(app src/)") return "";
      for (const [path, input] of Object.entries(meta.inputs)) {
        if (packageOf(path) === name) continue;
        const hit = input.imports.find((i) => packageOf(i.path) === name);
        if (hit) return `${packageOf(path)}${hit.kind === "dynamic-import" ? " (dynamic import)" : ""}`;
      }
      return "";
    };
    return [...sums].map(([name, bytes]) => ({ name, bytes, via: via(name) })).sort((a, b) => b.bytes - a.bytes).slice(0, top);
  } catch {
    return null;
  } finally {
    dir.remove();
  }
}

export async function bundleBench(): Promise<Row[]> {
  log("bundle: npm run build");
  const started = performance.now();
  try {
    const { stdout } = await run("npm", ["run", "--silent", "build"], {
      cwd: process.cwd(),
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, ...WRANGLER_ENV },
    });
    const parsed = parseBuildLine(stdout);
    if (!parsed) throw new Error(`no size line in the build output: ${stdout.trim().split("\n").pop()}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const largest = await largestInputs();
    const rawBytes = parsed.rawKiB * 1024;
    return [
      {
        part: "5 Worker bundle",
        case: `${parsed.file} (npm run build)`,
        result: `${parsed.rawKiB.toFixed(1)} KiB raw · ${parsed.gzipKiB.toFixed(1)} KiB gzipped`,
        relative: `${((parsed.gzipKiB / 1024 / 3) * 100).toFixed(1)}% of the free plan's 3 MB`,
        note: `wrangler deploy --dry-run (minify per wrangler.toml), static assets not included; build took ${seconds} s`,
      },
      ...(largest
        ? [
            {
              part: "5 Worker bundle",
              case: "largest inputs (esbuild metafile, minified bytes)",
              result: largest.map((l) => `${l.name} ${fmtKiB(l.bytes)}`).join(" · "),
              relative: largest.map((l) => `${((l.bytes / rawBytes) * 100).toFixed(0)}%`).join(" · "),
              note: `share of the raw bundle; brought in by: ${largest.filter((l) => l.via).map((l) => `${l.name} ← ${l.via}`).join(", ")}`,
            },
          ]
        : []),
    ];
  } catch (error) {
    const file = readdirSync("dist").find((f) => f.endsWith(".js"));
    if (!file) throw error;
    const bytes = readFileSync(`dist/${file}`);
    return [
      {
        part: "5 Worker bundle",
        case: `dist/${file} (stale: npm run build failed)`,
        result: `${fmtKiB(bytes.length)} raw · ${fmtKiB(gzipSync(bytes).length)} gzipped`,
        relative: "–",
        note: `built ${statSync(`dist/${file}`).mtime.toISOString()}; build error: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`,
      },
    ];
  }
}
