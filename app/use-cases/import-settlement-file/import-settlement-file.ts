import type { SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import { settlementLineKey } from "../../domain/settlement/line-key";
import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { SettlementFileReader, SettlementFileSource } from "../../ports/settlement-files";
import {
  type ImportCounters,
  type ImportProgress,
  type ImportRowError,
  MAX_IMPORT_ERRORS,
  type NewSettlementLine,
  type SettlementFileFormat,
  type SettlementImportStore,
  type SettlementLineWriter,
} from "../../ports/settlement-imports";

export interface ImportOutcome extends ImportCounters {
  readonly coverage: { from: Date; to: Date } | null;
  readonly errors: ImportRowError[];
}

export type ImportFailure =
  | { readonly kind: "unreadable_file"; readonly message: string }
  | { readonly kind: "aborted"; readonly message: string };

export interface ImportFileInput {
  readonly importId: string;
  readonly shopId: string;
  readonly format: SettlementFileFormat;
  readonly mapping: SettlementColumnMapping;
  readonly sizeBytes: number;
  /** The stored file, open; the reader closes it. */
  readonly file: SettlementFileSource;
  /** Checked between batches: a stopping app ends the import instead of leaving it half done. */
  readonly signal?: AbortSignal;
}

/** Lines stored per statement: one JSON parameter each (see prisma-settlement-bulk-sql.ts). */
export const IMPORT_BATCH_SIZE = 5_000;

/**
 * Reads one settlement file (streamed, through the files port) and stores
 * its lines in batches. Bad rows are counted and the first 200 kept with their line number and reason;
 * good rows are stored anyway. Importing is idempotent per line: a line whose key (CIP + operation number,
 * else CIP + payment instant + amount) was stored by an earlier import is a duplicate and is skipped. The
 * same key twice within one file is two real lines (PagoEfectivo listed the payment twice): the repeat is
 * stored under "<key>#2", "#3"..., which reconciliation then reports as a settlement duplicate, and
 * re-importing that file finds the same keys again. Progress is saved after every batch.
 */
export class ImportSettlementFile {
  constructor(
    private readonly deps: {
      imports: SettlementImportStore;
      lines: SettlementLineWriter;
      files: SettlementFileReader;
      clock: Clock;
      batchSize?: number;
    },
  ) {}

  async execute(input: ImportFileInput): Promise<Result<ImportOutcome, ImportFailure>> {
    const { imports, clock } = this.deps;
    const batchSize = this.deps.batchSize ?? IMPORT_BATCH_SIZE;
    const rows = this.deps.files.read(input.format, input.file, input.mapping);

    const counters: ImportCounters = { totalRows: 0, goodRows: 0, badRows: 0, duplicateRows: 0 };
    const errors: ImportRowError[] = [];
    const repeats = new Map<string, number>();
    let minDate = Number.POSITIVE_INFINITY;
    let maxDate = Number.NEGATIVE_INFINITY;
    let batch: NewSettlementLine[] = [];
    const progress = (): ImportProgress => ({ ...counters, bytesRead: rows.bytesRead(), errors, at: clock.now() });

    const flush = async () => {
      if (batch.length === 0) return;
      const stored = await this.store(input, batch, repeats);
      counters.goodRows += stored;
      counters.duplicateRows += batch.length - stored;
      batch = [];
      await imports.saveProgress(input.importId, progress());
      // SQLite calls resolve without reaching the event loop: let HTTP requests through between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    };

    try {
      for await (const row of rows) {
        if (input.signal?.aborted) return err({ kind: "aborted", message: "The app stopped during the import; import the file again" });
        if (!row.ok) {
          // A fatal row ends the file: a mapping that fits no header (nothing was read) or an unclosed quote.
          if (row.fatal && counters.totalRows === 0) return err({ kind: "unreadable_file", message: row.reason });
          counters.totalRows += 1;
          counters.badRows += 1;
          if (errors.length < MAX_IMPORT_ERRORS) errors.push({ line: row.lineNumber, reason: row.reason });
          continue;
        }
        counters.totalRows += 1;
        const line = row.line;
        const paid = line.paymentDate?.getTime();
        if (paid !== undefined) {
          if (paid < minDate) minDate = paid;
          if (paid > maxDate) maxDate = paid;
        }
        batch.push({
          lineNumber: line.lineNumber,
          lineKey: settlementLineKey(line),
          cip: line.cip,
          amountMinor: line.amountMinor,
          currency: line.currency,
          paymentDate: line.paymentDate,
          channel: line.channel,
          commissionMinor: line.commissionMinor,
          netMinor: line.netMinor,
          payoutDate: line.payoutDate,
          operationNumber: line.operationNumber,
        });
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    } finally {
      rows.close();
    }
    await this.deps.lines.linesStored?.(input.importId);

    const coverage = Number.isFinite(minDate) ? { from: new Date(minDate), to: new Date(maxDate) } : null;
    return ok({ ...counters, coverage, errors });
  }

  /** Stores a batch; returns how many lines are new. Keys already stored by this import are in-file repeats. */
  private async store(input: ImportFileInput, batch: NewSettlementLine[], repeats: Map<string, number>): Promise<number> {
    const { lines } = this.deps;
    // Repeats inside the batch are renamed here, without asking the database.
    const inBatch = new Set<string>();
    let pending = batch.map((line) => {
      if (!inBatch.has(line.lineKey)) {
        inBatch.add(line.lineKey);
        return line;
      }
      const occurrence = (repeats.get(line.lineKey) ?? 1) + 1;
      repeats.set(line.lineKey, occurrence);
      const renamed = { ...line, lineKey: `${line.lineKey}#${occurrence}` };
      inBatch.add(renamed.lineKey);
      return renamed;
    });
    let stored = 0;
    // Round 2 only holds renamed repeats; a third round would need a renamed key stored by another file.
    for (let round = 0; round < 3 && pending.length > 0; round += 1) {
      const inserted = await lines.insertNew(input.shopId, input.importId, pending);
      stored += inserted;
      if (inserted === pending.length) break;
      const owners = await lines.ownersOf(
        input.shopId,
        pending.map((line) => line.lineKey),
      );
      const renamed: NewSettlementLine[] = [];
      for (const line of pending) {
        const owner = owners.get(line.lineKey);
        if (!owner || owner.importId !== input.importId || owner.lineNumber === line.lineNumber) continue;
        // Same key in an earlier batch of this very file: a second real line for the same payment.
        const base = line.lineKey.replace(/#\d+$/, "");
        const occurrence = (repeats.get(base) ?? 1) + 1;
        repeats.set(base, occurrence);
        renamed.push({ ...line, lineKey: `${base}#${occurrence}` });
      }
      pending = renamed;
    }
    return stored;
  }
}
