// `npm test`: the whole suite on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set
// (each test file creates and drops its own database on that server); then the browser tests
// (headless Chromium) when a Chromium binary is available.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const vitest = join(root, "node_modules/.bin/vitest");
const args = process.argv.slice(2);

function run(label, command, commandArgs, env) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(join(root, "prisma/generated/sqlite/client/index.js"))) {
  run("generate Prisma clients", process.execPath, [join(root, "scripts/prisma-generate.mjs")], {});
}

const { TEST_DATABASE_URL, ...withoutPostgres } = process.env;
console.log("\n▶ unit and integration tests on SQLite");
const sqlite = spawnSync(vitest, ["run", ...args], { cwd: root, stdio: "inherit", env: withoutPostgres });
if (sqlite.status !== 0) process.exit(sqlite.status ?? 1);

if (TEST_DATABASE_URL) {
  run("unit and integration tests on PostgreSQL", vitest, ["run", ...args], { TEST_DATABASE_URL });
}

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (existsSync(join(root, "vitest.browser.config.ts")) && args.length === 0) {
  if (chromium) {
    run("browser tests (headless Chromium)", vitest, ["run", "--config", "vitest.browser.config.ts"], withoutPostgres);
  } else if (process.env.CI) {
    console.error("✖ Chromium is not installed; CI must run the browser tests (apt-get install chromium)");
    process.exit(1);
  } else {
    console.warn("⚠ Chromium not found: browser tests skipped (apt-get install chromium to run them)");
  }
}
