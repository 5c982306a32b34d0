import type { HttpBindings } from "@hono/node-server";
import { isApiPath } from "../../http/console-csp.js";

interface Fetcher {
  fetch(request: Request, env: HttpBindings): Response | Promise<Response>;
}

/**
 * What `npm start` serves: the API's paths to the app, every other path to the console's files —
 * the same split as Workers static assets' run_worker_first (wrangler.toml).
 */
export const nodeSite = (app: Fetcher, files: (request: Request) => Promise<Response>): Fetcher => ({
  fetch: (request, env) => (isApiPath(new URL(request.url).pathname) ? app.fetch(request, env) : files(request)),
});
