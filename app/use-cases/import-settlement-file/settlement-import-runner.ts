import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { SettlementFileReader, SettlementUploads } from "../../ports/settlement-files";
import type { SettlementImportRecord, SettlementImportStore, SettlementLineWriter } from "../../ports/settlement-imports";
import type { ShopWorkQueue } from "../run-reconciliation/shop-work-queue";
import { ImportSettlementFile } from "./import-settlement-file";

/** An import without a heartbeat for this long was left by an instance that stopped. */
export const STALE_IMPORT_MS = 10 * 60 * 1000;

export interface ImportRunnerDeps {
  imports: SettlementImportStore;
  lines: SettlementLineWriter;
  uploads: SettlementUploads;
  files: SettlementFileReader;
  queue: ShopWorkQueue;
  /** Reconciles the shop after an import; returns the run id, or null when no run happened. */
  reconcile: (shopId: string) => Promise<string | null>;
  clock: Clock;
  logger: Logger;
  batchSize?: number;
}

/**
 * Runs settlement imports in the background, in this process, one at a time per shop (shared queue with
 * reconciliation runs): the HTTP request that uploaded the file answers at once with the import id, and
 * the panel polls the import's progress. After the lines are stored the shop is reconciled. A stopping
 * app aborts imports in progress (they are marked failed and their lines removed: import the file again).
 */
export class SettlementImportRunner {
  private readonly controller = new AbortController();
  private readonly importer: ImportSettlementFile;

  constructor(private readonly deps: ImportRunnerDeps) {
    this.importer = new ImportSettlementFile({
      imports: deps.imports,
      lines: deps.lines,
      files: deps.files,
      clock: deps.clock,
      ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
    });
  }

  /** Queues the import; the returned promise settles when it is finished (callers may ignore it). */
  enqueue(record: SettlementImportRecord): Promise<void> {
    return this.deps.queue.run(record.shopId, () => this.process(record.id));
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.deps.queue.idle();
  }

  /** Marks imports abandoned by a stopped instance as failed and removes their lines. */
  async recoverStale(): Promise<number> {
    const { imports, lines, uploads, clock } = this.deps;
    const now = clock.now();
    const stale = await imports.listStale(new Date(now.getTime() - STALE_IMPORT_MS));
    for (const record of stale) {
      if (this.deps.queue.isBusy(record.shopId)) continue;
      await lines.deleteImportLines(record.id);
      await imports.markFailed(record.id, "The import was interrupted (the app stopped); import the file again", now);
      uploads.discardImportFile(record.id);
    }
    return stale.length;
  }

  private async process(importId: string): Promise<void> {
    const { imports, lines, uploads, clock, logger } = this.deps;
    const record = await imports.get(importId);
    if (!record || record.status !== "queued") return;
    if (!record.mapping || !uploads.hasImportFile(record.id)) {
      await imports.markFailed(record.id, "The uploaded file is no longer available; upload it again", clock.now());
      return;
    }
    await imports.markImporting(record.id, clock.now());
    const startedAt = performance.now();
    try {
      const outcome = await this.importer.execute({
        importId: record.id,
        shopId: record.shopId,
        format: record.format,
        mapping: record.mapping,
        sizeBytes: record.sizeBytes,
        file: await uploads.openImportFile(record.id),
        signal: this.controller.signal,
      });
      if (!outcome.ok) {
        await lines.deleteImportLines(record.id);
        await imports.markFailed(record.id, outcome.error.message, clock.now());
        logger.warn({ importId: record.id, shopId: record.shopId, reason: outcome.error.message }, "settlement import failed");
        return;
      }
      const result = outcome.value;
      await imports.markImported(
        record.id,
        { ...result, bytesRead: record.sizeBytes, errors: result.errors, at: clock.now() },
        result.coverage,
        "reconciling",
      );
      logger.info(
        {
          importId: record.id,
          shopId: record.shopId,
          rows: result.totalRows,
          good: result.goodRows,
          bad: result.badRows,
          duplicate: result.duplicateRows,
          durationMs: Math.round(performance.now() - startedAt),
        },
        "settlement file imported",
      );
      let runId: string | null = null;
      try {
        runId = await this.deps.reconcile(record.shopId);
      } catch (error) {
        logger.error({ err: error, importId: record.id }, "reconciliation after the import failed; the daily run will retry");
      }
      await imports.markDone(record.id, runId, clock.now());
    } catch (error) {
      logger.error({ err: error, importId: record.id }, "settlement import crashed");
      await lines.deleteImportLines(record.id).catch(() => undefined);
      await imports.markFailed(record.id, `Import failed: ${error instanceof Error ? error.message : String(error)}`, clock.now()).catch(() => undefined);
    } finally {
      uploads.discardImportFile(record.id);
    }
  }
}
