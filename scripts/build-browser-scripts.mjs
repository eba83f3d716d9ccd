// Compiles the pages' browser scripts (app/http/views/scripts/*.ts, type-checked by
// tsconfig.browser.json) into dist/browser/*.js: one minified IIFE each, for old phone browsers.
// The server inlines them under a CSP hash (app/http/views/browser-scripts.ts). `npm start`,
// `npm test`, `npm run dev` and the vitest global setup run this first; it takes milliseconds.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
export const SOURCE_DIR = join(root, "app/http/views/scripts");
export const OUT_DIR = join(root, "dist/browser");

export async function buildBrowserScripts() {
  const entryPoints = readdirSync(SOURCE_DIR)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(SOURCE_DIR, name));
  await build({
    entryPoints,
    outdir: OUT_DIR,
    bundle: true,
    format: "iife",
    platform: "browser",
    // Older phone browsers (Chrome 70, Safari 13 era) are still common among shoppers.
    target: ["es2018", "safari13", "chrome70"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBrowserScripts();
}
