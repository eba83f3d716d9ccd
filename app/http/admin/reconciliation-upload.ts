import type { Request } from "express";

import { fileNameQuery } from "../../contracts/admin-api";
import type { SettlementUploads, StoredUpload } from "../../ports/settlement-files";
import { HttpError } from "../http-error";
import { refusalError } from "../result-status";
import { parseInput } from "./parse-input";

/**
 * Settlement files arrive as the raw request body (no multipart: the SPA sends the File object as is),
 * with their name in `?fileName=`. Accepted types: CSV (text/csv, application/csv, text/plain,
 * application/vnd.ms-excel as Windows labels .csv) and XLSX, or application/octet-stream; the content
 * decides the format (an XLSX file is a ZIP archive).
 */
const ACCEPTED_TYPES = new Set([
  "text/csv",
  "application/csv",
  "text/plain",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/octet-stream",
]);

export function isRawUpload(req: Request): boolean {
  const type = (req.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return ACCEPTED_TYPES.has(type);
}

/** Streams the request body into a new upload (hashing it on the way), or throws the HTTP error to answer. */
export async function receiveUpload(req: Request, uploads: SettlementUploads, shopId: string): Promise<{ upload: StoredUpload; fileName: string }> {
  const { fileName } = parseInput(fileNameQuery, { fileName: req.query.fileName }, "query");
  if (!isRawUpload(req)) {
    throw new HttpError(
      415,
      "file_type_unsupported",
      "Send the file as the raw request body with Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
  }
  const received = await uploads.receive(shopId, req);
  if (received.ok) return { upload: received.value, fileName };
  const error = received.error;
  if (error.kind === "too_large") {
    const maxMiB = Math.round(error.maxBytes / 2 ** 20);
    throw refusalError(error.kind, `The file is larger than ${maxMiB} MiB`, { params: { maxMiB } });
  }
  throw refusalError(error.kind, error.kind === "empty" ? "The file is empty" : `The upload was interrupted: ${error.message}`);
}
