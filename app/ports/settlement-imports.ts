import type { Currency } from "../domain/money";
import type { SettlementColumnMapping } from "../domain/settlement/column-mapping";

/**
 * queued: stored, waiting for its turn; importing: reading the file; reconciling: lines stored, the
 * reconciliation run it triggered is going; done; failed (nothing of it is kept: see failureReason).
 */
export type ImportStatus = "queued" | "importing" | "reconciling" | "done" | "failed";
export type SettlementFileFormat = "csv" | "xlsx";

export interface ImportRowError {
  readonly line: number;
  readonly reason: string;
}

/** Bad rows kept with an import (the rest are counted only). */
export const MAX_IMPORT_ERRORS = 200;

export interface ImportCounters {
  /** Data rows read: good + bad + duplicate. */
  totalRows: number;
  /** Rows stored as new settlement lines. */
  goodRows: number;
  /** Rows that could not be read; each has a line number and reason (the first 200 are kept). */
  badRows: number;
  /** Readable rows already imported from an earlier file (same line key): not stored again. */
  duplicateRows: number;
}

export interface SettlementImportRecord extends ImportCounters {
  readonly id: string;
  readonly shopId: string;
  readonly fileName: string;
  readonly fileHash: string;
  readonly format: SettlementFileFormat;
  readonly status: ImportStatus;
  readonly sizeBytes: number;
  readonly bytesRead: number;
  readonly errors: ImportRowError[];
  readonly mapping: SettlementColumnMapping | null;
  readonly failureReason: string | null;
  readonly coverageFrom: Date | null;
  readonly coverageTo: Date | null;
  readonly reconciliationRunId: string | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface NewSettlementImport {
  readonly id: string;
  readonly shopId: string;
  readonly fileName: string;
  readonly fileHash: string;
  readonly format: SettlementFileFormat;
  readonly sizeBytes: number;
  readonly mapping: SettlementColumnMapping;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

export interface ImportProgress extends ImportCounters {
  readonly bytesRead: number;
  readonly errors: readonly ImportRowError[];
  readonly at: Date;
}

export interface SettlementImportStore {
  /** Inserts the import unless the shop already has one with the same file hash, which is returned instead. */
  create(input: NewSettlementImport): Promise<{ created: true; record: SettlementImportRecord } | { created: false; existing: SettlementImportRecord }>;
  /** Puts a failed import back in the queue for a new copy of the same file (counters cleared). */
  requeueFailed(id: string, input: NewSettlementImport): Promise<SettlementImportRecord | null>;
  get(id: string): Promise<SettlementImportRecord | null>;
  findForShop(shopId: string, id: string): Promise<SettlementImportRecord | null>;
  findByHash(shopId: string, fileHash: string): Promise<SettlementImportRecord | null>;
  list(shopId: string, page: { skip: number; take: number }): Promise<{ items: SettlementImportRecord[]; total: number }>;
  markImporting(id: string, at: Date): Promise<void>;
  saveProgress(id: string, progress: ImportProgress): Promise<void>;
  markImported(id: string, progress: ImportProgress, coverage: { from: Date; to: Date } | null, status: "reconciling" | "done"): Promise<void>;
  markDone(id: string, runId: string | null, at: Date): Promise<void>;
  markFailed(id: string, reason: string, at: Date): Promise<void>;
  /** Imports left queued/importing/reconciling by an instance that stopped (no heartbeat since `before`). */
  listStale(before: Date): Promise<SettlementImportRecord[]>;
}

/** One settlement line as the importer stores it. */
export interface NewSettlementLine {
  readonly lineNumber: number;
  readonly lineKey: string;
  readonly cip: string;
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly paymentDate: Date | null;
  readonly channel: string | null;
  readonly commissionMinor: number | null;
  readonly netMinor: number | null;
  readonly payoutDate: Date | null;
  readonly operationNumber: string | null;
}

export interface SettlementLineWriter {
  /** Inserts lines, skipping any whose (shop, lineKey) exists; returns how many were inserted. */
  insertNew(shopId: string, importId: string, lines: readonly NewSettlementLine[]): Promise<number>;
  /** For keys that exist: which import and line holds each. */
  ownersOf(shopId: string, keys: readonly string[]): Promise<Map<string, { importId: string; lineNumber: number }>>;
  deleteImportLines(importId: string): Promise<number>;
  /** Called once all of an import's lines are stored (the store may refresh what its query planner knows). */
  linesStored?(importId: string): Promise<void>;
}

/** How many of a shop's settlement lines are in each reconciliation status (the panel's summary). */
export interface SettlementLineCounts {
  countByStatus(shopId: string): Promise<Record<string, number>>;
}
