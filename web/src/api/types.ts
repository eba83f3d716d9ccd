/** The admin JSON API's shapes, as docs/admin-api.md defines them. Amounts are integer minor units. */

export type Currency = "PEN" | "USD";
export type Locale = "es" | "en";
export type Environment = "sandbox" | "production";
export type AppMode = "sandbox" | "production";

export const PAYMENT_STATES = ["awaiting_phone", "pending", "paid", "expired", "rejected", "cancelled"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const REFUND_STATES = ["awaiting_merchant", "resolved", "rejected"] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export const REFUND_METHODS = ["bank_transfer", "yape", "plin", "cash", "store_credit", "other"] as const;
export type RefundMethod = (typeof REFUND_METHODS)[number];

/** Pages the API may add to the panel later (reconciliation, settlements); shown only when reported. */
export type OptionalFeature = "reconciliation" | "settlements";

export interface SessionInfo {
  shop: { domain: string; name: string; locale: Locale; timezone: string };
  user: { email: string | null; firstName: string | null; lastName: string | null; locale: string | null };
  mode: AppMode;
  appUrl: string;
  /** Not in the contract yet: the pages a later issue adds announce themselves here. */
  features?: OptionalFeature[];
}

export interface SetupSteps {
  credentials: boolean;
  connectionTested: boolean;
  notificationUrlConfirmed: boolean;
  activated: boolean;
}

export interface SetupInfo {
  steps: SetupSteps;
  notificationUrl: string;
}

export interface TodaySummary {
  date: string;
  sessions: number;
  paid: number;
  pending: number;
  expired: number;
  totals: Array<{ currency: Currency; paidMinor: number; pendingMinor: number }>;
}

export interface Credential {
  accessKey: string;
  idService: number;
  hasSecretKey: boolean;
  verifiedAt: string | null;
  lastTestError: string | null;
  /** Not in the contract yet: the kind of the last failure, to word it in the panel's language. */
  lastTestReason?: ConnectionFailure | string | null;
}

export interface Settings {
  cipLifetimeHours: number;
  paymentConcept: string | null;
  locale: Locale;
  timezone: string;
  legalName: string | null;
  ruc: string | null;
  notificationUrl: string;
  notificationUrlConfirmedAt: string | null;
  ready: boolean;
  externalHandle: string | null;
  credentials: { sandbox: Credential | null; production: Credential | null };
}

export interface SettingsUpdate {
  cipLifetimeHours?: number;
  paymentConcept?: string | null;
  locale?: Locale;
  legalName?: string | null;
  ruc?: string | null;
}

export interface CredentialsUpdate {
  accessKey: string;
  secretKey?: string;
  idService: number;
}

/**
 * Why a connection test failed, when the API says (PagoEfectivo error kinds); the panel then shows
 * its own words in the merchant's language, else the server's message.
 */
export type ConnectionFailure = "service_error" | "server_error" | "timeout" | "network" | "invalid_response";

export type ConnectionTest = { ok: true; tokenExpires: string } | { ok: false; message: string; reason?: ConnectionFailure | string };

export interface PaymentRow {
  id: string;
  createdAt: string;
  state: PaymentState;
  amountMinor: number;
  currency: Currency;
  test: boolean;
  cip: string | null;
  orderName: string | null;
  email: string | null;
  paidAt: string | null;
  cipExpiresAt: string | null;
}

export type PaymentSort = "createdAt" | "amount" | "state";
export type SortDirection = "asc" | "desc";

export interface PaymentQuery {
  state: PaymentState[];
  from: string | null;
  to: string | null;
  currency: Currency | null;
  test: boolean | null;
  q: string;
  sort: PaymentSort;
  direction: SortDirection;
  page: number;
  pageSize: number;
}

export interface PaymentList {
  items: PaymentRow[];
  total: number;
  /** The total was counted up to a bound: the shop has at least `total` matching payments. */
  totalIsLowerBound?: boolean;
  page: number;
  pageSize: number;
}

export interface TimelineEntry {
  at: string;
  kind: "event" | "notification" | "delivery";
  type: string;
  title: string;
  /** Free-form: text, or an object of facts (signature check, outcome, status, error...). */
  detail: string | Record<string, unknown> | null;
}

export interface RefundRow {
  id: string;
  paymentSessionId: string;
  cip: string | null;
  orderName: string | null;
  amountMinor: number;
  currency: Currency;
  createdAt: string;
  state: RefundState;
  method: RefundMethod | null;
  reference: string | null;
  refundedOn: string | null;
  note: string | null;
  rejectReason: string | null;
  decidedAt: string | null;
}

export interface PaymentDetail {
  payment: PaymentRow & {
    gid: string;
    cipUrl: string | null;
    buyer: { name: string | null; email: string | null; phone: string | null };
    order: { id: string; name: string; financialStatus: string } | null;
    shopifyState: string | null;
    rejectionReason: string | null;
    paidAmountMinor: number | null;
    operationNumber: string | null;
    paidVia: string | null;
  };
  timeline: TimelineEntry[];
  refunds: RefundRow[];
}

export interface RefundList {
  items: RefundRow[];
  total: number;
}

export interface RecordRefundInput {
  method: RefundMethod;
  reference: string;
  refundedOn: string;
  note?: string;
}
