// The peer's install for `npm run bench:peers`: Directus 11.17.4 and the Node it needs (>= 22), into a
// scratch folder, from the npm registry alone (this machine reaches no GitHub, where prebuild-install
// looks for native binaries). Kept in BENCH_PEERS_DIR when given: a second run finds it and skips it.
//  - Node 22: the registry publishes Node's own binaries as node-<platform>-<arch> (the `node`
//    package's payload), headers included (include/node), which node-gyp takes as --nodedir.
//  - directus@11.17.4 with --ignore-scripts, then only the native modules the API needs to start and
//    serve /items on SQLite, compiled with node-gyp under `nice -n 19` (the cores are shared):
//    sqlite3 (knex's driver) and isolated-vm. The latter runs Flows' "run script" operation, but
//    @directus/api's extension manager imports it when it loads, so `start` and `bootstrap` fail
//    with "Cannot find module './out/isolated_vm'" without it. argon2 and sharp ship their Linux
//    binaries in the package / as @img/* packages; nothing else with an install script is loaded.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { log } from "./support.js";

export const DIRECTUS = "11.17.4";
/** @directus/api 35 declares Node >= 22; the newest 22.x the registry had when this was written. */
export const NODE = "22.23.5";

export interface PeerInstall {
  /** The Node 22 binary that runs Directus (never the project's own Node). */
  node: string;
  /** Directus's folder (its cwd: extensions/ and uploads/ are relative to it). */
  app: string;
  /** @directus/api's CLI entry: `node <run> start` skips the `directus` wrapper's registry update check. */
  run: string;
}

/** Native modules built from source; a re-run builds one again only if Node 22 cannot load it. */
const NATIVES = ["sqlite3", "isolated-vm"];

function step(what: string, file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string; minutes: number }) {
  const fd = openSync(options.logFile, "a");
  const t0 = performance.now();
  try {
    execFileSync(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", fd, fd], timeout: options.minutes * 60_000 });
  } catch (error) {
    const tail = readFileSync(options.logFile, "utf8").trim().split("\n").slice(-12).join("\n");
    throw new Error(`${what} failed (${(error as Error).message.split("\n")[0]}); the last lines of ${options.logFile}:\n${tail}`);
  } finally {
    closeSync(fd);
  }
  log(`peers: ${what} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

function npmInstall(dir: string, spec: string, extra: string[], env: NodeJS.ProcessEnv, logFile: string) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `qingdan-peers-${spec.split("@")[0]}`, private: true }));
  step(`npm install ${spec}`, "npm", ["install", "--no-audit", "--no-fund", "--save-exact", ...extra, spec], { cwd: dir, env, logFile, minutes: 20 });
}

/** Everything the comparison needs from outside the project; returns at once when `dir` has it already. */
export function installDirectus(dir: string): PeerInstall {
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, "install.log");

  const nodePackage = `node-${process.platform}-${process.arch}`;
  const nodeHome = join(dir, "node", "node_modules", nodePackage);
  const node = join(nodeHome, "bin", "node");
  if (!existsSync(node)) npmInstall(join(dir, "node"), `${nodePackage}@${NODE}`, [], process.env, logFile);
  if (!existsSync(join(nodeHome, "include", "node", "node.h"))) throw new Error(`${nodePackage}@${NODE} has no include/node: node-gyp would fetch headers from nodejs.org`);
  // npm's scripts and node-gyp find `node` on the PATH: Node 22 first, so nothing is built for the project's Node.
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}` };

  const app = join(dir, "directus");
  const run = join(app, "node_modules", "@directus", "api", "dist", "cli", "run.js");
  if (!existsSync(run)) npmInstall(app, `directus@${DIRECTUS}`, ["--ignore-scripts"], env, logFile);

  const gyp = join(app, "node_modules", "node-gyp", "bin", "node-gyp.js");
  // npm hands its own config to what it runs (npm_config_nodedir=/usr here, Node 20's headers),
  // and node-gyp prefers that to --nodedir: set it to Node 22's, or the module loads in no Node we run.
  const gypEnv = { ...env, npm_config_nodedir: nodeHome };
  const loads = (name: string) => spawnSync(node, ["-e", `require(${JSON.stringify(name)})`], { cwd: app, stdio: "ignore" }).status === 0;
  for (const name of NATIVES) {
    if (loads(name)) continue;
    log(`peers: compiling ${name} for Node ${NODE} under nice -n 19 (once; 3–10 min each on 2 shared cores)`);
    step(`node-gyp rebuild ${name}`, "nice", ["-n", "19", node, gyp, "rebuild", "--release", "-j", "2", `--nodedir=${nodeHome}`], { cwd: join(app, "node_modules", name), env: gypEnv, logFile, minutes: 60 });
    // Loaded once here, so a broken build says so before anything is measured.
    step(`loading ${name}`, node, ["-e", `require(${JSON.stringify(name)})`], { cwd: app, env, logFile, minutes: 1 });
  }
  return { node, app, run };
}
