import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { type BenchDb, createBenchDb } from "../lib/bench-db";

/**
 * `npm run bench:reconcile [-- --sizes 1000000 --postgres|--pg URL --budget-minutes 15 --keep]`
 * (env: BENCH_RECONCILE_LINES, BENCH_RECONCILE_BUDGET_MINUTES, BENCH_DATABASE_URL)
 *
 * For each size N (default 1,000,000 lines, the issue's size): builds one shop with N paid payments and an
 * N-line settlement CSV with a known share of planted anomalies (bench/reconcile/scenario.ts), then, each in
 * a fresh process so memory is its own:
 *   1. the baseline: the same file into the same schema with raw better-sqlite3 and one join query;
 *   2. the app: upload store → import (streamed, batched) → reconciliation run, through the app's services;
 *      every planted anomaly must be found, and nothing else;
 *   3. the baseline again (when the budget allows): the ratio is to the mean of both, so load that comes
 *      and goes on a shared machine hits both sides;
 *   4. with --postgres: the scenario copied into a fresh PostgreSQL database, and the app again on it
 *      (compared with the same SQLite baseline).
 * Bounded: the whole command stops by itself within its budget (default 15 minutes); a step the budget
 * stops prints what it had measured so far. The last line reads
 * `reconcile: ratio R (target 2), peak RSS X MiB (target < 600 MiB), ...`. Exits 1 if an anomaly check
 * fails or a step did not finish.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
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
}

interface Partial {
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  status: string;
  rows: number;
}

/** A child stopped by its time bound, with the last figures it printed. */
class TimedOut extends Error {
  constructor(
    message: string,
    readonly partial: Partial | null,
  ) {
    super(message);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const sizesText = value("--sizes") ?? process.env.BENCH_RECONCILE_LINES ?? String(TARGET.lines);
  const sizes = sizesText.split(",").map((s) => Number(s.replace(/_/g, "")));
  const budgetMinutes = Number(value("--budget-minutes") ?? process.env.BENCH_RECONCILE_BUDGET_MINUTES ?? 15);
  const postgresUrl = value("--pg") ?? (args.includes("--postgres") ? (process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres") : null);
  const keep = args.includes("--keep");
  const deadline = Date.now() + budgetMinutes * 60_000;
  const remaining = () => deadline - Date.now();
  let failed = false;
  const rows: string[][] = [];
  const finals: string[] = [];

  log(`bench:reconcile: sizes ${sizes.map(fmt).join(", ")}${postgresUrl ? ", SQLite and PostgreSQL" : ""}; budget ${budgetMinutes} min`);
  for (const size of sizes) {
    if (remaining() < 30_000) {
      log(`skipping ${fmt(size)} lines: the ${budgetMinutes}-minute budget is spent`);
      failed = true;
      finals.push(`reconcile: ${fmt(size)} lines not run (budget spent)`);
      continue;
    }
    const root = mkdtempSync(path.join(tmpdir(), `pe-bench-${size}-`));
    const appDir = path.join(root, "app");
    mkdirSync(appDir);
    const baseDir = (n: number) => path.join(root, `baseline-${n}`);
    let pgDb: BenchDb | null = null;
    try {
      const t0 = Date.now();
      log(`${fmt(size)} lines: building the scenario...`);
      const setup = await child<{ payments: number; lines: number; planted: number; perKind: number }>("setup-scenario.ts", [appDir, String(size)], remaining());
      log(`  ${fmt(setup.payments)} payments, ${fmt(setup.lines)} lines, ${fmt(setup.planted)} planted anomalies (${setup.perKind} per kind), in ${secs(Date.now() - t0)}`);
      const baselines: BaselineResult[] = [];
      const baseline = async (n: number) => {
        mkdirSync(baseDir(n));
        copyFileSync(path.join(appDir, "bench.db"), path.join(baseDir(n), "bench.db"));
        symlinkSync(path.join(appDir, "settlement.csv"), path.join(baseDir(n), "settlement.csv"));
        symlinkSync(path.join(appDir, "manifest.json"), path.join(baseDir(n), "manifest.json"));
        const result = await child<BaselineResult>("measure-baseline.ts", [baseDir(n)], remaining());
        rmSync(baseDir(n), { recursive: true, force: true });
        log(`  baseline ${n}: ${result.seconds.toFixed(2)} s, ${result.cpuSeconds.toFixed(2)} s CPU, peak RSS ${mib(result.peakRssBytes)}`);
        baselines.push(result);
      };
      await baseline(1);
      log("  app on SQLite: importing and reconciling...");
      const app = await measureApp(appDir, null, remaining());
      // The second baseline needs about what the first took; skipped when the budget would not hold it.
      if (remaining() > (baselines[0]?.seconds ?? 0) * 2_000 + 30_000) await baseline(2);
      const base = { seconds: mean(baselines.map((b) => b.seconds)), cpuSeconds: mean(baselines.map((b) => b.cpuSeconds)), peakRssBytes: Math.max(...baselines.map((b) => b.peakRssBytes)) };
      const runs: Array<{ engine: string; app: AppResult }> = [{ engine: "sqlite", app }];
      if (postgresUrl) {
        pgDb = await createBenchDb({ engine: "postgresql", dir: root, postgresUrl, name: "reconcile" });
        await pgDb.close();
        log("  copying the scenario into PostgreSQL...");
        const copied = await child<Record<string, number>>("postgres-scenario.ts", [appDir, pgDb.url], remaining());
        log(`  copied ${Object.entries(copied).map(([t, n]) => `${fmt(n)} ${t}`).join(", ")}; app on PostgreSQL: importing and reconciling...`);
        runs.push({ engine: "postgresql", app: await measureApp(appDir, pgDb.url, remaining()) });
      }
      for (const { engine, app: result } of runs) {
        const correct = result.missingCount === 0 && result.unexpectedCount === 0;
        if (!correct) {
          failed = true;
          log(`  ${engine}: ANOMALY CHECK FAILED: ${result.missingCount} planted not found ${JSON.stringify(result.missing)}, ${result.unexpectedCount} unexpected ${JSON.stringify(result.unexpected)}`);
        }
        const ratio = result.seconds / base.seconds;
        const cpuRatio = result.cpuSeconds / base.cpuSeconds;
        rows.push([
          fmt(size),
          engine,
          `${result.seconds.toFixed(2)} s`,
          `${result.importSeconds?.toFixed(1) ?? "?"} + ${result.reconcileSeconds?.toFixed(1) ?? "?"} s`,
          `${result.cpuSeconds.toFixed(2)} s`,
          mib(result.peakRssBytes),
          mib(result.maxRssBytes),
          `${base.seconds.toFixed(2)} s`,
          `${base.cpuSeconds.toFixed(2)} s`,
          mib(base.peakRssBytes),
          `${ratio.toFixed(2)}x`,
          `${cpuRatio.toFixed(2)}x`,
          `${result.found}/${result.planted}${correct ? " ok" : " FAIL"}`,
        ]);
        const met = ratio <= TARGET.ratio && result.peakRssBytes < TARGET.rssBytes && correct;
        const name = engine === "sqlite" ? "reconcile" : "reconcile-pg";
        finals.push(
          `${name}: ratio ${ratio.toFixed(2)} (target ${TARGET.ratio}), peak RSS ${mib(result.peakRssBytes)} (target < ${mib(TARGET.rssBytes)}), ` +
            `CPU ratio ${cpuRatio.toFixed(2)}, ${fmt(size)} lines, app ${result.seconds.toFixed(1)} s / baseline ${base.seconds.toFixed(1)} s (mean of ${baselines.length})` +
            `${size >= TARGET.lines ? (met ? ", targets met" : ", targets NOT met") : ""}`,
        );
      }
    } catch (error) {
      failed = true;
      const partial = error instanceof TimedOut && error.partial ? error.partial : null;
      const partialText = partial
        ? `; after ${partial.seconds.toFixed(1)} s (${partial.cpuSeconds.toFixed(1)} s CPU) the import was ${partial.status} with ${fmt(partial.rows)} rows read, peak RSS ${mib(partial.peakRssBytes)}`
        : "";
      log(`  ${fmt(size)} lines failed: ${error instanceof Error ? error.message : String(error)}${partialText}`);
      finals.push(`reconcile: ${fmt(size)} lines incomplete (${error instanceof Error ? error.message : String(error)})${partialText}`);
    } finally {
      await pgDb?.drop().catch(() => undefined);
      if (keep) log(`  kept ${root}`);
      else rmSync(root, { recursive: true, force: true });
    }
  }

  const header = ["lines", "engine", "app time", "import + reconcile", "app CPU", "app peak RSS", "app maxRSS", "baseline time", "baseline CPU", "baseline peak RSS", "ratio", "CPU ratio", "anomalies found"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  if (rows.length > 0) process.stdout.write(`\n${line(header)}\n${rows.map(line).join("\n")}\n`);
  process.stdout.write(`\n${finals.join("\n")}\n`);
  process.exit(failed ? 1 : 0);
}

async function measureApp(dir: string, postgresUrl: string | null, timeoutMs: number): Promise<AppResult> {
  const app = await child<AppResult>("measure-app.ts", postgresUrl ? [dir, postgresUrl] : [dir], timeoutMs);
  log(
    `  app: ${app.seconds.toFixed(2)} s, ${app.cpuSeconds.toFixed(2)} s CPU (import ${app.importSeconds?.toFixed(2) ?? "?"} s, reconcile ${app.reconcileSeconds?.toFixed(2) ?? "?"} s), ` +
      `peak RSS ${mib(app.peakRssBytes)} (kernel max ${mib(app.maxRssBytes)})`,
  );
  return app;
}

/**
 * Runs a bench script in a fresh Node process (tsx, --expose-gc) and parses its last stdout line as JSON;
 * `{"partial": ...}` lines are progress, kept for the report if the time bound stops the child.
 */
function child<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--expose-gc", "--import", "tsx", path.join(here, script), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    let out = "";
    let last = "";
    let errText = "";
    let partial: Partial | null = null;
    const take = (text: string) => {
      if (text.startsWith('{"partial":')) partial = (JSON.parse(text) as { partial: Partial }).partial;
      else if (text.trim()) last = text;
    };
    proc.stdout.on("data", (chunk: Buffer) => {
      const lines = (out + chunk.toString("utf8")).split("\n");
      out = lines.pop() ?? "";
      lines.forEach(take);
    });
    proc.stderr.on("data", (chunk: Buffer) => (errText = (errText + chunk.toString("utf8")).slice(-4000)));
    const timer = setTimeout(
      () => {
        proc.kill("SIGKILL");
        reject(new TimedOut(`${script} did not finish within ${Math.round(timeoutMs / 1000)} s (the budget)`, partial));
      },
      Math.max(1_000, timeoutMs),
    );
    proc.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${script} exited ${code}: ${errText.trim().slice(-2000)}`));
        return;
      }
      take(out);
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${last.slice(-500)} ${errText.slice(-500)}`));
      }
    });
  });
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(0)} s`;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

void main();
