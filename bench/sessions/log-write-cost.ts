import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

import { destination } from "pino";

import { withLogContext } from "../../app/lib/log-context";
import { createLogger } from "../../app/lib/logger";

/**
 * `node --import tsx bench/sessions/log-write-cost.ts`: the CPU a log line costs the process once it is written to a
 * pipe (stdout under a process manager), with pino's default destination (each line handed to libuv's thread pool)
 * and with the app's (log-destination.ts: the lines of a turn written once). Each variant runs in its own child
 * process with stdout piped to this one; a turn spins `SPIN_US` per line (the session's other work, so the loop is
 * busy as under load) and logs `perTurn` lines ("CIP issued" in a request's log context). Prints microseconds of
 * process CPU per line beyond the spin, and a run with no line written as the floor. Bounded: LINES lines per run.
 */
const LINES = 6_000;
const SPIN_US = 300;

function child(variant: string, perTurn: number): void {
  const logger =
    variant === "pino-default" ? createLogger({ destination: destination({ dest: 1, sync: false }) }) : createLogger({ level: variant === "none" ? "warn" : "info" });
  const spin = (us: number) => {
    const end = performance.now() + us / 1000;
    while (performance.now() < end);
  };
  let n = 0;
  const started = process.cpuUsage();
  const turn = () => {
    for (let i = 0; i < perTurn; i += 1, n += 1) {
      spin(SPIN_US);
      withLogContext({ requestId: `req-${n.toString(16).padStart(12, "0")}` }, () => logger.info({ paymentSessionId: `ps-${n}`, cip: String(2_500_000 + n) }, "CIP issued"));
    }
    if (n < LINES) setImmediate(turn);
    else
      setTimeout(() => {
        const used = process.cpuUsage(started);
        process.stderr.write(`${(used.user + used.system) / n - SPIN_US}\n`);
      }, 200);
  };
  turn();
}

function parent(): void {
  const variants = ["none", "pino-default", "turn-batched"];
  process.stdout.write(`log line cost, ${LINES} lines per run, ${SPIN_US} us of other work per line, stdout a pipe\n`);
  for (const perTurn of [1, 10, 50]) {
    const results = new Map<string, number[]>(variants.map((v) => [v, []]));
    for (let round = 0; round < 3; round += 1) {
      for (const variant of variants) {
        const run = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, variant, String(perTurn)], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
        results.get(variant)?.push(Number(run.stderr.trim().split("\n").pop()));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    process.stdout.write(`  ${String(perTurn).padStart(2)} line(s) per turn: ${variants.map((v) => `${v} ${median(results.get(v) ?? []).toFixed(1)} us`).join(", ")} (median of 3; runs ${variants.map((v) => (results.get(v) ?? []).map((x) => x.toFixed(0)).join("/")).join(", ")})\n`);
  }
}

const [variant, perTurn] = process.argv.slice(2);
if (variant) child(variant, Number(perTurn));
else parent();
