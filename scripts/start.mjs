// `npm start`: builds the admin panel when its bundle is missing or older than its sources, then
// runs the server (TypeScript through tsx). Prisma clients are generated at install time.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const bin = (name) => join(root, "node_modules/.bin", name);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

if (!existsSync(join(root, "prisma/generated/sqlite/client/index.js"))) {
  const generated = spawnSync(process.execPath, [join(root, "scripts/prisma-generate.mjs")], { stdio: "inherit" });
  if (generated.status !== 0) process.exit(generated.status ?? 1);
}

// The buyer and sandbox pages' browser scripts (TypeScript in app/http/views/scripts).
const scripts = spawnSync(process.execPath, [join(root, "scripts/build-browser-scripts.mjs")], { stdio: "inherit" });
if (scripts.status !== 0) process.exit(scripts.status ?? 1);

const webSrc = join(root, "web/src");
const webIndex = join(root, "web/dist/index.html");
if (existsSync(webSrc) && (!existsSync(webIndex) || statSync(webIndex).mtimeMs < newest(webSrc))) {
  console.log("Building the admin panel…");
  const built = spawnSync(bin("vite"), ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  // The payment flow does not need the panel: start anyway, /admin then explains what is missing.
  if (built.status !== 0) console.error("The admin panel did not build; starting without it (see the errors above).");
}

const server = spawn(process.execPath, ["--import", "tsx", join(root, "app/main.ts")], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
