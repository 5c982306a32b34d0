import { SELF } from "cloudflare:test";
import type { Target } from "./target.js";

/**
 * The Worker itself, inside workerd, with its control and tenant databases in the local libSQL
 * server that test/support/global-setup.ts started: the production path, over HTTP.
 */
export async function startTarget(): Promise<Target> {
  return {
    runtime: "workerd",
    fetch: (path, init) => SELF.fetch(`http://qingdan.test${path}`, init),
    async close() {},
  };
}
