/**
 * Shapes of the reconciliation and settlement API (docs/admin-api.md, "Reconciliation and settlements"),
 * as the panel uses them. Amounts are integer minor units with their currency; instants are ISO-8601 UTC;
 * calendar days are "YYYY-MM-DD" in the shop's time zone. The client parses each answer with the wire
 * contract (app/contracts/admin-api) and maps it field for field onto these (reconciliation-wire.ts).
 */

import type { Currency } from "./types";

export const EXCEPTION_KINDS = [
  "paid_without_order",
  "order_pending_but_paid",
  "amount_mismatch",
  "currency_mismatch",
  "paid_after_expiry",
  "paid_twice",
  "notification_missing",
  "notification_unknown_cip",
  "payment_reversed",
  "settlement_unknown_cip",
  "settlement_amount_mismatch",
  "settlement_duplicate",
  "missing_from_settlement",
  "commission_mismatch",
] as const;
/** The kinds the panel knows; the server may add others, shown by their code. */
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const EXCEPTION_STATUSES = ["open", "resolved"] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export interface ExceptionHistoryEntry {
  at: string;
  /** "detected" | "resolved" | "auto_resolved" | ... */
  action: string;
  by: string | null;
  note: string | null;
}

export interface ReconciliationException {
  id: string;
  kind: string;
  status: ExceptionStatus;
  cip: string | null;
  paymentSessionId: string | null;
  /** Where it was found: notification, polling, reconciliation, settlement. */
  source: string | null;
  detectedAt: string;
  evidence: Record<string, unknown>;
  suggestedAction: { es: string; en: string };
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  history: ExceptionHistoryEntry[];
  /** The linked order, when the server joins it in. */
  orderName: string | null;
  orderFinancialStatus: string | null;
}

export interface ExceptionQuery {
  status: ExceptionStatus | null;
  kind: string[];
  page: number;
  pageSize: number;
}

export interface ExceptionList {
  items: ReconciliationException[];
  total: number;
  page: number;
  pageSize: number;
}

export type RunStatus = "queued" | "running" | "done" | "failed";

export interface ReconciliationRun {
  id: string;
  trigger: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  /** New exceptions this run found, by kind (when the server reports them). */
  newExceptions: Record<string, number>;
}

export interface ReconciliationStatus {
  /** Open exceptions by kind (kinds without any are absent or 0). */
  openByKind: Record<string, number>;
  openTotal: number;
  lastRun: ReconciliationRun | null;
  /** A run queued or going right now. */
  activeRun: ReconciliationRun | null;
  /** Settlement lines by match status, when reported: matched, unknown, amount_mismatch, duplicate, missing. */
  lineStatus: Record<string, number>;
}

/** The fields a settlement line has; a column of the portal export maps onto each. */
export const SETTLEMENT_FIELDS = [
  "cip",
  "amount",
  "currency",
  "paymentDate",
  "channel",
  "commission",
  "net",
  "payoutDate",
  "operationNumber",
] as const;
export type SettlementField = (typeof SETTLEMENT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly SettlementField[] = ["cip", "amount"];

/** Columns by header name (what the form sets) or by 0-based index (what a file without headers needs). */
export interface ColumnMapping {
  columns: Partial<Record<SettlementField, string | number>>;
  defaultCurrency?: Currency;
  hasHeaderRow?: boolean;
  headerLine?: number;
}

/** How one previewed row would import with the mapping in force. */
export type PreviewParsedRow =
  | {
      ok: true;
      lineNumber: number;
      cip: string;
      amountMinor: number;
      currency: Currency;
      paymentDate: string | null;
      channel: string | null;
      commissionMinor: number | null;
      netMinor: number | null;
    }
  | { ok: false; lineNumber: number; reason: string };

export interface FilePreview {
  uploadId: string;
  format: "csv" | "xlsx";
  sizeBytes: number;
  headers: string[];
  headerLineNumber: number;
  rows: Array<{ lineNumber: number; cells: string[] }>;
  suggestedMapping: Partial<Record<SettlementField, string>>;
  /** The shop's saved mapping, if any. */
  savedMapping: ColumnMapping | null;
  mappingApplied: boolean;
  parsed: PreviewParsedRow[] | null;
  /** The import that already holds this exact file: importing it again changes nothing. */
  alreadyImported: SettlementImport | null;
}

export type ImportStatus = "queued" | "importing" | "reconciling" | "done" | "failed";

export interface SettlementImport {
  id: string;
  fileName: string;
  format: string;
  status: ImportStatus;
  sizeBytes: number;
  totalRows: number;
  goodRows: number;
  badRows: number;
  duplicateRows: number;
  errors: Array<{ line: number; reason: string }>;
  failureReason: string | null;
  /** First and last payment day of its lines: "YYYY-MM-DD". */
  coverageFrom: string | null;
  coverageTo: string | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string | null;
  /** 0..1 */
  progress: number;
}

export interface StartedImport {
  import: SettlementImport;
  /** The same file was imported before: nothing changed. */
  duplicate: boolean;
}

export interface ImportList {
  items: SettlementImport[];
  total: number;
}

export type Granularity = "day" | "week" | "month";
export const GRANULARITIES: readonly Granularity[] = ["day", "week", "month"];

/** Group lines by when the buyer paid, or by when PagoEfectivo pays the merchant. */
export type ReportBasis = "payment" | "payout";

export interface ReportQuery {
  granularity: Granularity;
  basis: ReportBasis;
  from: string | null;
  to: string | null;
}

export interface Totals {
  count: number;
  grossMinor: number;
  commissionMinor: number;
  netMinor: number;
}

export interface ReportRow extends Totals {
  period: string | null;
  periodStart: string | null;
  channel: string | null;
  currency: Currency;
}

export interface SettlementReport {
  granularity: Granularity;
  rows: ReportRow[];
  /** PEN and USD are never added together. */
  totals: Record<Currency, Totals>;
}

export interface UpcomingPayout {
  /** Predicted from the payout cycle (paid, not in any settlement file yet), not read from a file. */
  expected: boolean;
  /** "YYYY-MM-DD" */
  date: string;
  currency: Currency;
  channel: string | null;
  count: number;
  grossMinor: number;
  netMinor: number;
}

export interface FeeEntry {
  id: string;
  currency: Currency;
  /** A channel name, or "*" for every other channel. */
  channel: string;
  percentBps: number;
  fixedMinor: number;
  taxBps: number | null;
  /** "YYYY-MM-DD" */
  effectiveFrom: string;
}

/** Paid payments whose expected payout day has passed without a settlement line, per currency. */
export type OverduePayouts = Partial<Record<Currency, { count: number; grossMinor: number }>>;

export interface UpcomingPayouts {
  rows: UpcomingPayout[];
  overdue: OverduePayouts;
}

export type NewFeeEntry = Omit<FeeEntry, "id">;

export interface PayoutTerms {
  daysByChannel: Record<string, number>;
  defaultDays: number;
  cutoffHour: number | null;
  extraClosedDays: string[];
  settlementCurrencies: Record<Currency, Currency>;
  configured: boolean;
}

export type PayoutTermsUpdate = Omit<PayoutTerms, "configured">;
