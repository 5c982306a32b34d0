/**
 * The console's content security policy: no inline script, nothing from another origin.
 * Node sends it with every console file (src/platform/node/console-files.ts); for Workers static
 * assets scripts/build-console.ts writes it into public/_headers. Images may be blob: (photo
 * previews before upload) and data: (Vant's inline SVG placeholders); fonts data: (Vant's icon font).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers for every console file besides the CSP. */
export const CONSOLE_HEADERS: Record<string, string> = {
  "Content-Security-Policy": CONSOLE_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

/**
 * Paths the Worker (the API) answers; everything else is the console. wrangler.toml's
 * `run_worker_first` lists the same (a test compares them). /docs/scalar.js is a static asset.
 */
export const API_PATHS = ["/v1/*", "/openapi.json", "/docs", "/healthz"] as const;

export function isApiPath(pathname: string) {
  return API_PATHS.some((p) => (p.endsWith("/*") ? pathname.startsWith(p.slice(0, -1)) : pathname === p)) || pathname === "/docs/scalar.js";
}
