import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/**
 * What the browser tests share: Debian's Chromium (never a downloaded one), a fresh SPA build when
 * web/dist is missing or older than its sources, and screenshots under test-results/screenshots.
 */

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SCREENSHOT_DIR = path.join(ROOT, "test-results", "screenshots");

/** shopify-api turns bots away, and HeadlessChrome's own User-Agent counts as one. */
export const DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
export const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36";

export const PHONE = { width: 375, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumPath(): string {
  for (const candidate of [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error("Chromium not found: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH");
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

export function newContext(browser: Browser, viewport: { width: number; height: number }, locale = "es-PE"): Promise<BrowserContext> {
  const phone = viewport.width < 600;
  return browser.newContext({
    viewport,
    userAgent: phone ? PHONE_UA : DESKTOP_UA,
    locale,
    timezoneId: "America/Lima",
    acceptDownloads: true,
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
}

/** Builds the SPA when web/dist is missing or any web source is newer than the last build. */
export function ensureSpaBuilt(): void {
  const index = path.join(ROOT, "web", "dist", "index.html");
  if (existsSync(index) && newestSource() <= statSync(index).mtimeMs) return;
  const vite = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
  const result = spawnSync(process.execPath, [vite, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`vite build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

function newestSource(): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  visit(path.join(ROOT, "web", "src"));
  // The panel bundles the admin API's wire contract.
  visit(path.join(ROOT, "app", "contracts"));
  for (const file of ["web/index.html", "web/vite.config.ts"]) newest = Math.max(newest, statSync(path.join(ROOT, file)).mtimeMs);
  return newest;
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let transitions (toasts, modals, collapsibles) settle so the picture shows the state, not motion.
  await page.waitForTimeout(350);
  // Full-page pictures of a scrolled page draw the fixed top bar mid-page; start from the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
