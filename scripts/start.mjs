// `npm start` (`exec node scripts/start.mjs`): builds the admin panel when its bundle is missing or
// older than its sources, then runs the server (TypeScript through tsx) as a child process.
//
// Signals: npm runs the script through `sh -c`; `exec` makes this process take the shell's place,
// so the SIGINT/SIGTERM npm forwards (or a process manager sends) reach us, and we pass them on to
// the server, which shuts down gracefully (see app/lifecycle/graceful-shutdown.ts). If this process
// dies without a signal (SIGKILL, OOM), the server sees its IPC channel close and stops by itself;
// if our own parent dies, we are re-parented and stop the server the same way.
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
  if (existsSync(bin("vite"))) {
    console.log("Building the admin panel…");
    const built = spawnSync(bin("vite"), ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
    // The payment flow does not need the panel: start anyway, /admin then explains what is missing.
    if (built.status !== 0) console.error("The admin panel did not build; starting without it (see the errors above).");
  } else {
    // `npm install --omit=dev` leaves the build tools out: serve whatever web/dist holds.
    console.error("Vite is not installed (npm install --omit=dev?): the admin panel is not rebuilt; run npm run build:web where it is.");
  }
}

const server = spawn(process.execPath, ["--import", "tsx", join(root, "app/main.ts")], {
  cwd: root,
  stdio: ["inherit", "inherit", "inherit", "ipc"],
});

let forwarded = null;
const forward = (signal) => {
  forwarded = signal;
  if (server.exitCode === null && server.signalCode === null) server.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => forward(signal === "SIGHUP" ? "SIGTERM" : signal));

// Our parent (npm, a shell, a supervisor) died without signalling us: stop the server too.
const parent = process.ppid;
const orphanCheck = setInterval(() => {
  if (process.ppid !== parent) forward("SIGTERM");
}, 1000);
orphanCheck.unref();

server.on("exit", (code, signal) => {
  clearInterval(orphanCheck);
  // Exit like the server did; a server stopped by the signal we forwarded counts as a clean stop.
  if (code !== null) process.exit(code);
  process.exit(signal === forwarded ? 0 : 1);
});
