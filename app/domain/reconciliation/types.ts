import { type Currency } from "../money";

export type { Currency } from "../money";
export type { SettlementLineRecord } from "../settlement/settlement-line";

/**
 * Where the app's ledger has a payment session. "created": received from Shopify, CIP being issued;
 * "pending": CIP issued, waiting for the buyer; "paid": payment recorded, resolve queued; "resolved":
 * Shopify confirmed; "rejected" / "expired": closed unpaid at Shopify; "cancelled": CIP deleted because the
 * order was cancelled. The session state machine maps its own states onto these.
 */
export type PaymentRecordState = "created" | "pending" | "paid" | "resolved" | "rejected" | "expired" | "cancelled";

/** Shopify's order display financial status. */
export type OrderFinancialStatus =
  | "AUTHORIZED"
  | "EXPIRED"
  | "PAID"
  | "PARTIALLY_PAID"
  | "PARTIALLY_REFUNDED"
  | "PENDING"
  | "REFUNDED"
  | "VOIDED";

export type PaidVia = "notification" | "polling";

/** What the ledger knows about one payment session, joined with its Shopify order. */
export interface PaymentRecord {
  readonly sessionId: string;
  readonly shopId: string;
  readonly cip: string;
  readonly expectedAmountMinor: number;
  readonly currency: Currency;
  readonly state: PaymentRecordState;
  readonly cipExpiresAt: Date;
  /** When the buyer paid, per PagoEfectivo; null while unpaid. */
  readonly paidAt: Date | null;
  readonly paidAmountMinor?: number | null;
  readonly paidCurrency?: Currency | null;
  /** How the app learned of the payment; polling means the notification never arrived. */
  readonly paidVia: PaidVia | null;
  /** Distinct paid operations (operation numbers) recorded for the CIP. */
  readonly paymentCount: number;
  readonly orderId?: string | null;
  readonly orderFinancialStatus?: OrderFinancialStatus | null;
  readonly channel?: string | null;
}

export type ExceptionKind =
  | "paid_without_order"
  | "order_pending_but_paid"
  | "amount_mismatch"
  | "currency_mismatch"
  | "paid_after_expiry"
  | "paid_twice"
  | "notification_missing"
  | "settlement_unknown_cip"
  | "settlement_amount_mismatch"
  | "settlement_duplicate"
  | "missing_from_settlement"
  | "commission_mismatch";

export const EXCEPTION_KINDS: readonly ExceptionKind[] = [
  "paid_without_order",
  "order_pending_but_paid",
  "amount_mismatch",
  "currency_mismatch",
  "paid_after_expiry",
  "paid_twice",
  "notification_missing",
  "settlement_unknown_cip",
  "settlement_amount_mismatch",
  "settlement_duplicate",
  "missing_from_settlement",
  "commission_mismatch",
];

export interface SuggestedAction {
  readonly es: string;
  readonly en: string;
}

/**
 * One thing that does not add up. `dedupeKey` is stable across reconciliation runs (unique per shop), so
 * storing exceptions with an upsert on (shopId, dedupeKey) never duplicates one; `evidence` is plain JSON
 * (amounts in céntimos with their currency, instants as ISO strings).
 */
export interface ReconciliationException {
  readonly kind: ExceptionKind;
  readonly cip: string;
  readonly sessionId?: string;
  readonly dedupeKey: string;
  readonly evidence: Record<string, unknown>;
  readonly suggestedAction: SuggestedAction;
}

/** How a settlement line compares with the ledger; "missing" is a paid CIP without any line. */
export type SettlementLineStatus = "matched" | "unknown" | "amount_mismatch" | "duplicate";
export type SettlementMatchStatus = SettlementLineStatus | "missing";
