import { VantResolver } from "@vant/auto-import-resolver";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { createHash } from "node:crypto";
import { defineConfig, type Plugin } from "vite";

/**
 * Vant's icon font is inlined as woff2, with a fallback on a public CDN (at.alicdn.com) that the
 * CSP refuses and bureaus' networks may not reach: drop the fallback.
 */
const noCdnFonts = (): Plugin => {
  const fonts = new Map<string, Buffer>();
  return {
    name: "qingdan-no-cdn-fonts",
    transform(code, id) {
      if (!id.includes("vant") || !id.endsWith(".css")) return null;
      return (
        code
          .replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("[a-z0-9]+"\)/g, "")
          // The inlined woff2 (30 KiB gzipped) becomes its own cached file: render-blocking CSS stays small.
          .replace(/url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)/g, (_, base64: string) => {
            const bytes = Buffer.from(base64, "base64");
            const name = `/assets/vant-icon-${createHash("sha256").update(bytes).digest("hex").slice(0, 10)}.woff2`;
            fonts.set(name, bytes);
            return `url(${name})`;
          })
      );
    },
    generateBundle() {
      for (const [name, source] of fonts) this.emitFile({ type: "asset", fileName: name.slice(1), source });
    },
  };
};

/**
 * src/boot.ts as a chunk of its own, first in <head> as an async module script: it sends the session
 * refresh while the shell downloads (an inline script would do it sooner, but the CSP forbids one).
 */
const BOOT = "/src/boot.ts";
const bootScript = (): Plugin => ({
  name: "qingdan-boot-script",
  apply: "build",
  buildStart() {
    this.emitFile({ type: "chunk", id: BOOT, name: "boot" });
  },
  transformIndexHtml: {
    order: "post",
    handler(_html, ctx) {
      const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === "chunk" && c.facadeModuleId?.endsWith(BOOT));
      if (!chunk) throw new Error("boot chunk missing");
      return [{ tag: "script", attrs: { type: "module", crossorigin: true, async: true, src: `/${chunk.fileName}` }, injectTo: "head-prepend" }];
    },
  },
});

const root = new URL(".", import.meta.url).pathname;

// Built into ../public: the Workers static-assets directory, which the Node server serves as well.
export default defineConfig({
  root,
  base: "/",
  plugins: [
    vue(),
    noCdnFonts(),
    bootScript(),
    // Vant components on demand: only what the templates use ends up in the bundle.
    Components({ resolvers: [VantResolver()], dts: false }),
  ],
  build: {
    outDir: new URL("../public", import.meta.url).pathname,
    emptyOutDir: true,
    target: "es2020",
    // No inline <script> or data: module preloads: the console runs under a CSP without 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      checks: { pluginTimings: false },
      // Everything the entry imports statically in one file: on HTTP/1.1 (the Node server) a phone
      // opens six connections, and two dozen small chunks cost four queued round trips on slow 4G.
      output: { codeSplitting: { groups: [{ name: "shell", tags: ["$initial"], test: (id) => !id.endsWith(BOOT) }] } },
    },
  },
  server: { proxy: { "/v1": "http://127.0.0.1:8787", "/openapi.json": "http://127.0.0.1:8787" } },
});
