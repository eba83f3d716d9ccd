import { assertUnreachable } from "../../lib/assert-unreachable";
import type { PagoEfectivoError, PagoEfectivoFieldError } from "../../ports/pagoefectivo-gateway";
import { errorResponseSchema } from "./pagoefectivo-schemas";

/** The one place where PagoEfectivo's HTTP statuses and codes become PagoEfectivoError values. */

export type PagoEfectivoOperation = "authorize" | "createCip" | "searchCips" | "updateCipExpiry" | "deleteCip";

const INVALID_DATA_CODES = new Set(["111", "112", "113"]);

/** Maps a non-2xx response from /v1/cips... (not /authorizations, see authorizationRejected). */
export function errorFromResponse(operation: PagoEfectivoOperation, httpStatus: number, body: unknown): PagoEfectivoError {
  const parsed = errorResponseSchema.safeParse(body);
  const code = parsed.success ? parsed.data.code : undefined;
  const vendorMessage = parsed.success ? parsed.data.message : undefined;
  const fields = parsed.success ? toFieldErrors(parsed.data.data ?? []) : [];
  const base = { httpStatus, ...(code ? { code } : {}), ...(vendorMessage ? { vendorMessage } : {}) };

  // PagoEfectivo's own code says more than the HTTP status (several errors share 400), so it goes first.
  if (code !== undefined && INVALID_DATA_CODES.has(code)) {
    return { kind: "invalid_data", ...base, fields, message: invalidDataMessage(fields), retryable: false };
  }
  if (code === "508") {
    return {
      kind: "service_error",
      ...base,
      message: "PagoEfectivo says the service of these credentials is not valid. Check the service ID (idService).",
      retryable: false,
    };
  }
  if (code === "511") {
    return {
      kind: "amount_over_limit",
      ...base,
      message: "The amount is above the maximum PagoEfectivo allows for this merchant account.",
      retryable: false,
    };
  }
  if (code === "166" || httpStatus >= 500) {
    return {
      kind: "server_error",
      ...base,
      message: "PagoEfectivo had an internal error. Try again in a few minutes.",
      retryable: true,
    };
  }
  if (httpStatus === 401) {
    return {
      kind: "service_error",
      ...base,
      message: "PagoEfectivo did not accept the access token, even a freshly issued one. Check the credentials.",
      retryable: false,
    };
  }
  if (httpStatus === 403) {
    return {
      kind: "service_error",
      ...base,
      message: "PagoEfectivo refused access for these credentials. Check the account is enabled for this environment.",
      retryable: false,
    };
  }
  if (httpStatus === 400) {
    return { kind: "invalid_data", ...base, fields, message: invalidDataMessage(fields), retryable: false };
  }
  if (httpStatus === 429) {
    return {
      kind: "server_error",
      ...base,
      message: "PagoEfectivo is limiting requests right now. Try again in a few minutes.",
      retryable: true,
    };
  }
  // 404, 405 and anything else: the URL or method is not what PagoEfectivo serves; repeating will not help.
  return {
    kind: "server_error",
    ...base,
    message: `PagoEfectivo answered HTTP ${httpStatus} to ${describe(operation)}. Check the environment's base URL.`,
    retryable: false,
  };
}

/**
 * Any non-2xx answer from /v1/authorizations, classified by what PagoEfectivo refused. A 400 naming
 * dateRequest means the signed time is too far from PagoEfectivo's clock (the emulator refuses more than
 * 10 minutes; the real window is undocumented), not bad credentials: saying "credentials" there sends the
 * merchant after the wrong problem.
 */
export function authorizationRejected(httpStatus: number, body: unknown): PagoEfectivoError {
  const parsed = errorResponseSchema.safeParse(body);
  const code = parsed.success ? parsed.data.code : undefined;
  const vendorMessage = parsed.success ? parsed.data.message : undefined;
  const fields = parsed.success ? toFieldErrors(parsed.data.data ?? []) : [];
  const base = { httpStatus, ...(code ? { code } : {}), ...(vendorMessage ? { vendorMessage } : {}) };
  if (httpStatus >= 500 || code === "166") {
    return {
      kind: "server_error",
      ...base,
      message: "PagoEfectivo had an internal error while signing in. Try again in a few minutes.",
      retryable: true,
    };
  }
  const named = (field: string) => fields.some((item) => item.field.toLowerCase() === field.toLowerCase());
  if (httpStatus === 400 && named("dateRequest")) {
    return {
      kind: "service_error",
      ...base,
      signInRefusal: "clock_skew",
      message:
        "PagoEfectivo refused the sign-in because its time (dateRequest) is too far from PagoEfectivo's clock. " +
        "Check this server's clock (NTP); the credentials were not judged.",
      retryable: false,
    };
  }
  if (httpStatus === 400) {
    const details = fields.map((item) => item.field).filter(Boolean).join(", ");
    return {
      kind: "service_error",
      ...base,
      signInRefusal: "invalid_request",
      message: `PagoEfectivo refused the sign-in request as invalid${details ? ` (${details})` : ""}. Check the service ID and access key format.`,
      retryable: false,
    };
  }
  if (httpStatus === 403) {
    return {
      kind: "service_error",
      ...base,
      signInRefusal: "forbidden",
      message: "PagoEfectivo refused access for these credentials. Check the account is enabled for this environment.",
      retryable: false,
    };
  }
  return {
    kind: "service_error",
    ...base,
    signInRefusal: "credentials",
    message:
      "PagoEfectivo rejected the credentials. Check the access key, secret key and service ID, and that they " +
      "belong to the selected environment (pre-production or production).",
    retryable: false,
  };
}

export function timeoutError(operation: PagoEfectivoOperation, timeoutMs: number): PagoEfectivoError {
  return {
    kind: "timeout",
    message: `PagoEfectivo did not answer ${describe(operation)} within ${formatSeconds(timeoutMs)}. Try again.`,
    retryable: true,
  };
}

export function networkError(operation: PagoEfectivoOperation): PagoEfectivoError {
  return {
    kind: "network",
    message: `Could not reach PagoEfectivo to ${describe(operation)}. Check the connection and try again.`,
    retryable: true,
  };
}

export function ambiguousCreateError(detail: string, httpStatus?: number): PagoEfectivoError {
  return {
    kind: "ambiguous",
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    message:
      `PagoEfectivo did not confirm whether the payment code was created (${detail}). It was not sent again, ` +
      "so that a second code is never created.",
    retryable: false,
  };
}

export function invalidResponseError(operation: PagoEfectivoOperation, httpStatus: number): PagoEfectivoError {
  return {
    kind: "invalid_response",
    httpStatus,
    message: `PagoEfectivo's answer to ${describe(operation)} could not be read.`,
    retryable: false,
  };
}

/** A request the client refused to send because a field breaks PagoEfectivo's documented limits. */
export function localInvalidData(fields: readonly PagoEfectivoFieldError[]): PagoEfectivoError {
  return { kind: "invalid_data", fields, message: invalidDataMessage(fields), retryable: false };
}

function toFieldErrors(
  items: readonly { code?: string | undefined; message?: string | undefined; field?: string | undefined }[],
): PagoEfectivoFieldError[] {
  return items.map((item) => ({ code: item.code ?? "", message: item.message ?? "", field: item.field ?? "" }));
}

function invalidDataMessage(fields: readonly PagoEfectivoFieldError[]): string {
  const details = fields
    .filter((item) => item.field !== "" || item.message !== "")
    .map((item) => (item.field ? `${item.field}: ${item.message || "invalid"}` : item.message))
    .join("; ");
  return details
    ? `PagoEfectivo cannot accept the payment details (${details}).`
    : "PagoEfectivo cannot accept the payment details.";
}

function describe(operation: PagoEfectivoOperation): string {
  switch (operation) {
    case "authorize":
      return "sign in";
    case "createCip":
      return "create the payment code";
    case "searchCips":
      return "look up payment codes";
    case "updateCipExpiry":
      return "change the payment code's expiry";
    case "deleteCip":
      return "delete the payment code";
    default:
      return assertUnreachable(operation);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} seconds`;
}
