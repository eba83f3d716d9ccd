import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm run bench:reconcile [-- --sizes 10000,100000,1000000] [--keep]`
 *
 * For each size N: builds one shop with N paid payments and an N-line settlement CSV with a known share of
 * planted anomalies (bench/reconcile/scenario.ts), then, each in a fresh process so memory is its own:
 *   1. the app: upload store → import (streamed, batched) → reconciliation run, through the app's services;
 *      every planted anomaly must be found, and nothing else;
 *   2. the baseline: the same file into the same schema with raw better-sqlite3 and one join query.
 * Prints time, peak RSS and the ratio to the baseline. Bounded: every child has a timeout and the whole
 * benchmark stops after about ten minutes. Exits 1 if an anomaly check fails.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const TOTAL_BUDGET_MS = 10 * 60 * 1000;
/** Issue #9: at 1,000,000 lines, at most twice the raw baseline's time, peak RSS under 600 MiB. */
const TARGET = { rssBytes: 600 * 2 ** 20, ratio: 2, lines: 1_000_000 };

interface AppResult {
  seconds: number;
  /** CPU time (user + system) of the process: on a shared, busy machine the fairer comparison. */
  cpuSeconds: number;
  importSeconds: number | null;
  reconcileSeconds: number | null;
  peakRssBytes: number;
  maxRssBytes: number;
  rows: number;
  planted: number;
  found: number;
  missingCount: number;
  unexpectedCount: number;
  missing: string[];
  unexpected: string[];
}

interface BaselineResult {
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  maxRssBytes: number;
  lines: number;
  unknown: number;
  mismatched: number;
  missing: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizesArg = args[args.indexOf("--sizes") + 1];
  const sizes = args.includes("--sizes") && sizesArg ? sizesArg.split(",").map((s) => Number(s.replace(/_/g, ""))) : [10_000, 100_000, 1_000_000];
  const keep = args.includes("--keep");
  const deadline = Date.now() + TOTAL_BUDGET_MS;
  let failed = false;
  const rows: string[][] = [];

  for (const size of sizes) {
    const remaining = deadline - Date.now();
    if (remaining < 30_000) {
      log(`skipping ${fmt(size)} lines: the ten-minute budget is spent`);
      failed = true;
      continue;
    }
    const root = mkdtempSync(path.join(tmpdir(), `pe-bench-${size}-`));
    const appDir = path.join(root, "app");
    const baseDir = path.join(root, "baseline");
    mkdirSync(appDir);
    mkdirSync(baseDir);
    try {
      log(`${fmt(size)} lines: building the scenario...`);
      const setup = await child<{ payments: number; lines: number; planted: number; perKind: number }>("setup-scenario.ts", [appDir, String(size)], Math.min(remaining, 300_000));
      copyFileSync(path.join(appDir, "bench.db"), path.join(baseDir, "bench.db"));
      symlinkSync(path.join(appDir, "settlement.csv"), path.join(baseDir, "settlement.csv"));
      symlinkSync(path.join(appDir, "manifest.json"), path.join(baseDir, "manifest.json"));
      log(`  ${fmt(setup.payments)} payments, ${fmt(setup.lines)} lines, ${fmt(setup.planted)} planted anomalies (${setup.perKind} per kind); importing and reconciling...`);
      const app = await child<AppResult>("measure-app.ts", [appDir], Math.min(deadline - Date.now(), 360_000));
      log(`  app: ${app.seconds.toFixed(2)} s, ${app.cpuSeconds.toFixed(2)} s CPU (import ${app.importSeconds?.toFixed(2) ?? "?"} s, reconcile ${app.reconcileSeconds?.toFixed(2) ?? "?"} s), peak RSS ${mib(app.peakRssBytes)}; baseline...`);
      const base = await child<BaselineResult>("measure-baseline.ts", [baseDir], Math.min(deadline - Date.now(), 180_000));
      const correct = app.missingCount === 0 && app.unexpectedCount === 0;
      if (!correct) {
        failed = true;
        log(`  ANOMALY CHECK FAILED: ${app.missingCount} planted not found ${JSON.stringify(app.missing)}, ${app.unexpectedCount} unexpected ${JSON.stringify(app.unexpected)}`);
      }
      const ratio = app.seconds / base.seconds;
      const cpuRatio = app.cpuSeconds / base.cpuSeconds;
      rows.push([
        fmt(size),
        `${app.seconds.toFixed(2)} s`,
        `${app.cpuSeconds.toFixed(2)} s`,
        mib(app.peakRssBytes),
        mib(app.maxRssBytes),
        `${base.seconds.toFixed(2)} s`,
        `${base.cpuSeconds.toFixed(2)} s`,
        mib(base.peakRssBytes),
        `${ratio.toFixed(2)}x`,
        `${cpuRatio.toFixed(2)}x`,
        `${app.found}/${app.planted}${correct ? " ok" : " FAIL"}`,
      ]);
      if (size >= TARGET.lines) {
        const verdict = [
          `ratio ${ratio.toFixed(2)}x ${ratio <= TARGET.ratio ? "<=" : ">"} ${TARGET.ratio}x (CPU time ${cpuRatio.toFixed(2)}x)`,
          `peak RSS ${mib(app.peakRssBytes)} ${app.peakRssBytes < TARGET.rssBytes ? "<" : ">="} ${mib(TARGET.rssBytes)}`,
        ];
        log(`  target (1,000,000 lines): ${verdict.join(", ")}`);
      }
    } catch (error) {
      failed = true;
      log(`  ${fmt(size)} lines failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (keep) log(`  kept ${root}`);
      else rmSync(root, { recursive: true, force: true });
    }
  }

  const header = ["lines", "app time", "app CPU", "app peak RSS", "app maxRSS", "baseline time", "baseline CPU", "baseline peak RSS", "ratio", "CPU ratio", "anomalies found"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  process.stdout.write(`\n${line(header)}\n${rows.map(line).join("\n")}\n`);
  process.exit(failed ? 1 : 0);
}

/** Runs a bench script in a fresh Node process (tsx, --expose-gc) and parses its last stdout line as JSON. */
function child<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--expose-gc", "--import", "tsx", path.join(here, script), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    let out = "";
    let errText = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    proc.stderr.on("data", (chunk: Buffer) => (errText += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`${script} did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, Math.max(1_000, timeoutMs));
    proc.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${script} exited ${code}: ${errText.trim().slice(-2000)}`));
        return;
      }
      const last = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${out.slice(-500)} ${errText.slice(-500)}`));
      }
    });
  });
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

void main();
