import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { CONSOLE_HEADERS } from "../../http/console-csp.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".txt"]);

interface Loaded {
  body: Buffer;
  gzipped?: Buffer;
  type: string;
  mtimeMs: number;
}

/**
 * The console's files for the Node server, as Workers static assets serve them: a file when it
 * exists, index.html for any other page path (the console routes in the browser), 404 for a
 * missing file under /assets/. Gzipped once and kept in memory (the console is a few hundred KB).
 */
export function consoleFiles(dir: string) {
  const cache = new Map<string, Loaded>();

  async function load(path: string): Promise<Loaded | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit;
    const ext = extname(path);
    const body = await readFile(path);
    const loaded: Loaded = { body, type: TYPES[ext] ?? "application/octet-stream", mtimeMs: info.mtimeMs, gzipped: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined };
    cache.set(path, loaded);
    return loaded;
  }

  return async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405, headers: { Allow: "GET, HEAD" } });
    const { pathname } = new URL(request.url);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return new Response("Bad Request", { status: 400 });
    }
    const relative = normalize(decoded).replace(/^[/\\]+/, "");
    const isFileRequest = relative !== "" && !relative.startsWith("..") && !relative.split(sep).some((part) => part.startsWith(".") || part === "_headers");
    const file = isFileRequest ? await load(join(dir, relative)) : undefined;
    if (!file && (pathname.startsWith("/assets/") || extname(pathname) !== "")) return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", ...CONSOLE_HEADERS } });
    const served = file ?? (await load(join(dir, "index.html")));
    if (!served) return new Response("The console is not built: run `npm run build:console`.", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });

    const headers = new Headers({ "Content-Type": served.type, ...CONSOLE_HEADERS, Vary: "Accept-Encoding" });
    headers.set("Cache-Control", pathname.startsWith("/assets/") && file ? "public, max-age=31536000, immutable" : "no-cache");
    const gzip = served.gzipped && /\bgzip\b/.test(request.headers.get("Accept-Encoding") ?? "");
    if (gzip) headers.set("Content-Encoding", "gzip");
    const body = gzip ? served.gzipped! : served.body;
    headers.set("Content-Length", String(body.length));
    return new Response(request.method === "HEAD" ? null : new Uint8Array(body), { status: 200, headers });
  };
}
