// Issue #11: no source file over 300 lines in app/ and web/src, so each file keeps one job. Generated files,
// message catalogs (the words in each language) are exempt; the lint script runs this check.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const MAX_LINES = 300;
const ROOTS = ["app", "web/src"];
const SOURCE = /\.(ts|tsx|mjs|js)$/;
/** Generated files and message catalogs. */
const EXEMPT = [/\/generated\//, /^web\/src\/i18n\//, /^app\/http\/views\/i18n\.ts$/];

const root = new URL("..", import.meta.url).pathname;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (SOURCE.test(entry.name)) yield path;
  }
}

const tooLong = [];
for (const top of ROOTS) {
  for (const path of files(join(root, top))) {
    const name = relative(root, path);
    if (EXEMPT.some((pattern) => pattern.test(name))) continue;
    const text = readFileSync(path, "utf8");
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > MAX_LINES) tooLong.push(`${name}: ${lines} lines`);
  }
}

if (tooLong.length > 0) {
  console.error(`Files over ${MAX_LINES} lines (split them by job, issue #11):\n  ${tooLong.join("\n  ")}`);
  process.exit(1);
}
