import type { Currency } from "../domain/money";
import type { PaymentState } from "../domain/payment-session";
import type { RefundState } from "./refund-store";

/**
 * The admin panel's read models: filtered, sorted and paged in the database, always scoped to one shop.
 * Reads only; every change goes through a use case.
 */

/** Checkouts started in one day, partitioned: started = paid + expired + pending + other. */
export interface DaySummary {
  started: number;
  paid: number;
  expired: number;
  /** Waiting to be paid, including checkouts still waiting for the buyer's phone. */
  pending: number;
  /** Rejected or cancelled. */
  other: number;
  totals: Array<{ currency: Currency; paidMinor: number; pendingMinor: number }>;
}

export interface AdminRefundRow {
  id: string;
  paymentSessionId: string;
  cip: string | null;
  orderName: string | null;
  amountMinor: number;
  currency: string;
  createdAt: Date;
  state: string;
  method: string | null;
  reference: string | null;
  refundedOn: Date | null;
  note: string | null;
  rejectReason: string | null;
  decidedAt: Date | null;
  /** The buyer, to pay the money back. */
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  phone: string | null;
  phoneCountryCode: string | null;
}

export interface PaymentListFilter {
  states: PaymentState[] | null;
  /** Inclusive lower bound on createdAt. */
  createdFrom: Date | null;
  /** Exclusive upper bound on createdAt. */
  createdBefore: Date | null;
  currency: Currency | null;
  test: boolean | null;
  /** Substring of the CIP, order name, buyer email or payment session id. */
  q: string | null;
}

export type PaymentSortField = "createdAt" | "amount" | "state";

export type SortDirection = "asc" | "desc";

export interface PaymentOrder {
  field: PaymentSortField;
  direction: SortDirection;
}

export interface PaymentListRow {
  id: string;
  createdAt: Date;
  state: string;
  amountMinor: number;
  currency: string;
  test: boolean;
  cip: string | null;
  orderName: string | null;
  email: string | null;
  paidAt: Date | null;
  cipExpiresAt: Date | null;
}

export interface PaymentEventRow {
  id: string;
  type: string;
  at: Date;
  detailJson: string;
}

export interface PaymentNotificationRow {
  id: string;
  eventType: string | null;
  cip: string | null;
  operationNumber: string | null;
  signatureValid: boolean;
  verificationReason: string | null;
  outcome: string;
  receivedAt: Date;
}

export interface DeliveryAttemptRow {
  id: string;
  at: Date;
  outcome: string;
  detail: string;
  jobKind: string;
  refundSessionId: string | null;
}

/** One payment as its detail page shows it. */
export interface PaymentDetailRow extends PaymentListRow {
  gid: string;
  cipUrl: string | null;
  givenName: string | null;
  familyName: string | null;
  phone: string | null;
  phoneCountryCode: string | null;
  orderId: string | null;
  orderFinancialStatus: string | null;
  /** How the order was linked: exact, high, medium (automatic) or merchant; null when not linked. */
  orderLinkConfidence: string | null;
  shopifyState: string | null;
  rejectionReason: string | null;
  paidAmountMinor: number | null;
  operationNumber: string | null;
  paidVia: string | null;
}

/** A refund session of the payment (its CIP and order name come from the payment). */
export type RefundSessionRow = Omit<AdminRefundRow, "cip" | "orderName" | "givenName" | "familyName" | "email" | "phone" | "phoneCountryCode">;

export interface PaymentDetailRecord {
  payment: PaymentDetailRow;
  events: PaymentEventRow[];
  notifications: PaymentNotificationRow[];
  attempts: DeliveryAttemptRow[];
  refunds: RefundSessionRow[];
}

export interface AdminPaymentsReader {
  /** `total` is counted up to a bound; `totalIsLowerBound` says there are at least that many. */
  list(
    shopId: string,
    filter: PaymentListFilter,
    order: PaymentOrder,
    page: { skip: number; take: number },
  ): Promise<{ items: PaymentListRow[]; total: number; totalIsLowerBound: boolean }>;
  /** Every matching row, page after page, as of `startedAt` (CSV export). */
  pages(shopId: string, filter: PaymentListFilter, order: PaymentOrder, startedAt: Date, pageSize?: number): AsyncIterable<PaymentListRow[]>;
  detail(shopId: string, id: string): Promise<PaymentDetailRecord | null>;
}

export interface AdminRefundsReader {
  /** Oldest first: the queue is worked from the longest-waiting refund. */
  list(shopId: string, state: RefundState | null, page: { skip: number; take: number }): Promise<{ items: AdminRefundRow[]; total: number }>;
  find(shopId: string, id: string): Promise<AdminRefundRow | null>;
}

export interface AdminSummaryReader {
  /** Counts and totals for the panel's "today" card. */
  day(shopId: string, start: Date, end: Date): Promise<DaySummary>;
}
