// Stands in for optional converters hono-openapi's helpers import for schema libraries we do not use
// (zod and friends): without this, esbuild bundles all of zod (about 226 KiB) into the Worker.
// Our schemas are valibot's, so nothing ever calls into these.
export {};
