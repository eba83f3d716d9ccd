import { type PaymentSessionRecord, type RefundSessionRecord } from "./simulator-types";

/** The PaymentSession and RefundSession objects the Payments Apps API returns in mutation payloads. */
export function paymentSessionObject(session: PaymentSessionRecord): Record<string, unknown> {
  return {
    id: session.gid,
    state: paymentStateObject(session),
    nextAction: session.nextAction
      ? { action: session.nextAction.action, context: { __typename: "PaymentSessionActionsRedirect", redirectUrl: session.nextAction.context.redirectUrl } }
      : null,
    pendingExpiresAt: session.pendingExpiresAt,
    authorizationExpiresAt: null,
  };
}

function paymentStateObject(session: PaymentSessionRecord): Record<string, unknown> {
  switch (session.state) {
    case "initial":
      return { __typename: "PaymentSessionStateRedirecting", code: "REDIRECTING" };
    case "pending":
      return { __typename: "PaymentSessionStatePending", code: "PENDING", reason: session.pendingReason };
    case "resolved":
      return { __typename: "PaymentSessionStateResolved", code: "RESOLVED" };
    case "rejected":
      return {
        __typename: "PaymentSessionStateRejected",
        code: "REJECTED",
        reason: session.rejection?.code ?? "PROCESSING_ERROR",
        merchantMessage: session.rejection?.merchantMessage ?? null,
        source: session.rejection?.source ?? null,
      };
  }
}

export function refundSessionObject(refund: RefundSessionRecord): Record<string, unknown> {
  const state =
    refund.state === "rejected"
      ? {
          __typename: "RefundSessionStateRejected",
          code: "REJECTED",
          reason: refund.rejection?.code ?? "PROCESSING_ERROR",
          merchantMessage: refund.rejection?.merchantMessage ?? null,
        }
      : { __typename: "RefundSessionStateResolved", code: "RESOLVED" };
  return { id: refund.gid, state };
}
