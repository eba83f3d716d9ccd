import type { SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import { err, ok, type Result } from "../../lib/result";
import type { SettlementFilePreview, SettlementFileReader, SettlementUploads, StoredUpload, UnreadableFormat } from "../../ports/settlement-files";
import type { SettlementImportRecord, SettlementImportStore } from "../../ports/settlement-imports";

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

/** For logs and API users; the panel words each format in the merchant's language. */
export const UNREADABLE_MESSAGES: Record<UnreadableFormat, string> = {
  xls: "Old Excel .xls files cannot be read: save the file as .xlsx or .csv",
  pdf: "A PDF cannot be read: upload the CSV or XLSX export of the PagoEfectivo portal",
  binary: "The file is neither CSV text nor an XLSX workbook (it may be damaged): upload the CSV or XLSX export of the PagoEfectivo portal",
};

export type PreviewError = { readonly kind: "unsupported_format"; readonly format: UnreadableFormat; readonly message: string } | { readonly kind: "upload_not_found"; readonly message: string };

/**
 * The first rows of an uploaded file, for the merchant to check it and set the column mapping once:
 * headers, the rows as text, a suggested mapping from the headers, and (with a mapping) how each row
 * would import. Reads only the first rows. The upload is kept (an hour) so the import can use it.
 */
export class PreviewSettlementFile {
  constructor(
    private readonly deps: {
      uploads: SettlementUploads;
      imports: SettlementImportStore;
      files: SettlementFileReader;
      mapping: (shopId: string) => Promise<SettlementColumnMapping | null>;
    },
  ) {}

  async execute(input: { shopId: string; upload: StoredUpload; rows: number; mapping?: SettlementColumnMapping | null }): Promise<Result<FilePreview, PreviewError>> {
    const { uploads, imports } = this.deps;
    const format = await uploads.sniffFormat(input.shopId, input.upload.uploadId);
    if (format === "xls" || format === "pdf" || format === "binary") {
      uploads.discardUpload(input.shopId, input.upload.uploadId);
      return err({ kind: "unsupported_format", format, message: UNREADABLE_MESSAGES[format] });
    }
    const mapping = input.mapping === undefined ? await this.deps.mapping(input.shopId) : input.mapping;
    const file = format ? await uploads.openUpload(input.shopId, input.upload.uploadId) : null;
    if (!format || !file) return err({ kind: "upload_not_found", message: "The upload is not available" });
    const preview = await this.deps.files.preview(format, file, input.rows, mapping);
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
