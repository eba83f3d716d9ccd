import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const webRoot = path.dirname(fileURLToPath(import.meta.url));
// `npm run dev` serves the API on :3000; the Vite dev server forwards the API and the OAuth routes to it.
const devApi = "http://localhost:3000";

/**
 * Writes `<file>.br` and `<file>.gz` next to every compressible file of the build, at maximum
 * compression (done once here instead of on every request); the server sends them to browsers that
 * accept them (app/http/admin/precompressed.ts). Files under 1 KB are not worth it.
 */
function precompress(): Plugin {
  const compressible = /\.(js|mjs|css|html|svg|json|txt|map)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? walk(file) : [file];
    });
  return {
    name: "precompress",
    apply: "build",
    closeBundle() {
      const outDir = path.join(webRoot, "dist");
      for (const file of walk(outDir)) {
        if (!compressible.test(file)) continue;
        const raw = readFileSync(file);
        if (raw.length < 1024) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

/** The admin SPA, served by the app at /admin (not embedded in Shopify). No CDN: every asset is bundled. */
export default defineConfig({
  root: webRoot,
  base: "/admin/",
  plugins: [react(), precompress()],
  build: {
    outDir: path.join(webRoot, "dist"),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    // Polaris' component library is one large, cacheable chunk of its own.
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes("node_modules/@shopify/polaris-icons")) return "polaris-icons";
          // Charts only load with the settlements page, not on every page.
          if (id.includes("node_modules/@shopify/polaris-viz")) return "polaris-viz";
          if (id.includes("node_modules/@shopify/polaris")) return "polaris";
          if (id.includes("node_modules/react") || id.includes("node_modules/scheduler")) return "react";
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": devApi,
      "/auth": devApi,
    },
  },
});
