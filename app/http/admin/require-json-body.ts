import type { RequestHandler } from "express";

import { HttpError } from "../http-error";
import { isRawUpload } from "./reconciliation-upload";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** The only admin routes whose body is a file, sent raw (reconciliation-upload.ts). */
const RAW_UPLOAD_PATHS = new Set(["/settlements/preview", "/settlements/imports"]);

/**
 * Admin writes carry JSON (issue #10): a form, text or XML body answers 415 and names what is taken,
 * rather than being ignored and failing later as a confusing 400. A write without a body (an action
 * like "activate") passes. The settlement file uploads take the file as the raw body.
 */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    if (!WRITE_METHODS.has(req.method) || !hasBody(req.headers)) return next();
    if (req.is("application/json")) return next();
    if (RAW_UPLOAD_PATHS.has(req.path) && isRawUpload(req)) return next();
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Send the body as JSON (Content-Type: application/json)${RAW_UPLOAD_PATHS.has(req.path) ? ", or the file as the raw body (text/csv or an XLSX type)" : ""}`,
    );
  };
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers["content-length"];
  if (headers["transfer-encoding"] !== undefined) return true;
  return length !== undefined && length !== "0";
}
