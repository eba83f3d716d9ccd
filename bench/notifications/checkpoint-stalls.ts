import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

import { migrateDatabase, openDatabase } from "../../app/adapters/db/database";
import { run } from "../../app/adapters/db/sql/sql-driver";
import type { CheckpointReport } from "../../app/adapters/db/sqlite-wal-checkpointer";
import { silentLogger } from "../../app/lib/logger";

/**
 * `node --import tsx bench/notifications/checkpoint-stalls.ts [seconds=5] [rounds=2]` (issue #13): how long the event
 * loop is blocked by the SQLite writes of group commit, with WAL checkpoints in the worker thread
 * (sqlite-wal-checkpointer.ts) and with SQLite's auto-checkpoint inside the COMMIT (the checkpointer stopped), each for
 * `seconds`, alternated. 50 write units at a time, each three inserts of about a notification's size (evidence,
 * timeline event, job) into indexed tables, as a first-time notification commits. Prints the event loop delay (p50,
 * p99, max), the write latency (submit to committed) p99 and the CPU per unit of the whole process (worker included).
 * With the worker, also the checkpoints it ran (RESTART holds the write lock for its duration). Measured in one process, so what it compares does not depend on HTTP or on the other processes on the host.
 */
const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 2);
const CONCURRENCY = 50;
const PAYLOAD = "x".repeat(300);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "pe-checkpoint-stalls-"));
  const config = { engine: "sqlite" as const, url: `file:${path.join(dir, "app.db")}` };
  await migrateDatabase(config, silentLogger);
  for (const mode of Array.from({ length: rounds }, () => ["worker", "auto"] as const).flat()) {
    const db = await openDatabase(config, silentLogger);
    await db.prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, k TEXT NOT NULL, body TEXT NOT NULL)`);
    await db.prisma.$executeRawUnsafe(`CREATE UNIQUE INDEX IF NOT EXISTS bench_rows_k ON bench_rows (k)`);
    // "auto": no worker; the app's connection checkpoints inside its COMMITs, as before issue #13.
    if (mode === "auto") await db.walCheckpointer?.stop();
    const checkpoints: CheckpointReport[] = [];
    db.walCheckpointer?.onCheckpoint((report) => checkpoints.push(report));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const loop = monitorEventLoopDelay({ resolution: 1 });
    const latencies: number[] = [];
    let units = 0;
    const cpu = process.cpuUsage();
    const deadline = performance.now() + seconds * 1000;
    loop.enable();
    const client = async (c: number) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const n = units++;
        await db.driver.write(function* () {
          for (let r = 0; r < 3; r++) yield* run(`INSERT INTO bench_rows (k, body) VALUES (?, ?)`, [`${mode}-${c}-${n}-${r}-${Math.random()}`, PAYLOAD]);
        });
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => client(c)));
    loop.disable();
    const used = process.cpuUsage(cpu);
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]?.toFixed(1);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(
      `${mode.padEnd(6)} ${units} units  loop delay p50 ${ms(loop.percentile(50))} p99 ${ms(loop.percentile(99))} max ${ms(loop.max)} ms  write p50 ${p(0.5)} p99 ${p(0.99)} ms  CPU ${((used.user + used.system) / 1000 / units).toFixed(3)} ms/unit`,
    );
    for (const kind of ["passive", "restart", "truncate"] as const) {
      const done = checkpoints.filter((c) => c.mode === kind && (kind === "passive" ? c.checkpointed > 0 : true));
      if (done.length === 0) continue;
      const durations = done.map((c) => c.ms).sort((a, b) => a - b);
      console.log(
        `         ${kind}: ${done.length} (${done.filter((c) => c.busy).length} busy), ${(durations.reduce((a, b) => a + b, 0) / done.length).toFixed(1)} ms mean, ${durations.at(-1)?.toFixed(1)} ms max`,
      );
    }
    await db.close();
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
