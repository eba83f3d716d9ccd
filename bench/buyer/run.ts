import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import autocannon from "autocannon";

import { freePort } from "../lib/app-env";
import { readCpuMs } from "../lib/processes";
import { summarizeProfile } from "./profile-summary";

/**
 * `npm run bench:buyer [-- --duration 10 --connections 50 --sessions 200 --rounds 2 --profile]`
 *
 * The buyer page, GET /pay/:token, against a static server of the same bytes, both on 127.0.0.1:
 *   1. starts the app as `npm start` runs it (sandbox mode, SQLite, its own DATA_DIR, logs at warn),
 *      and opens --sessions checkouts through the Shopify simulator, each with its own CIP and page;
 *   2. starts bench/buyer/static-server.ts with one of those pages, precompressed, same headers;
 *   3. alternates autocannon runs (app, static, app, static...) of --duration seconds with --connections
 *      connections, each connection cycling through every session's page, asking for br/gzip like Chrome.
 * Ends with one line: `buyer-page: ratio R (target 0.3), p99 X ms (target 20)`. With --profile the app
 * runs under `node --cpu-prof` and the heaviest functions are listed. Bounded: the whole run stops
 * after five minutes.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET = { ratio: 0.3, p99Ms: 20 };
const BUDGET_MS = 5 * 60 * 1000;

interface Options {
  duration: number;
  connections: number;
  sessions: number;
  rounds: number;
  profile: boolean;
}

interface Run {
  rps: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
  bytesPerRequest: number;
  /** CPU (user + system) the server process spent per answered request, from /proc; null where unknown. */
  cpuMsPerRequest: number | null;
}

function options(): Options {
  const args = process.argv.slice(2);
  const num = (name: string, fallback: number) => {
    const index = args.indexOf(`--${name}`);
    const value = index >= 0 ? Number(args[index + 1]) : NaN;
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    duration: num("duration", 10),
    connections: num("connections", 50),
    sessions: num("sessions", 200),
    rounds: num("rounds", 2),
    profile: args.includes("--profile"),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const killer = setTimeout(() => {
    console.error("buyer bench: five-minute budget spent, stopping");
    process.exit(2);
  }, BUDGET_MS);
  killer.unref();
  const work = mkdtempSync(path.join(tmpdir(), "pe-bench-buyer-"));
  const children: ChildProcess[] = [];
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const profileDir = path.join(work, "profile");
    const mtlsPort = await freePort();
    const startApp = (profile: boolean) => {
      const child = spawn(
        process.execPath,
        [...(profile ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []), "--import", "tsx", path.join(root, "app/main.ts")],
        {
          cwd: root,
          env: {
            ...process.env,
            APP_MODE: "sandbox",
            PORT: String(port),
            HOST: "127.0.0.1",
            APP_URL: base,
            MTLS_HOST: "127.0.0.1",
            MTLS_PORT: String(mtlsPort),
            DATA_DIR: path.join(work, "data"),
            DATABASE_URL: "",
            LOG_LEVEL: "warn",
            SCHEDULER_ENABLED: "false",
          },
          stdio: ["ignore", "inherit", "inherit"],
        },
      );
      children.push(child);
      return child;
    };
    // Setup in one process (checkouts, CIPs), measurement in a fresh one on the same data, so the
    // profile and the heap hold only the buyer page's work.
    const setupApp = startApp(false);
    log(`app starting on ${base} (DATA_DIR ${work})`);
    const paths = await openCheckouts(base, opts.sessions);
    log(`${paths.length} sessions, each with a CIP; restarting the app for the measurement`);
    setupApp.kill("SIGTERM");
    await exited(setupApp);
    const app = startApp(opts.profile);
    await waitForPage(`${base}${paths[0]}`);

    const sample = await fetch(`${base}${paths[0]}`);
    const html = await sample.text();
    if (!html.includes('data-state="pending"')) throw new Error("the sample page is not a pending code's page");
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "content-security-policy", "cache-control", "referrer-policy", "x-content-type-options", "vary"]) {
      const value = sample.headers.get(name);
      if (value) headers[name] = value;
    }
    writeFileSync(path.join(work, "page.html"), html);
    writeFileSync(path.join(work, "headers.json"), JSON.stringify(headers));
    const staticServer = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/buyer/static-server.ts"), path.join(work, "page.html"), path.join(work, "headers.json"), String(await freePort())], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(staticServer);
    const staticPort = await firstJsonLine<{ port: number }>(staticServer);
    const staticBase = `http://127.0.0.1:${staticPort.port}`;
    log(`static server on ${staticBase}; page ${html.length} bytes uncompressed`);

    // Warm both (JIT, caches), then alternate.
    await measure(base, paths, { ...opts, duration: 2 });
    await measure(staticBase, paths, { ...opts, duration: 2 });
    const appRuns: Run[] = [];
    const staticRuns: Run[] = [];
    for (let round = 1; round <= opts.rounds; round++) {
      const a = await measure(base, paths, opts, app.pid);
      appRuns.push(a);
      log(`round ${round} app:    ${fmtRun(a)}`);
      const s = await measure(staticBase, paths, opts, staticServer.pid);
      staticRuns.push(s);
      log(`round ${round} static: ${fmtRun(s)}`);
    }
    const bad = appRuns.reduce((n, r) => n + r.non2xx + r.errors, 0);
    if (bad > 0) throw new Error(`${bad} app responses were not 2xx or failed`);
    const appRps = median(appRuns.map((r) => r.rps));
    const staticRps = median(staticRuns.map((r) => r.rps));
    const p99 = Math.max(...appRuns.map((r) => r.p99));
    const ratio = appRps / staticRps;

    if (opts.profile) {
      app.kill("SIGTERM");
      await exited(app);
      // One profile per thread (tsx runs a loader thread); the main thread's is the largest.
      const file = readdirSync(profileDir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .sort((a, b) => statSync(path.join(profileDir, b)).size - statSync(path.join(profileDir, a)).size)[0];
      if (file) {
        log(`CPU profile: ${path.join(profileDir, file)}`);
        for (const line of summarizeProfile(path.join(profileDir, file), root, 25)) log(`  ${line}`);
      }
    }
    console.log(
      `buyer-page: ratio ${ratio.toFixed(2)} (target ${TARGET.ratio}), p99 ${p99} ms (target ${TARGET.p99Ms}) — app ${Math.round(appRps)} req/s, static ${Math.round(staticRps)} req/s, ${Math.round(median(appRuns.map((r) => r.bytesPerRequest)))} bytes/response, CPU ${cpu(appRuns)} vs ${cpu(staticRuns)} ms/request`,
    );
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(children.map(exited));
    if (!opts.profile) rmSync(work, { recursive: true, force: true });
  }
}

async function openCheckouts(base: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 120_000;
  const paths: string[] = [];
  while (paths.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${paths.length} of ${count} checkouts opened in two minutes`);
    try {
      const response = await fetch(`${base}/sandbox/shopify/checkouts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ amount: `${100 + paths.length}.00`, currency: "PEN" }),
      });
      const body = (await response.json()) as { redirect_url?: string | null };
      // Only sessions with a CIP count (one opened while the demo shop is still being set up is rejected).
      if (response.ok && body.redirect_url && (await (await fetch(body.redirect_url)).text()).includes('data-state="pending"')) {
        paths.push(new URL(body.redirect_url).pathname);
        continue;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return paths;
}

async function waitForPage(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer 200 within a minute`);
}

async function measure(url: string, paths: string[], opts: Options, pid?: number): Promise<Run> {
  const cpuBefore = pid ? readCpuMs(pid) : null;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.duration,
    headers: { "accept-encoding": "gzip, deflate, br, zstd", accept: "text/html" },
    requests: paths.map((p) => ({ method: "GET" as const, path: p })),
  });
  const cpuAfter = pid ? readCpuMs(pid) : null;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerRequest: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
    cpuMsPerRequest: cpuAfter !== null && cpuBefore !== null && result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : null,
  };
}

function fmtRun(r: Run): string {
  return `${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${Math.round(r.bytesPerRequest)} B/response, CPU ${r.cpuMsPerRequest === null ? "?" : r.cpuMsPerRequest.toFixed(3)} ms/request, non-2xx ${r.non2xx}, errors ${r.errors}`;
}

function cpu(runs: Run[]): string {
  const known = runs.map((r) => r.cpuMsPerRequest).filter((v): v is number => v !== null);
  return known.length ? median(known).toFixed(3) : "?";
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n")[0];
      if (buffer.includes("\n") && line) resolve(JSON.parse(line) as T);
    });
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function log(message: string): void {
  console.error(`[bench:buyer] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
