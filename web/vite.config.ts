import path from "node:path";
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = path.dirname(fileURLToPath(import.meta.url));
// `npm run dev` serves the API on :3000; the Vite dev server forwards the API and the OAuth routes to it.
const devApi = "http://localhost:3000";

/** The admin SPA, served by the app at /admin (not embedded in Shopify). No CDN: every asset is bundled. */
export default defineConfig({
  root: webRoot,
  base: "/admin/",
  plugins: [react()],
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
