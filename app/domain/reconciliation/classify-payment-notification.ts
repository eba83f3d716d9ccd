import { type Currency, type ExceptionKind, type PaymentRecordState } from "./types";

export interface NotificationSessionView {
  readonly state: PaymentRecordState;
  readonly expectedAmountMinor: number;
  readonly currency: Currency;
  readonly cipExpiresAt: Date;
  /**
   * The operation number of the payment the session was marked paid with, if any. A notification that
   * was flagged and not marked paid (e.g. wrong amount) must not set it, so a later correct payment can
   * still mark the session paid.
   */
  readonly paidOperationNumber?: string | null;
}

export interface PaidNotification {
  readonly operationNumber: string;
  readonly amountMinor: number;
  readonly currency: Currency;
  /** PagoEfectivo's payment date, or the receipt time when the notification carries none. */
  readonly paidAt: Date;
}

export type NotificationDecision =
  | { readonly action: "mark_paid" }
  | {
      readonly action: "noop_duplicate";
      /**
       * "same_operation": a replay of the recorded payment. "paid_without_operation_number": the session was
       * marked paid by polling, which reports no operation number; this notification is taken as that same
       * payment (the caller may store its operation number), since nothing distinguishes a second payment.
       */
      readonly reason: "same_operation" | "paid_without_operation_number";
    }
  | { readonly action: "flag"; readonly kinds: ExceptionKind[]; readonly markPaid: boolean };

const PAID_STATES: ReadonlySet<PaymentRecordState> = new Set(["paid", "resolved"]);
const OPEN_STATES: ReadonlySet<PaymentRecordState> = new Set(["created", "pending"]);

/**
 * What the webhook handler does with a `cip.paid` notification for a session, decided before it writes.
 *
 * 1. The recorded operation number again: a replay, nothing to do.
 * 2. A session already paid: a different operation number is a second payment of the CIP (paid_twice),
 *    never marked paid again; without a recorded operation number it is the same payment (see above).
 * 3. Amount or currency different from the session's: flagged and NOT marked paid, because resolving
 *    would tell Shopify the order is paid in full when it is not.
 * 4. Paid after the CIP's expiry, or on a session already closed (rejected, expired, cancelled):
 *    paid_after_expiry. Marked paid only while the session is still open (created/pending), which
 *    happens when the expiry job has not run yet: the buyer's money is in, Shopify still accepts a
 *    resolve and the order is waiting, so delivering beats refunding; the exception asks the merchant to
 *    check stock. Once the session is closed, Shopify has rejected it for good, so it is not marked paid
 *    and the merchant refunds or recreates the order.
 * 5. Otherwise mark_paid.
 */
export function classifyPaymentNotification(
  session: NotificationSessionView,
  notification: PaidNotification,
): NotificationDecision {
  const recorded = session.paidOperationNumber ?? null;
  if (recorded !== null && recorded === notification.operationNumber) {
    return { action: "noop_duplicate", reason: "same_operation" };
  }
  if (recorded !== null || PAID_STATES.has(session.state)) {
    if (recorded === null) return { action: "noop_duplicate", reason: "paid_without_operation_number" };
    return { action: "flag", kinds: ["paid_twice"], markPaid: false };
  }

  const kinds: ExceptionKind[] = [];
  let markPaid = true;
  if (notification.currency !== session.currency) {
    kinds.push("currency_mismatch");
    markPaid = false;
  } else if (notification.amountMinor !== session.expectedAmountMinor) {
    kinds.push("amount_mismatch");
    markPaid = false;
  }
  const open = OPEN_STATES.has(session.state);
  if (notification.paidAt.getTime() > session.cipExpiresAt.getTime() || !open) {
    kinds.push("paid_after_expiry");
    if (!open) markPaid = false;
  }
  return kinds.length === 0 ? { action: "mark_paid" } : { action: "flag", kinds, markPaid };
}
