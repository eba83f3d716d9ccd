import type { NewOutboxJob } from "../../ports/outbox";

/** Job builders: one place for payloads and dedupe keys, so every caller enqueues the same job. */

export interface PaymentSessionJobPayload {
  paymentSessionId: string;
}

export type RejectCode = "PROCESSING_ERROR" | "CANCELLED_PAYMENT" | "AMOUNT_TOO_LARGE" | "AMOUNT_TOO_SMALL" | "RISKY";

export interface RejectJobPayload extends PaymentSessionJobPayload {
  code: RejectCode;
  merchantMessage: string;
}

export interface RefundJobPayload {
  refundSessionId: string;
  paymentSessionId: string;
  merchantMessage?: string;
}

export interface CipDeleteJobPayload extends PaymentSessionJobPayload {
  cip: string;
}

export const pendingJob = (shopId: string, paymentSessionId: string): NewOutboxJob => ({
  kind: "payment_session.pending",
  shopId,
  payload: { paymentSessionId } satisfies PaymentSessionJobPayload,
  dedupeKey: `payment_session.pending:${paymentSessionId}`,
});

export const resolveJob = (shopId: string, paymentSessionId: string): NewOutboxJob => ({
  kind: "payment_session.resolve",
  shopId,
  payload: { paymentSessionId } satisfies PaymentSessionJobPayload,
  dedupeKey: `payment_session.final:${paymentSessionId}`,
});

export const rejectJob = (shopId: string, paymentSessionId: string, code: RejectCode, merchantMessage: string): NewOutboxJob => ({
  kind: "payment_session.reject",
  shopId,
  payload: { paymentSessionId, code, merchantMessage } satisfies RejectJobPayload,
  // Shares the key with resolve: a session gets exactly one final answer.
  dedupeKey: `payment_session.final:${paymentSessionId}`,
});

export const refundResolveJob = (shopId: string, refundSessionId: string, paymentSessionId: string): NewOutboxJob => ({
  kind: "refund_session.resolve",
  shopId,
  payload: { refundSessionId, paymentSessionId } satisfies RefundJobPayload,
  dedupeKey: `refund_session.final:${refundSessionId}`,
});

export const refundRejectJob = (
  shopId: string,
  refundSessionId: string,
  paymentSessionId: string,
  merchantMessage: string,
): NewOutboxJob => ({
  kind: "refund_session.reject",
  shopId,
  payload: { refundSessionId, paymentSessionId, merchantMessage } satisfies RefundJobPayload,
  dedupeKey: `refund_session.final:${refundSessionId}`,
});

export const cipDeleteJob = (shopId: string, paymentSessionId: string, cip: string): NewOutboxJob => ({
  kind: "cip.delete",
  shopId,
  payload: { paymentSessionId, cip } satisfies CipDeleteJobPayload,
  dedupeKey: `cip.delete:${cip}`,
});
