// Builds the console (web/) into public/, the Workers static-assets directory that Node serves too.
// `--if-stale` skips the build when nothing that goes into it changed since the last one
// (`npm start`, `npm test` and the e2e suite call it that way). Then copies the docs page's script.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CONSOLE_HEADERS } from "../src/http/console-csp.js";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "public");
const stampFile = join(root, "node_modules/.cache/qingdan-console.sha256");

/** Everything the build reads: web/ itself, the API's types (hc<AppType>), the lock, this script. */
function inputsHash() {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(root, path)).update(readFileSync(path));
    }
  };
  walk(join(root, "web"));
  for (const file of ["package-lock.json", "scripts/build-console.ts", "src/http/console-csp.ts", "src/http/console-links.ts"]) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest("hex");
}

export async function buildConsole({ ifStale = false } = {}) {
  const hash = inputsHash();
  const fresh = existsSync(join(out, "index.html")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === hash;
  if (!(ifStale && fresh)) {
    const started = Date.now();
    const { build } = await import("vite");
    // A production build whoever calls it: under vitest NODE_ENV is "test", which Vant reads
    // (its field ids collapse to one per component type, breaking label associations).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await build({ configFile: join(root, "web/vite.config.ts"), mode: "production", logLevel: "warn" });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    writeServiceWorker(hash);
    writeHeaders();
    mkdirSync(join(root, "node_modules/.cache"), { recursive: true });
    writeFileSync(stampFile, hash);
    console.log(`console built into public/ in ${Date.now() - started} ms`);
  }
  // Scalar's browser bundle for /docs: bureaus' networks may not reach a public CDN.
  mkdirSync(join(out, "docs"), { recursive: true });
  copyFileSync(join(root, "node_modules/@scalar/api-reference/dist/browser/standalone.js"), join(out, "docs/scalar.js"));
}

/** The shell to keep offline: index.html and every file it references, plus the manifest and icons. */
function writeServiceWorker(version: string) {
  const html = readFileSync(join(out, "index.html"), "utf8");
  const referenced = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
  const shell = [...new Set(["/index.html", ...referenced])];
  const template = readFileSync(join(root, "web/sw.js"), "utf8");
  writeFileSync(join(out, "sw.js"), template.replace("__VERSION__", version.slice(0, 12)).replace("__SHELL__", JSON.stringify(shell)));
}

/** Workers static assets read _headers: the same CSP the Node server sends, and caching rules. */
function writeHeaders() {
  const common = Object.entries(CONSOLE_HEADERS).map(([k, v]) => `  ${k}: ${v}`).join("\n");
  writeFileSync(
    join(out, "_headers"),
    [`/*\n${common}`, "/assets/*\n  Cache-Control: public, max-age=31536000, immutable", "/sw.js\n  Cache-Control: no-cache", "/index.html\n  Cache-Control: no-cache", ""].join("\n\n"),
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  await buildConsole({ ifStale: process.argv.includes("--if-stale") });
}
