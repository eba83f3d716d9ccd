import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Vitest global setup: the pages' browser scripts, compiled before any test renders a page. */
export default function setup(): void {
  const script = fileURLToPath(new URL("../../scripts/build-browser-scripts.mjs", import.meta.url));
  const result = spawnSync(process.execPath, [script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building the browser scripts failed:\n${result.stdout}\n${result.stderr}`);
}
