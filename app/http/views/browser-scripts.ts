import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The pages' compiled browser scripts (sources in ./scripts, built into dist/browser by
 * scripts/build-browser-scripts.mjs). Each is read once and carries its CSP hash, so a page can
 * allow exactly that script ('sha256-…') without a per-response nonce and stay cacheable.
 */

export type BrowserScriptName = "buyer-page" | "sandbox-page";

export interface BrowserScript {
  readonly source: string;
  /** The CSP source expression for this exact text: `'sha256-<base64>'`. */
  readonly cspHash: string;
}

const OUT_DIR = new URL("../../../dist/browser/", import.meta.url);
const loaded = new Map<BrowserScriptName, BrowserScript>();

export function browserScript(name: BrowserScriptName): BrowserScript {
  const cached = loaded.get(name);
  if (cached) return cached;
  const file = fileURLToPath(new URL(`${name}.js`, OUT_DIR));
  let source: string;
  try {
    source = readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`${file} is missing: run \`node scripts/build-browser-scripts.mjs\` (npm start and npm test do it)`);
  }
  // "</script" inside the text would end the inline element early.
  if (/<\/script/i.test(source)) throw new Error(`${file} contains "</script" and cannot be inlined`);
  const script = { source, cspHash: cspHash(source) };
  loaded.set(name, script);
  return script;
}

/** The CSP hash source for an inline <script> or <style> body (CSP Level 3, "hash-source"). */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}
