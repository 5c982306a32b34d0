import { existsSync } from "node:fs";
import { buildNode } from "../../../scripts/build-node.mjs";
import { CHROMIUM } from "./browser.js";

/** The journeys need the built server (as `npm start` builds it; the console is built by vitest.config.ts) and Debian's chromium (.ci/run installs it). */
export default async function setup() {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (see .ci/run), or set CHROMIUM_PATH`);
  await buildNode({ ifStale: true });
}
