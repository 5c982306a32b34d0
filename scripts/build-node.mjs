// Bundles the Node server (src/node.ts and the reminder sweep's thread) into build/ with esbuild, so
// `npm start` runs it with plain `node`: no TypeScript loader in the server process (ADR 0024).
// `--if-stale` skips the build when every file that went into the last one is unchanged (esbuild's
// own list of inputs, hashed), so a start after a `git pull` or an edit rebuilds (~1 s) and other
// starts cost ~50 ms. Plain JavaScript so that `npm start` needs no tsx for this step either.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const NODE_BUILD_DIR = join(root, "build");
const stampFile = join(NODE_BUILD_DIR, ".inputs.sha256");

const options = {
  absWorkingDir: root,
  // The thread's file name is what src/platform/node/reminder-threads.ts looks for beside the bundle.
  entryPoints: { node: "src/node.ts", "reminder-thread": "src/platform/node/reminder-thread.ts" },
  outdir: NODE_BUILD_DIR,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Code reached only through import() (hono-openapi's converters for other schema libraries…)
  // becomes chunks that load when first used rather than at start.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // libsql loads its native addon with a computed require(): it stays in node_modules.
  external: ["libsql"],
  // Bundled CommonJS packages (nodemailer, ws…) require Node's built-ins; ESM output has no
  // `require` of its own.
  banner: { js: 'import { createRequire as __qingdanCreateRequire } from "node:module"; const require = __qingdanCreateRequire(import.meta.url);' },
  // Written beside the bundle and read only with `node --enable-source-maps` (kept off by default:
  // the maps would stay in the server's memory).
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
};

/** Everything the last build read (its inputs' contents), this script and the options. */
function inputsHash(inputs) {
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url))).update(JSON.stringify(options));
  for (const file of [...inputs].sort()) {
    const path = join(root, file);
    hash.update(file).update(existsSync(path) ? readFileSync(path) : "(missing)");
  }
  return hash.digest("hex");
}

function isFresh() {
  if (!existsSync(stampFile) || !existsSync(join(NODE_BUILD_DIR, "node.js"))) return false;
  const { inputs, hash } = JSON.parse(readFileSync(stampFile, "utf8"));
  return inputsHash(inputs) === hash;
}

export async function buildNode({ ifStale = false } = {}) {
  if (ifStale && isFresh()) return false;
  const started = Date.now();
  // Old chunks would otherwise pile up (their names carry a content hash).
  rmSync(NODE_BUILD_DIR, { recursive: true, force: true });
  mkdirSync(NODE_BUILD_DIR, { recursive: true });
  const result = await build(options);
  // reminder-threads.ts finds the thread's file relative to its own output file: it must be build/node.js,
  // not a chunk under build/chunks/.
  if (!result.metafile.outputs["build/node.js"]?.inputs["src/platform/node/reminder-threads.ts"]) throw new Error("reminder-threads.ts must be bundled into build/node.js (it looks for ./reminder-thread.js beside itself)");
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes(":"));
  writeFileSync(stampFile, JSON.stringify({ inputs, hash: inputsHash(inputs) }));
  console.log(`server built into build/ in ${Date.now() - started} ms`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildNode({ ifStale: process.argv.includes("--if-stale") });
}
