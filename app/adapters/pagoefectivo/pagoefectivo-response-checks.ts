import type { Logger } from "../../lib/logger";
import type { PagoEfectivoError } from "../../ports/pagoefectivo-gateway";
import { invalidResponseError, type PagoEfectivoOperation } from "./pagoefectivo-errors";

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Logs where an answer failed its schema and returns the matching error. */
export function unreadableResponse(
  logger: Logger,
  operation: PagoEfectivoOperation,
  status: number,
  error: unknown,
): PagoEfectivoError {
  // Log where the shape broke, never the body itself (tokens, personal data).
  const issues =
    typeof error === "object" && error !== null && "issues" in error && Array.isArray(error.issues)
      ? (error.issues as { path?: unknown[]; message?: string }[]).map((issue) => ({
          path: (issue.path ?? []).join("."),
          message: issue.message,
        }))
      : [];
  logger.warn({ pagoefectivo: { operation, status, issues } }, "PagoEfectivo response failed validation");
  return invalidResponseError(operation, status);
}
