import { paymentQuerySearch } from "./payment-query";
import type { InsightsPeriod } from "./reconciliation-client";
import type { ExceptionQuery, ReportQuery } from "./reconciliation-types";
import type { PaymentQuery, RefundState } from "./types";

/**
 * Every query's cache key: one per endpoint and parameters, so two calls share a cache entry only when they
 * ask the server the same thing. Keys nest (["payments"] covers the list and every detail), so a mutation
 * invalidates a whole family with its prefix.
 */
export const queryKeys = {
  session: ["session"] as const,
  setup: ["setup"] as const,
  summaryToday: ["summary", "today"] as const,
  settings: ["settings"] as const,

  payments: ["payments"] as const,
  paymentList: (query: PaymentQuery) => ["payments", "list", paymentQuerySearch(query)] as const,
  payment: (id: string) => ["payments", "detail", id] as const,

  refunds: ["refunds"] as const,
  refundList: (state: RefundState, page: number, pageSize: number) => ["refunds", "list", state, page, pageSize] as const,

  deadLetters: ["dead-letters"] as const,
  deadLetterList: (page: number, pageSize: number) => ["dead-letters", "list", page, pageSize] as const,

  reconciliation: ["reconciliation"] as const,
  reconciliationStatus: ["reconciliation", "summary"] as const,
  run: (id: string) => ["reconciliation", "runs", id] as const,
  exceptions: ["reconciliation", "exceptions"] as const,
  exceptionList: (query: ExceptionQuery) => ["reconciliation", "exceptions", "list", query] as const,
  exceptionsOfPayment: (paymentId: string) => ["reconciliation", "exceptions", "of-payment", paymentId] as const,
  exception: (id: string) => ["reconciliation", "exceptions", "detail", id] as const,

  settlements: ["settlements"] as const,
  imports: ["settlements", "imports"] as const,
  importList: (page: number, pageSize: number) => ["settlements", "imports", "list", page, pageSize] as const,
  importStatus: (id: string) => ["settlements", "imports", "detail", id] as const,
  fees: ["settlements", "fee-schedule"] as const,
  payoutTerms: ["settlements", "payout-cycle"] as const,

  reports: ["reports"] as const,
  report: (query: ReportQuery) => ["reports", "settlements", query] as const,
  upcomingPayouts: (days: number) => ["reports", "upcoming-payouts", days] as const,
  insights: (period: InsightsPeriod) => ["reports", "payment-insights", period] as const,
};
