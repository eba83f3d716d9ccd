import type { Currency } from "../../domain/money";
import type { PaymentState } from "../../domain/payment-session";
import { classifyPaymentNotification } from "../../domain/reconciliation/classify-payment-notification";
import { suggestedActionForAnyKind } from "../../domain/reconciliation/suggested-actions";
import { type ExceptionKind, type PaymentRecordState } from "../../domain/reconciliation/types";
import type { NewException, PaymentChange, PaymentSessionRecord } from "../../ports/payment-store";
import { resolveJob } from "./jobs";

/** A payment PagoEfectivo reports for a CIP, by notification or found by polling. */
export interface ObservedPayment {
  cip: string;
  operationNumber: string | null;
  amountMinor: number;
  currency: Currency;
  paidAt: Date;
  channel: string | null;
  source: "notification" | "polling";
}

export interface PaidDecision {
  outcome: "marked_paid" | "duplicate" | "flagged" | "flagged_and_marked_paid";
  change: PaymentChange | null;
  exceptions: NewException[];
}

const RECORD_STATE: Record<PaymentState, PaymentRecordState> = {
  awaiting_phone: "created",
  pending: "pending",
  paid: "paid",
  expired: "expired",
  rejected: "rejected",
  cancelled: "cancelled",
};

/**
 * One rule set for notifications and polling (domain: classifyPaymentNotification): what the
 * payment does to the session, which exceptions the merchant sees, and the resolve job to enqueue
 * in the same transaction as the state change.
 */
export function decidePaid(session: PaymentSessionRecord, payment: ObservedPayment, now: Date): PaidDecision {
  const decision = classifyPaymentNotification(
    {
      state: RECORD_STATE[session.state],
      expectedAmountMinor: session.amountMinor,
      currency: session.currency,
      cipExpiresAt: session.cipExpiresAt ?? now,
      paidOperationNumber: session.state === "paid" ? (session.operationNumber ?? null) : null,
    },
    {
      operationNumber: payment.operationNumber ?? "",
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      paidAt: payment.paidAt,
    },
  );

  if (decision.action === "noop_duplicate") return { outcome: "duplicate", change: null, exceptions: [] };

  const kinds: ExceptionKind[] = decision.action === "flag" ? [...decision.kinds] : [];
  const markPaid = decision.action === "mark_paid" || (decision.action === "flag" && decision.markPaid);
  if (markPaid && payment.source === "polling") kinds.push("notification_missing");
  const exceptions = kinds.map((kind) => exceptionFor(kind, session, payment));

  if (!markPaid) return { outcome: "flagged", change: null, exceptions };
  return {
    outcome: exceptions.length > 0 && decision.action === "flag" ? "flagged_and_marked_paid" : "marked_paid",
    exceptions: [],
    change: {
      sessionId: session.id,
      move: "paid",
      set: {
        paidAt: payment.paidAt,
        paidAmountMinor: payment.amountMinor,
        paidCurrency: payment.currency,
        operationNumber: payment.operationNumber,
        paidVia: payment.source,
        channel: payment.channel,
        updatedAt: now,
      },
      events: [
        {
          type: "paid",
          at: now,
          detail: {
            source: payment.source,
            cip: payment.cip,
            operationNumber: payment.operationNumber,
            amountMinor: payment.amountMinor,
            currency: payment.currency,
            paidAt: payment.paidAt.toISOString(),
          },
        },
      ],
      jobs: [resolveJob(session.shopId, session.id)],
      exceptions,
    },
  };
}

export function exceptionFor(kind: ExceptionKind | string, session: PaymentSessionRecord | null, payment: ObservedPayment): NewException {
  const action = suggestedActionForAnyKind(kind);
  return {
    shopId: session?.shopId ?? "",
    paymentSessionId: session?.id ?? null,
    cip: payment.cip,
    kind,
    source: payment.source,
    dedupeKey: `${kind}:${payment.cip}:${payment.operationNumber ?? "none"}`,
    evidence: {
      cip: payment.cip,
      operationNumber: payment.operationNumber,
      paidAmountMinor: payment.amountMinor,
      paidCurrency: payment.currency,
      paidAt: payment.paidAt.toISOString(),
      expectedAmountMinor: session?.amountMinor ?? null,
      expectedCurrency: session?.currency ?? null,
      sessionState: session?.state ?? null,
      cipExpiresAt: session?.cipExpiresAt?.toISOString() ?? null,
    },
    suggestedAction: { es: action.es, en: action.en },
  };
}
