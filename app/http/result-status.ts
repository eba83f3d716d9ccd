import { HttpError } from "./http-error";

/**
 * The one table from a use case's refusal to the HTTP answer. Use cases return values ({ kind, message }
 * or { kind: "refused", reason }); they never pick a status code, and routes never pick one for a refusal
 * either: they throw refusalError(kind, message). A new refusal kind is added here, and the type checker
 * then refuses a route that maps a kind this table does not know.
 *
 * `code` is the stable code of the error answer the admin panel words in the merchant's language; without
 * it the answer carries the status's generic code (not_found, conflict, ...).
 */
interface Answer {
  readonly status: number;
  readonly code?: string;
}

const REFUSALS = {
  // Shopify's session requests (start-payment-session, receive-refund-session).
  unknown_shop: { status: 404 },
  unknown_payment: { status: 404 },
  invalid_amount: { status: 400 },
  unsupported_currency: { status: 422, code: "unsupported_currency" },
  invalid: { status: 422 },
  // A payment session id Shopify already sent for another shop.
  id_conflict: { status: 409, code: "id_conflict" },
  // Not 2xx: Shopify sends the same request again, and the stored session makes that safe.
  try_again: { status: 503, code: "try_again" },
  // PagoEfectivo's notifications: 4xx for what PagoEfectivo must not retry blindly.
  unknown_key: { status: 404 },
  bad_signature: { status: 401 },
  malformed: { status: 400 },
  // Too many rejected notifications from one address or to one URL key (issue #10).
  rate_limited: { status: 429 },
  // Shopify's webhooks.
  bad_hmac: { status: 401 },
  missing_shop: { status: 400 },
  // The signed body names another shop than the X-Shopify-Shop-Domain header.
  shop_mismatch: { status: 400 },

  // Admin panel: records and writes (settlement settings, reconciliation exceptions, dead letters).
  not_found: { status: 404 },
  already_resolved: { status: 409 },
  not_dead: { status: 409 },
  // Settings, Test connection and activation (configure-shop, test-connection, activate-payments-app).
  secret_required: { status: 400, code: "secret_key_required" },
  no_credentials: { status: 409 },
  not_ready: { status: 409, code: "activation_not_ready" },
  not_installed: { status: 409, code: "not_installed" },
  shopify_error: { status: 502, code: "shopify_error" },
  // Refund decisions (decide-refund).
  already_decided: { status: 409, code: "refund_already_decided" },
  refunded_on_in_future: { status: 422, code: "refund_date_in_future" },
  // Linking a payment to an order by hand (link-order-by-hand).
  payment_not_found: { status: 404, code: "payment_not_found" },
  invalid_order: { status: 400, code: "invalid_order" },
  order_not_found: { status: 404, code: "order_not_found" },
  order_taken: { status: 409, code: "order_taken" },
  shopify_unavailable: { status: 502, code: "shopify_unavailable" },
  // Settlement files: the upload, its format, the import (settlement-files port, import-settlement-file).
  too_large: { status: 413, code: "file_too_large" },
  empty: { status: 400, code: "file_empty" },
  interrupted: { status: 400, code: "upload_interrupted" },
  no_mapping: { status: 409, code: "no_mapping" },
  upload_not_found: { status: 404, code: "upload_not_found" },
  unreadable_xls: { status: 422, code: "file_xls_unsupported" },
  unreadable_pdf: { status: 422, code: "file_pdf_unsupported" },
  unreadable_binary: { status: 422, code: "file_unreadable" },
  // Shopify OAuth (sign-in and install): the callback's failures, answered as an HTML page.
  invalid_shop: { status: 400 },
  bot: { status: 403 },
  missing_state: { status: 400 },
  invalid_callback: { status: 400 },
  wrong_grant: { status: 400 },
  exchange_failed: { status: 502 },
} as const satisfies Record<string, Answer>;

export type RefusalKind = keyof typeof REFUSALS;

const CODE_OF_STATUS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  422: "unprocessable",
  429: "too_many_requests",
  502: "bad_gateway",
  503: "unavailable",
};

export function statusOfRefusal(kind: RefusalKind): number {
  return REFUSALS[kind].status;
}

/** What the answer carries besides the message: per-field details, and the words' parameters. */
export interface RefusalExtras {
  details?: unknown;
  params?: Record<string, string | number>;
}

/** The HttpError a route throws for a refusal; the error handler writes it. */
export function refusalError(kind: RefusalKind, message: string, extras: RefusalExtras = {}): HttpError {
  const answer: Answer = REFUSALS[kind];
  return new HttpError(answer.status, answer.code ?? CODE_OF_STATUS[answer.status] ?? "error", message, extras.details, extras.params);
}
