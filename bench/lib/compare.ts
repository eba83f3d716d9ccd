import { type LoadOptions, type LoadResult, runLoad } from "./load";
import { type ServerProcess } from "./processes";

/**
 * Runs the app and its baseline in alternation (app, baseline, app, baseline, ...) on the same machine
 * in the same session, so background noise hits both; prints every run, then the ratio of the mean
 * throughputs and the worst p99 of the app's runs as the benchmark's last line.
 */
export interface Subject {
  name: string;
  /** The load for round r (each round may target fresh data, e.g. sessions never notified before). */
  load(round: number): LoadOptions;
  /** The process to sample for RSS, when there is one. */
  process?: ServerProcess;
  /** Polled after each run until it answers fast again, so requests still queued from one run do not land in the next. */
  settleUrl?: string;
  /** Called after each run (e.g. to check what was written). */
  after?(round: number, result: LoadResult): Promise<void> | void;
}

export interface Verdict {
  name: string;
  ratio: number;
  ratioTarget: number;
  p99: number;
  p99TargetMs: number;
  appRps: number;
  baselineRps: number;
  errors: number;
  met: boolean;
  /** The app process's RSS before the first run (idle) and its high-water mark after the last (peak), when sampled. */
  idleRssBytes: number | null;
  peakRssBytes: number | null;
  line: string;
}

export interface BenchArgs {
  durationSeconds: number;
  connections: number;
  rounds: number;
  engine: "sqlite" | "postgresql";
  postgresUrl: string | null;
  profile: boolean;
  keep: boolean;
  /** `--rate N`: a fixed request rate for every run (LoadOptions.rate), for CPU-per-request comparisons. */
  rate: number | null;
  rest: string[];
}

export function parseArgs(argv: string[] = process.argv.slice(2)): BenchArgs {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const postgresUrl = value("--pg") ?? (argv.includes("--postgres") ? (process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres") : null);
  return {
    durationSeconds: Number(value("--duration") ?? 10),
    connections: Number(value("--connections") ?? 50),
    rounds: Number(value("--rounds") ?? 2),
    engine: postgresUrl ? "postgresql" : "sqlite",
    postgresUrl,
    profile: argv.includes("--profile"),
    keep: argv.includes("--keep"),
    rate: value("--rate") ? Number(value("--rate")) : null,
    rest: argv,
  };
}

export async function alternate(params: {
  name: string;
  app: Subject;
  baseline: Subject;
  rounds: number;
  ratioTarget: number;
  p99TargetMs: number;
}): Promise<Verdict> {
  const appRuns: LoadResult[] = [];
  const baseRuns: LoadResult[] = [];
  const idleRssBytes = params.app.process?.rss()?.rssBytes ?? null;
  for (let round = 0; round < params.rounds; round += 1) {
    for (const [subject, runs] of [
      [params.app, appRuns],
      [params.baseline, baseRuns],
    ] as const) {
      const cpuBefore = subject.process?.cpuMs() ?? null;
      const result = await runLoad(subject.load(round));
      const cpuAfter = subject.process?.cpuMs() ?? null;
      runs.push(result);
      const rss = subject.process?.rss();
      // CPU per request does not depend on how busy the shared machine is, unlike the latencies.
      const cpu = cpuBefore !== null && cpuAfter !== null && result.requests > 0 ? `  CPU ${((cpuAfter - cpuBefore) / result.requests).toFixed(2)} ms/request` : "";
      log(
        `  ${params.name} round ${round + 1} ${subject.name.padEnd(9)} ${fmt(result.rps).padStart(7)} req/s  p50 ${result.p50} ms  p90 ${result.p90} ms  p99 ${result.p99} ms  max ${result.max} ms  ` +
          `${result.requests} requests${result.errors ? `, ${result.errors} errors` : ""}${result.wrongStatus ? `, unexpected statuses ${JSON.stringify(result.statuses)}` : ""}` +
          (rss ? `  RSS ${mib(rss.rssBytes)} (peak ${mib(rss.peakBytes)})` : "") +
          cpu,
      );
      await subject.after?.(round, result);
      if (subject.settleUrl) await settle(subject.settleUrl);
    }
  }
  const mean = (runs: LoadResult[]) => runs.reduce((s, r) => s + r.rps, 0) / runs.length;
  const appRps = mean(appRuns);
  const baselineRps = mean(baseRuns);
  const ratio = baselineRps > 0 ? appRps / baselineRps : 0;
  const p99 = Math.max(...appRuns.map((r) => r.p99));
  const errors = appRuns.reduce((s, r) => s + r.errors + r.wrongStatus, 0);
  const answered = appRuns.every((r) => r.requests > 0);
  const met = answered && ratio >= params.ratioTarget && p99 < params.p99TargetMs && errors === 0;
  const peakRssBytes = params.app.process?.rss()?.peakBytes ?? null;
  const rssNote = idleRssBytes !== null && peakRssBytes !== null ? `, app RSS idle ${mib(idleRssBytes)} peak ${mib(peakRssBytes)}` : "";
  const line = `${params.name}: ratio ${ratio.toFixed(2)} (target ${params.ratioTarget}), p99 ${p99} ms${rssNote}`;
  log(
    `  ${params.name}: app ${fmt(appRps)} req/s, ${params.baseline.name} ${fmt(baselineRps)} req/s; p99 target ${params.p99TargetMs} ms; ` +
      `${errors ? `${errors} failed requests; ` : ""}${answered ? "" : "a run completed no request within its time; "}${met ? "targets met" : "targets NOT met"}`,
  );
  return { name: params.name, ratio, ratioTarget: params.ratioTarget, p99, p99TargetMs: params.p99TargetMs, appRps, baselineRps, errors, met, idleRssBytes, peakRssBytes, line };
}

/** Waits (at most a minute) until a GET answers within 200 ms: the server has worked off its backlog. */
async function settle(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = Date.now();
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(30_000) })).arrayBuffer();
      if (Date.now() - started < 200) return;
    } catch {
      // still busy
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1);
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
