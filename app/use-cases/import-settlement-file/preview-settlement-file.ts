import type { SettlementColumnMapping } from "../../adapters/settlement-files/column-mapping";
import { previewSettlementCsv } from "../../adapters/settlement-files/csv-settlement-reader";
import type { SettlementFilePreview } from "../../adapters/settlement-files/settlement-file-rows";
import { previewSettlementXlsx } from "../../adapters/settlement-files/xlsx-settlement-reader";
import { err, ok, type Result } from "../../lib/result";
import type { SettlementImportRecord, SettlementImportStore } from "../../ports/settlement-imports";
import type { SettlementUploadStore, StoredUpload } from "./settlement-upload-store";

export interface FilePreview {
  readonly uploadId: string;
  readonly format: "csv" | "xlsx";
  readonly sizeBytes: number;
  readonly fileHash: string;
  /** The import that already holds this exact file, if any: importing it again would change nothing. */
  readonly alreadyImported: SettlementImportRecord | null;
  /** Whether `preview.parsed` used the shop's saved mapping (or the one given), or no mapping. */
  readonly mappingApplied: boolean;
  readonly preview: SettlementFilePreview & { delimiter?: string; encoding?: string };
}

export type PreviewError = { readonly kind: "unsupported_format"; readonly message: string } | { readonly kind: "upload_not_found"; readonly message: string };

/**
 * The first rows of an uploaded file, for the merchant to check it and set the column mapping once:
 * headers, the rows as text, a suggested mapping from the headers, and (with a mapping) how each row
 * would import. Reads only the first rows. The upload is kept (an hour) so the import can use it.
 */
export class PreviewSettlementFile {
  constructor(
    private readonly deps: {
      uploads: SettlementUploadStore;
      imports: SettlementImportStore;
      mapping: (shopId: string) => Promise<SettlementColumnMapping | null>;
    },
  ) {}

  async execute(input: { shopId: string; upload: StoredUpload; rows: number; mapping?: SettlementColumnMapping | null }): Promise<Result<FilePreview, PreviewError>> {
    const { uploads, imports } = this.deps;
    const format = await uploads.sniffFormat(input.upload.uploadId);
    if (format === "xls") {
      uploads.discardUpload(input.upload.uploadId);
      return err({ kind: "unsupported_format", message: "Old Excel .xls files cannot be read: save the file as .xlsx or .csv" });
    }
    const stream = uploads.openUpload(input.upload.uploadId);
    if (!format || !stream) return err({ kind: "upload_not_found", message: "The upload is not available" });
    const mapping = input.mapping === undefined ? await this.deps.mapping(input.shopId) : input.mapping;
    const options = mapping ? { mapping } : {};
    const preview = format === "xlsx" ? await previewSettlementXlsx(stream, input.rows, options) : await previewSettlementCsv(stream, input.rows, options);
    stream.destroy();
    return ok({
      uploadId: input.upload.uploadId,
      format,
      sizeBytes: input.upload.sizeBytes,
      fileHash: input.upload.sha256,
      alreadyImported: await imports.findByHash(input.shopId, input.upload.sha256),
      mappingApplied: mapping !== null,
      preview,
    });
  }
}
