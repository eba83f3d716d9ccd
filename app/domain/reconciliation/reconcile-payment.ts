import { suggestedActionFor } from "./suggested-actions";
import {
  type ExceptionKind,
  type OrderFinancialStatus,
  type PaymentRecord,
  type PaymentRecordState,
  type ReconciliationException,
} from "./types";

export interface ReconcilePaymentOptions {
  /**
   * How long after the payment an order may still be missing or unpaid before that is an exception.
   * Delivery to Shopify is asynchronous (outbox with retries), so a fresh payment legitimately has a
   * pending order for a few seconds or, during an outage, hours. Default: one hour.
   */
  readonly orderGraceMs?: number;
}

export const DEFAULT_ORDER_GRACE_MS = 60 * 60 * 1000;

/** Session states in which the app has accepted the payment. */
const PAID_STATES: ReadonlySet<PaymentRecordState> = new Set(["paid", "resolved"]);
/** Session states closed without payment: a payment arriving now arrived too late. */
const CLOSED_STATES: ReadonlySet<PaymentRecordState> = new Set(["rejected", "expired", "cancelled"]);
/** Order statuses that mean Shopify does not consider the order paid yet. */
const UNPAID_ORDER: ReadonlySet<OrderFinancialStatus> = new Set(["PENDING", "AUTHORIZED", "PARTIALLY_PAID"]);
/** Order statuses of an order closed without payment. */
const CLOSED_ORDER: ReadonlySet<OrderFinancialStatus> = new Set(["VOIDED", "EXPIRED"]);

/** Whether the ledger holds evidence that the buyer paid (whatever the app then did with it). */
export function hasPaymentEvidence(record: Pick<PaymentRecord, "paidAt" | "paymentCount">): boolean {
  return record.paidAt !== null || record.paymentCount > 0;
}

/**
 * Everything about one payment session that does not add up, judged from the ledger alone (settlement
 * files are matched by matchSettlementLines). An unpaid session yields nothing. Each exception's
 * dedupeKey is `<kind>:<cip>`, so a later run reports the same problem under the same key.
 */
export function reconcilePayment(
  record: PaymentRecord,
  now: Date,
  options: ReconcilePaymentOptions = {},
): ReconciliationException[] {
  if (!hasPaymentEvidence(record)) return [];
  const graceMs = options.orderGraceMs ?? DEFAULT_ORDER_GRACE_MS;
  const sincePaidMs = record.paidAt ? now.getTime() - record.paidAt.getTime() : Number.POSITIVE_INFINITY;
  const base = {
    sessionId: record.sessionId,
    state: record.state,
    expectedAmountMinor: record.expectedAmountMinor,
    currency: record.currency,
    paidAt: record.paidAt?.toISOString() ?? null,
  };
  const exceptions: ReconciliationException[] = [];
  const flag = (kind: ExceptionKind, evidence: Record<string, unknown>): void => {
    exceptions.push({
      kind,
      cip: record.cip,
      sessionId: record.sessionId,
      dedupeKey: `${kind}:${record.cip}`,
      evidence: { ...base, ...evidence },
      suggestedAction: suggestedActionFor(kind),
    });
  };

  const paidCurrency = record.paidCurrency ?? null;
  const paidAmount = record.paidAmountMinor ?? null;
  if (paidCurrency !== null && paidCurrency !== record.currency) {
    flag("currency_mismatch", { paidCurrency, paidAmountMinor: paidAmount });
  } else if (paidAmount !== null && paidAmount !== record.expectedAmountMinor) {
    // Comparing amounts across currencies would be meaningless, hence the else.
    flag("amount_mismatch", { paidAmountMinor: paidAmount, differenceMinor: paidAmount - record.expectedAmountMinor });
  }

  const paidLate = record.paidAt !== null && record.paidAt.getTime() > record.cipExpiresAt.getTime();
  const orderStatus = record.orderFinancialStatus ?? null;
  if (paidLate || CLOSED_STATES.has(record.state) || (orderStatus !== null && CLOSED_ORDER.has(orderStatus))) {
    flag("paid_after_expiry", {
      cipExpiresAt: record.cipExpiresAt.toISOString(),
      reason: paidLate ? "paid_after_cip_expiry" : CLOSED_STATES.has(record.state) ? "session_closed" : "order_closed",
      orderId: record.orderId ?? null,
      orderFinancialStatus: orderStatus,
    });
  }

  if (record.paymentCount > 1) flag("paid_twice", { paymentCount: record.paymentCount });

  if (record.paidVia === "polling") flag("notification_missing", { paidVia: "polling", source: "polling" });

  if (!record.orderId) {
    if (sincePaidMs >= graceMs) flag("paid_without_order", { minutesSincePaid: minutes(sincePaidMs) });
  } else if (
    PAID_STATES.has(record.state) &&
    orderStatus !== null &&
    UNPAID_ORDER.has(orderStatus) &&
    sincePaidMs >= graceMs
  ) {
    flag("order_pending_but_paid", {
      orderId: record.orderId,
      orderFinancialStatus: orderStatus,
      minutesSincePaid: minutes(sincePaidMs),
    });
  }

  return exceptions;
}

function minutes(ms: number): number | null {
  return Number.isFinite(ms) ? Math.floor(ms / 60_000) : null;
}
