import type { Result } from "../lib/result";

/**
 * The Shopify Payments Apps GraphQL API, as the use cases and outbox handlers see it.
 * Every call is idempotent on Shopify's side per session gid and mutation name, so a retry after a
 * lost answer (timeout, 5xx) is safe: Shopify performs the mutation once and repeats its answer.
 */

/** Which shop to call, with its offline token. The token never leaves the adapter's request header. */
export interface ShopifyTarget {
  readonly shopDomain: string;
  readonly accessToken: string;
}

/** `MERCHANT_ACTION_REQUIRED` exists from API version 2025-07 on. */
export type PaymentSessionPendingReason =
  | "BUYER_ACTION_REQUIRED"
  | "NETWORK_ACTION_REQUIRED"
  | "PARTNER_ACTION_REQUIRED"
  | "MERCHANT_ACTION_REQUIRED";

/**
 * `PaymentSessionStateRejectedReason` values an offsite method can use. PROCESSING_ERROR exists in
 * every API version; RISKY is deprecated; CANCELLED_PAYMENT, INSUFFICIENT_FUNDS and AMOUNT_TOO_* appear
 * only in newer versions, so check the pinned version's enum before sending them (an unknown enum
 * value is a GraphQL error, not a userError).
 */
export type PaymentSessionRejectionCode =
  | "PROCESSING_ERROR"
  | "CANCELLED_PAYMENT"
  | "RISKY"
  | "INSUFFICIENT_FUNDS"
  | "AMOUNT_TOO_LARGE"
  | "AMOUNT_TOO_SMALL";

/** `RefundSessionStatusReasonRejectionCode` has a single value. */
export type RefundSessionRejectionCode = "PROCESSING_ERROR";

export interface PendPaymentSessionInput {
  /** The payment session gid Shopify sent ("gid://shopify/PaymentSession/..."). */
  readonly gid: string;
  /** Shopify recommends at most 3 days ahead; for a CIP this is its expiry. */
  readonly pendingExpiresAt: Date;
  readonly reason: PaymentSessionPendingReason;
}

export interface ResolveSessionInput {
  readonly gid: string;
}

export interface RejectPaymentSessionInput {
  readonly gid: string;
  readonly reason: { readonly code: PaymentSessionRejectionCode; readonly merchantMessage?: string };
}

export interface RejectRefundSessionInput {
  readonly gid: string;
  readonly reason: { readonly code: RefundSessionRejectionCode; readonly merchantMessage?: string };
}

export interface ConfigurePaymentsAppInput {
  /** Shown in the Shopify admin's Payments section; null clears it. */
  readonly externalHandle: string | null;
  readonly ready: boolean;
}

/** What a payment or refund session mutation returned. */
export interface MutationSuccess {
  /** Shopify's state code ("PENDING", "RESOLVED", "REJECTED", ...), from `state.code` or else `__typename`. */
  readonly state: string;
  /** Where to send the buyer next (paymentSessionPending); null when Shopify gave none, and for refunds. */
  readonly nextActionRedirectUrl: string | null;
  /** The mutation's payload as parsed, kept for the payment timeline. */
  readonly raw: unknown;
}

export interface ConfigureSuccess {
  readonly externalHandle: string | null;
  readonly ready: boolean;
}

export interface PaymentsAppsUserError {
  readonly field: readonly string[] | null;
  readonly message: string;
}

interface PaymentsAppsErrorBase {
  /** Plain words for logs and the payment timeline; never contains the token. */
  readonly message: string;
  /** True when sending the same mutation again later may succeed (and, being idempotent, cannot harm). */
  readonly retryable: boolean;
  /** The HTTP status, when a response arrived. */
  readonly httpStatus?: number;
}

export type PaymentsAppsError =
  /** Shopify refused the mutation (wrong state, unknown session, already finalized otherwise). Final. */
  | (PaymentsAppsErrorBase & {
      readonly kind: "user_errors";
      readonly retryable: false;
      readonly userErrors: readonly PaymentsAppsUserError[];
    })
  /** HTTP 429 or a GraphQL `THROTTLED` error. Retryable. */
  | (PaymentsAppsErrorBase & { readonly kind: "throttled"; readonly retryable: true })
  /** HTTP 5xx or a GraphQL `INTERNAL_SERVER_ERROR`. Retryable; the mutation may or may not have run. */
  | (PaymentsAppsErrorBase & { readonly kind: "server_error"; readonly retryable: true })
  /** No connection, DNS failure, connection reset. Retryable. */
  | (PaymentsAppsErrorBase & { readonly kind: "network"; readonly retryable: true })
  /** No complete answer within the client's timeout. Retryable; the mutation may have run. */
  | (PaymentsAppsErrorBase & { readonly kind: "timeout"; readonly retryable: true })
  /** HTTP 401/403 or `ACCESS_DENIED`: the token was revoked or the app uninstalled. Final. */
  | (PaymentsAppsErrorBase & { readonly kind: "unauthorized"; readonly retryable: false })
  /**
   * HTTP 402/423 or `SHOP_INACTIVE`: the shop is frozen, paused or locked (often unpaid Shopify
   * bills). Retryable: merchants usually settle this within hours, and the outbox's ~30 h window
   * then bounds the wait.
   */
  | (PaymentsAppsErrorBase & { readonly kind: "shop_inactive"; readonly retryable: true })
  /**
   * GraphQL `errors` with any other code (query validation, MAX_COST_EXCEEDED, an enum value the
   * pinned version lacks, a code Shopify does not document). Final: retrying the same query does not
   * fix it; the job lands in the dead-letter list, from which it is sent again after a fix (issue #10).
   */
  | (PaymentsAppsErrorBase & {
      readonly kind: "graphql_errors";
      readonly retryable: false;
      readonly codes: readonly string[];
    })
  /** A body that is not the expected JSON (a proxy's HTML page, a cut-off answer, another 4xx). Retryable. */
  | (PaymentsAppsErrorBase & { readonly kind: "invalid_response"; readonly retryable: true });

export type PaymentsAppsErrorKind = PaymentsAppsError["kind"];

export type PaymentsAppsResult<T> = Promise<Result<T, PaymentsAppsError>>;

export interface ShopifyPaymentsAppsGateway {
  pendPaymentSession(target: ShopifyTarget, input: PendPaymentSessionInput): PaymentsAppsResult<MutationSuccess>;
  resolvePaymentSession(target: ShopifyTarget, input: ResolveSessionInput): PaymentsAppsResult<MutationSuccess>;
  rejectPaymentSession(target: ShopifyTarget, input: RejectPaymentSessionInput): PaymentsAppsResult<MutationSuccess>;
  resolveRefundSession(target: ShopifyTarget, input: ResolveSessionInput): PaymentsAppsResult<MutationSuccess>;
  rejectRefundSession(target: ShopifyTarget, input: RejectRefundSessionInput): PaymentsAppsResult<MutationSuccess>;
  configurePaymentsApp(target: ShopifyTarget, input: ConfigurePaymentsAppInput): PaymentsAppsResult<ConfigureSuccess>;
}
