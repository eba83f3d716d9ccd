import { randomBytes } from "node:crypto";

import type { SettlementColumnMapping } from "../../domain/settlement/column-mapping";
import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { SettlementUploads, StoredUpload, UnreadableFormat } from "../../ports/settlement-files";
import type { SettlementImportRecord, SettlementImportStore } from "../../ports/settlement-imports";
import { UNREADABLE_MESSAGES } from "./preview-settlement-file";
import type { SettlementImportRunner } from "./settlement-import-runner";

export type StartImportError =
  | { readonly kind: "no_mapping"; readonly message: string }
  | { readonly kind: "unsupported_format"; readonly format: UnreadableFormat; readonly message: string }
  | { readonly kind: "upload_not_found"; readonly message: string };

export interface StartImportInput {
  readonly shopId: string;
  /** A fresh upload (already hashed) or the id of an earlier one (a preview). */
  readonly upload: StoredUpload | { readonly uploadId: string };
  readonly fileName: string;
  readonly createdBy: string | null;
}

/**
 * Turns an uploaded settlement file into a queued import. The same file (same SHA-256) is imported once
 * per shop: uploading it again answers with the existing import and changes nothing. A file whose
 * import failed can be imported again. The column mapping in force is stored with the import.
 */
export class StartSettlementImport {
  constructor(
    private readonly deps: {
      imports: SettlementImportStore;
      uploads: SettlementUploads;
      runner: SettlementImportRunner;
      mapping: (shopId: string) => Promise<SettlementColumnMapping | null>;
      clock: Clock;
    },
  ) {}

  async execute(input: StartImportInput): Promise<Result<{ import: SettlementImportRecord; duplicate: boolean }, StartImportError>> {
    const { imports, uploads, runner, clock } = this.deps;
    const upload = "sha256" in input.upload ? input.upload : await uploads.describe(input.shopId, input.upload.uploadId);
    if (!upload) return err({ kind: "upload_not_found", message: "The upload is not available any more (uploads are kept for one hour); upload the file again" });

    const mapping = await this.deps.mapping(input.shopId);
    if (!mapping) {
      uploads.discardUpload(input.shopId, upload.uploadId);
      return err({ kind: "no_mapping", message: "Set the settlement column mapping first (PUT /api/settlements/mapping)" });
    }
    const format = await uploads.sniffFormat(input.shopId, upload.uploadId);
    if (format === null) return err({ kind: "upload_not_found", message: "The upload is not available" });
    if (format !== "csv" && format !== "xlsx") {
      uploads.discardUpload(input.shopId, upload.uploadId);
      return err({ kind: "unsupported_format", format, message: UNREADABLE_MESSAGES[format] });
    }

    const now = clock.now();
    const fields = {
      id: newImportId(now),
      shopId: input.shopId,
      fileName: cleanFileName(input.fileName),
      fileHash: upload.sha256,
      format,
      sizeBytes: upload.sizeBytes,
      mapping,
      createdBy: input.createdBy,
      createdAt: now,
    };
    const created = await imports.create(fields);
    let record: SettlementImportRecord;
    if (created.created) {
      record = created.record;
    } else if (created.existing.status === "failed") {
      const requeued = await imports.requeueFailed(created.existing.id, { ...fields, id: created.existing.id });
      if (!requeued) {
        uploads.discardUpload(input.shopId, upload.uploadId);
        return ok({ import: created.existing, duplicate: true });
      }
      record = requeued;
    } else {
      uploads.discardUpload(input.shopId, upload.uploadId);
      return ok({ import: created.existing, duplicate: true });
    }

    if (!(await uploads.adopt(input.shopId, upload.uploadId, record.id))) {
      await imports.markFailed(record.id, "The uploaded file disappeared before the import started; upload it again", clock.now());
      return err({ kind: "upload_not_found", message: "The upload is not available any more; upload the file again" });
    }
    void runner.enqueue(record);
    return ok({ import: record, duplicate: false });
  }
}

/** Time-ordered ids, so a shop's imports (and their lines, whose ids start with the import's) sort by age. */
export function newImportId(now: Date): string {
  return `imp_${now.getTime().toString(36).padStart(9, "0")}${randomBytes(6).toString("hex")}`;
}

/** The file name as shown to people: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, "").trim() ?? "";
  return (base || "settlement").slice(0, 200);
}
