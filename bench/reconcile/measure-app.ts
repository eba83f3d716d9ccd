import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";

import { SecretBox } from "../../app/adapters/crypto/secret-box";
import { openDatabase } from "../../app/adapters/db/database";
import { ReconciliationServices } from "../../app/composition/reconciliation-services";
import { FixedClock } from "../../app/lib/clock";
import { silentLogger } from "../../app/lib/logger";
import { maxRssBytes, RssSampler } from "./rss-sampler";
import { BENCH_NOW, scenarioFiles, SHOP_ID } from "./scenario";

/**
 * Child process: imports the scenario's settlement file and reconciles it through the app's own services
 * (upload store, import runner, reconciliation run: everything but HTTP), timing it and sampling RSS,
 * then checks the exceptions against the planted manifest. Prints one JSON line at the end, and every few
 * seconds a `{"partial": ...}` line (time, CPU, peak RSS, import status and rows so far), which the parent
 * reports if its time bound stops this process. With a PostgreSQL URL as second argument, the app runs on
 * that database (the scenario copied into it, see postgres-scenario.ts) instead of the scenario's SQLite file.
 */
async function main(): Promise<void> {
  const [dir, postgresUrl] = process.argv.slice(2);
  if (!dir) throw new Error("usage: measure-app <scenario dir> [postgresql url]");
  const files = scenarioFiles(dir);
  const database = await openDatabase(postgresUrl ? { engine: "postgresql", url: postgresUrl } : { engine: "sqlite", url: `file:${files.dbFile}` }, silentLogger);
  const services = new ReconciliationServices({
    db: database,
    clock: new FixedClock(BENCH_NOW),
    logger: silentLogger,
    secrets: new SecretBox(Buffer.alloc(32, 7)),
    dataDir: path.join(dir, "data"),
    apiVersion: "2026-10",
    shopOrigin: (shop) => `https://${shop}`,
    holder: "bench",
  });

  globalThis.gc?.();
  const sampler = new RssSampler();
  sampler.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const upload = await services.uploads.receive(SHOP_ID, createReadStream(files.csvFile));
  if (!upload.ok) throw new Error(`upload failed: ${upload.error.kind}`);
  const started = await services.startImport.execute({ shopId: SHOP_ID, upload: upload.value, fileName: "settlement.csv", createdBy: "bench" });
  if (!started.ok) throw new Error(started.error.message);
  const importId = started.value.import.id;
  const partial = setInterval(() => {
    void services.imports.get(importId).then((record) => {
      const used = process.cpuUsage(cpu0);
      const figures = { seconds: (performance.now() - t0) / 1000, cpuSeconds: (used.user + used.system) / 1e6, peakRssBytes: sampler.peakSoFar(), status: record?.status ?? "?", rows: record?.totalRows ?? 0 };
      process.stdout.write(`${JSON.stringify({ partial: figures })}\n`);
    });
  }, 5_000);
  await services.queue.idle();
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const peakRss = sampler.stop();
  clearInterval(partial);

  const record = await services.imports.get(started.value.import.id);
  if (record?.status !== "done") throw new Error(`import ended ${record?.status}: ${record?.failureReason ?? ""}`);
  const run = record.reconciliationRunId ? await services.runs.find(SHOP_ID, record.reconciliationRunId) : null;

  const manifest = JSON.parse(readFileSync(files.manifestFile, "utf8")) as string[];
  const found = await database.prisma.reconciliationException.findMany({ where: { shopId: SHOP_ID }, select: { kind: true, cip: true } });
  const expected = tally(manifest);
  const actual = tally(found.map((e) => `${e.kind}:${e.cip ?? ""}`));
  const missing = diff(expected, actual);
  const unexpected = diff(actual, expected);

  const result = {
    seconds: (t1 - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    importSeconds: run ? (t1 - t0) / 1000 - (run.stats.durationMs ?? 0) / 1000 : null,
    reconcileSeconds: run ? (run.stats.durationMs ?? 0) / 1000 : null,
    peakRssBytes: peakRss,
    maxRssBytes: maxRssBytes(),
    rows: record.totalRows,
    goodRows: record.goodRows,
    badRows: record.badRows,
    duplicateRows: record.duplicateRows,
    planted: manifest.length,
    found: found.length,
    missing: missing.slice(0, 20),
    missingCount: missing.length,
    unexpected: unexpected.slice(0, 20),
    unexpectedCount: unexpected.length,
  };
  await services.close();
  await database.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function tally(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Items of `a` not covered by `b` (multiset difference). */
function diff(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [item, count] of a) for (let i = (b.get(item) ?? 0); i < count; i += 1) out.push(item);
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
