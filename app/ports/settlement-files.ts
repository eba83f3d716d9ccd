import type { Readable } from "node:stream";

import type { Currency } from "../domain/money";
import type { SettlementColumnMapping, SettlementField } from "../domain/settlement/column-mapping";
import type { SettlementLineRecord } from "../domain/settlement/settlement-line";
import type { Result } from "../lib/result";
import type { SettlementFileFormat } from "./settlement-imports";

/**
 * Settlement files as the use cases see them: uploads kept on disk for preview and import
 * (app/adapters/settlement-files/settlement-upload-store.ts), and readers that turn a CSV or XLSX
 * export into parsed lines with the merchant's column mapping (settlement-file-reader.ts).
 */

/** A parsed line before the importer gives it an importId; absent columns are null. */
export type ParsedSettlementLine = {
  readonly [K in keyof Omit<SettlementLineRecord, "importId">]-?: Exclude<SettlementLineRecord[K], undefined>;
};

export type SettlementRowError =
  | { readonly kind: "missing_value"; readonly field: SettlementField }
  | { readonly kind: "invalid_value"; readonly field: SettlementField; readonly value: string; readonly detail: string }
  | { readonly kind: "currency_conflict"; readonly currency: Currency; readonly amountCurrency: Currency }
  | { readonly kind: "malformed_line"; readonly detail: string }
  | { readonly kind: "bad_mapping"; readonly detail: string }
  | { readonly kind: "empty_file" };

export type SettlementRowResult =
  | { readonly lineNumber: number; readonly ok: true; readonly line: ParsedSettlementLine }
  | {
      readonly lineNumber: number;
      readonly ok: false;
      /** For people: which field, what was there, what is wrong. */
      readonly reason: string;
      readonly error: SettlementRowError;
      /** True when the whole file is unusable (bad mapping, no header): nothing follows it. */
      readonly fatal?: true;
    };

export interface SettlementFilePreview {
  /** The header row's cells ([] when the mapping says there is none). */
  readonly headers: string[];
  /** Where the header was found (0 when there is none), to pre-fill the mapping's headerLine. */
  readonly headerLineNumber: number;
  /** The first data rows after the header, as text, with their line numbers. */
  readonly rows: { readonly lineNumber: number; readonly cells: string[] }[];
  /** A mapping guessed from the headers for the mapping form to pre-fill. */
  readonly suggestedMapping: Partial<Record<SettlementField, string>>;
  /** With a mapping: how each previewed row would import, or the single fatal mapping problem. */
  readonly parsed?: SettlementRowResult[];
}

export interface StoredUpload {
  readonly uploadId: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export type UploadError =
  | { readonly kind: "too_large"; readonly maxBytes: number }
  | { readonly kind: "empty" }
  | { readonly kind: "interrupted"; readonly message: string };

/** The rows of one file being read, and how many of its bytes were read so far (for the progress bar). */
export interface SettlementFileRows extends AsyncIterable<SettlementRowResult> {
  bytesRead(): number;
  /** Stops reading and releases the file. */
  close(): void;
}

/**
 * A stored settlement file, open for reading. A CSV is read front to back, but an XLSX workbook is a ZIP
 * archive whose table of contents (the central directory) is at its end and whose parts come in any order,
 * so the reader asks for byte ranges instead of one forward-only stream: read as one stream, exceljs's
 * streaming reader could lose parts it had not asked for yet (exceljs issue #3064).
 */
export interface SettlementFileSource {
  readonly sizeBytes: number;
  /** The bytes from `start` (inclusive) to `end` (exclusive), or the whole file. */
  stream(range?: { readonly start: number; readonly end: number }): Readable;
  /** Releases the file; streams still open fail. */
  close(): Promise<void>;
}

/** The reader closes the file it was given when the rows end, are closed, or the preview is done. */
export interface SettlementFileReader {
  /** Every data line, parsed with the mapping, or a bad row with its line number and reason; a fatal row is the last. */
  read(format: SettlementFileFormat, file: SettlementFileSource, mapping: SettlementColumnMapping): SettlementFileRows;
  /** The header and first `rows` data rows (with a mapping, also how they would import). */
  preview(format: SettlementFileFormat, file: SettlementFileSource, rows: number, mapping: SettlementColumnMapping | null): Promise<SettlementFilePreview & { delimiter?: string; encoding?: string }>;
}

/**
 * What an upload is, from its first bytes: a readable CSV or XLSX, or one that cannot be read: "xls" (the
 * old binary Excel format), "pdf", or "binary" (any other non-text content, e.g. a damaged .xlsx).
 */
export type SniffedFormat = SettlementFileFormat | UnreadableFormat;
export type UnreadableFormat = "xls" | "pdf" | "binary";

/** Uploaded settlement files, streamed to storage and hashed on the way; kept an hour for preview, then adopted by an import. */
export interface SettlementUploads {
  // Every upload belongs to the shop that sent it: another shop's upload id is not found (issue #10).
  /** Streams `body` to a new upload of the shop, hashing it on the way. */
  receive(shopId: string, body: Readable): Promise<Result<StoredUpload, UploadError>>;
  describe(shopId: string, uploadId: string): Promise<StoredUpload | null>;
  /** The format from the file's first bytes (see SniffedFormat). */
  sniffFormat(shopId: string, uploadId: string): Promise<SniffedFormat | null>;
  /** The upload, open for reading (null when it is gone). */
  openUpload(shopId: string, uploadId: string): Promise<SettlementFileSource | null>;
  /** Moves the upload to the import's file; false when the upload is gone. */
  adopt(shopId: string, uploadId: string, importId: string): Promise<boolean>;
  discardUpload(shopId: string, uploadId: string): void;
  openImportFile(importId: string): Promise<SettlementFileSource>;
  hasImportFile(importId: string): boolean;
  discardImportFile(importId: string): void;
  /** Deletes uploads older than their time to live. */
  sweep(): void;
}
