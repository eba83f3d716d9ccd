import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin, type Rollup } from "vite";

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
      // closeBundle also runs after a failed build, which wrote nothing: let that build's own error show.
      if (!existsSync(outDir)) return;
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

/**
 * Each route's page module (the lazy imports of src/app/page-outlet.tsx, keyed by the route names of
 * src/router/routes.ts). The build fails if one of them is no longer in the bundle.
 */
const ROUTE_PAGES: Record<string, string> = {
  home: "src/pages/home-page.tsx",
  settings: "src/pages/settings/settings-page.tsx",
  payments: "src/pages/payments/payments-page.tsx",
  payment: "src/pages/payment-detail/payment-detail-page.tsx",
  refunds: "src/pages/refunds/refunds-page.tsx",
  reconciliation: "src/pages/reconciliation/reconciliation-page.tsx",
  settlements: "src/pages/settlements/settlements-page.tsx",
  deadLetters: "src/pages/dead-letters/dead-letters-page.tsx",
};

/**
 * Writes dist/route-preloads.json: for each route, the chunks (and CSS) of its page that the entry does not
 * already load. The server names them in index.html (app/http/admin/route-preloads.ts) so the browser fetches
 * the page's code alongside the entry instead of after it: index.html, then the code, then the data.
 */
function routePreloads(): Plugin {
  return {
    name: "route-preloads",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((o): o is Rollup.OutputChunk => o.type === "chunk");
      const closure = (start: Rollup.OutputChunk) => {
        const files = new Set<string>();
        const css = new Set<string>();
        const visit = (chunk: Rollup.OutputChunk) => {
          if (files.has(chunk.fileName)) return;
          files.add(chunk.fileName);
          for (const file of chunk.viteMetadata?.importedCss ?? []) css.add(file);
          for (const name of chunk.imports) {
            const next = bundle[name];
            if (next?.type === "chunk") visit(next);
          }
        };
        visit(start);
        return { files, css };
      };
      const entry = chunks.find((c) => c.isEntry);
      if (!entry) return this.error("route-preloads: no entry chunk");
      const loaded = closure(entry);
      const routes: Record<string, { modules: string[]; css: string[] }> = {};
      for (const [route, page] of Object.entries(ROUTE_PAGES)) {
        // The chunk that holds the page module (its facade, or one it shares with what only that page uses).
        const chunk = chunks.find((c) => c.moduleIds.some((id) => path.relative(webRoot, id) === page));
        if (!chunk) return this.error(`route-preloads: route ${route}'s page ${page} is in no chunk (see ROUTE_PAGES)`);
        const { files, css } = closure(chunk);
        routes[route] = { modules: [...files].filter((f) => !loaded.files.has(f)), css: [...css].filter((f) => !loaded.css.has(f)) };
      }
      this.emitFile({ type: "asset", fileName: "route-preloads.json", source: `${JSON.stringify({ base: "/admin/", routes }, null, 2)}\n` });
    },
  };
}

/** The admin SPA, served by the app at /admin (not embedded in Shopify). No CDN: every asset is bundled. */
export default defineConfig({
  root: webRoot,
  base: "/admin/",
  plugins: [react(), routePreloads(), precompress()],
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
