/**
 * The Payments Apps GraphQL documents the app sends. Kept apart from the client so the sandbox's
 * Shopify simulator and the tests can read the operation names and variable names from one place.
 * Every mutation takes the session gid as `$id`.
 */

export interface PaymentsAppsMutationDocument {
  /** The `mutation <Name>` operation name, also sent as `operationName`. */
  readonly operationName: string;
  /** The mutation field; the answer's `data[rootField]` holds the payload. */
  readonly rootField: string;
  readonly query: string;
}

const USER_ERRORS = `userErrors { field message }`;

// Pending is asked for its reason and Rejected for its reason and message so the timeline can show
// what Shopify recorded; `code` is the state (PENDING, RESOLVED, REJECTED, ...). The two `reason` fields
// have different types (PaymentSessionStatePendingReason vs PaymentSessionStateRejectedReason!), so they
// need different aliases: GraphQL's "fields can merge" rule refuses the document otherwise.
const PAYMENT_SESSION_SELECTION = `paymentSession {
      id
      state {
        __typename
        ... on PaymentSessionStatePending { code pendingReason: reason }
        ... on PaymentSessionStateResolved { code }
        ... on PaymentSessionStateRejected { code rejectedReason: reason merchantMessage }
      }
      nextAction {
        action
        context {
          ... on PaymentSessionActionsRedirect { redirectUrl }
        }
      }
      pendingExpiresAt
    }
    ${USER_ERRORS}`;

// RefundSessionStates is the union RefundSessionStateResolved | RefundSessionStateRejected.
const REFUND_SESSION_SELECTION = `refundSession {
      id
      state {
        __typename
        ... on RefundSessionStateResolved { code }
        ... on RefundSessionStateRejected { code rejectedReason: reason merchantMessage }
      }
    }
    ${USER_ERRORS}`;

function document(operationName: string, rootField: string, variables: string, args: string, selection: string) {
  return {
    operationName,
    rootField,
    query: `mutation ${operationName}(${variables}) {
  ${rootField}(${args}) {
    ${selection}
  }
}`,
  } satisfies PaymentsAppsMutationDocument;
}

/** Variables: `{ id, pendingExpiresAt (ISO 8601), reason }`. */
export const PAYMENT_SESSION_PENDING = document(
  "PaymentSessionPending",
  "paymentSessionPending",
  "$id: ID!, $pendingExpiresAt: DateTime!, $reason: PaymentSessionStatePendingReason!",
  "id: $id, pendingExpiresAt: $pendingExpiresAt, reason: $reason",
  PAYMENT_SESSION_SELECTION,
);

/** Variables: `{ id }`. */
export const PAYMENT_SESSION_RESOLVE = document(
  "PaymentSessionResolve",
  "paymentSessionResolve",
  "$id: ID!",
  "id: $id",
  PAYMENT_SESSION_SELECTION,
);

/** Variables: `{ id, reason: { code, merchantMessage? } }`. */
export const PAYMENT_SESSION_REJECT = document(
  "PaymentSessionReject",
  "paymentSessionReject",
  "$id: ID!, $reason: PaymentSessionRejectionReasonInput!",
  "id: $id, reason: $reason",
  PAYMENT_SESSION_SELECTION,
);

/** Variables: `{ id }`. */
export const REFUND_SESSION_RESOLVE = document(
  "RefundSessionResolve",
  "refundSessionResolve",
  "$id: ID!",
  "id: $id",
  REFUND_SESSION_SELECTION,
);

/** Variables: `{ id, reason: { code: "PROCESSING_ERROR", merchantMessage? } }`. */
export const REFUND_SESSION_REJECT = document(
  "RefundSessionReject",
  "refundSessionReject",
  "$id: ID!, $reason: RefundSessionRejectionReasonInput!",
  "id: $id, reason: $reason",
  REFUND_SESSION_SELECTION,
);

/** Variables: `{ externalHandle: string | null, ready }`. */
export const PAYMENTS_APP_CONFIGURE = document(
  "PaymentsAppConfigure",
  "paymentsAppConfigure",
  "$externalHandle: String, $ready: Boolean!",
  "externalHandle: $externalHandle, ready: $ready",
  `paymentsAppConfiguration { externalHandle ready }
    ${USER_ERRORS}`,
);

export const PAYMENTS_APPS_MUTATIONS = [
  PAYMENT_SESSION_PENDING,
  PAYMENT_SESSION_RESOLVE,
  PAYMENT_SESSION_REJECT,
  REFUND_SESSION_RESOLVE,
  REFUND_SESSION_REJECT,
  PAYMENTS_APP_CONFIGURE,
] as const satisfies readonly PaymentsAppsMutationDocument[];
