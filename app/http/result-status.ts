import { HttpError } from "./http-error";

/**
 * The one table from a use case's refusal to the HTTP answer. Use cases return values ({ kind, message }
 * or { kind: "refused", reason }); they never pick a status code. A new refusal kind is added here, and
 * the type checker then refuses a route that maps a kind this table does not know.
 */
const STATUS_OF_REFUSAL = {
  // Shopify's session requests (start-payment-session, receive-refund-session).
  unknown_shop: 404,
  unknown_payment: 404,
  invalid_amount: 400,
  invalid: 422,
  // Not 2xx: Shopify sends the same request again, and the stored session makes that safe.
  try_again: 503,
  // PagoEfectivo's notifications: 4xx for what PagoEfectivo must not retry blindly.
  unknown_key: 404,
  bad_signature: 401,
  malformed: 400,
  // Shopify's webhooks.
  bad_hmac: 401,
  missing_shop: 400,
} as const satisfies Record<string, number>;

export type RefusalKind = keyof typeof STATUS_OF_REFUSAL;

const CODE_OF_STATUS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "unprocessable",
  503: "unavailable",
};

/** Refusals whose answer carries their own code rather than the status's generic one. */
const OWN_CODE: ReadonlySet<RefusalKind> = new Set(["try_again"]);

export function statusOfRefusal(kind: RefusalKind): number {
  return STATUS_OF_REFUSAL[kind];
}

/** The HttpError a route throws for a refusal; the error handler writes it. */
export function refusalError(kind: RefusalKind, message: string): HttpError {
  const status = STATUS_OF_REFUSAL[kind];
  return new HttpError(status, OWN_CODE.has(kind) ? kind : (CODE_OF_STATUS[status] ?? "error"), message);
}
