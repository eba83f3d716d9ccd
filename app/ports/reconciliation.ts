import type { Currency } from "../domain/money";
import type { SettlementLineRecord, SettlementLineStatus, SuggestedAction } from "../domain/reconciliation/types";
import type { FeeSchedule } from "../domain/settlement/fee-schedule";
import type { PayoutTerms } from "../domain/settlement/payout-terms";

/** One payment session with a CIP, as reconciliation reads it (instants as epoch milliseconds). */
export interface LedgerPaymentRow {
  readonly sessionId: string;
  readonly cip: string;
  readonly amountMinor: number;
  readonly currency: Currency;
  readonly state: string;
  readonly cipExpiresAtMs: number | null;
  readonly paidAtMs: number | null;
  readonly paidAmountMinor: number | null;
  readonly paidCurrency: Currency | null;
  readonly paidVia: string | null;
  readonly orderId: string | null;
  readonly orderFinancialStatus: string | null;
  readonly channel: string | null;
  readonly createdAtMs: number;
}

export interface LedgerReader {
  pages(shopId: string, pageSize?: number): AsyncGenerator<LedgerPaymentRow[]>;
  /** CIP → distinct notified payments, where that differs from the session (see the adapter). */
  notifiedPaymentCounts(shopId: string): Promise<Map<string, number>>;
  /** CIP → the id of the shop's session with that CIP, for the CIPs given that have one. */
  sessionIdsOf(shopId: string, cips: readonly string[]): Promise<Map<string, string>>;
}

/** A stored settlement line in the shape the matcher takes, plus the status the last run gave it. */
export interface ReconciliationLine extends SettlementLineRecord {
  readonly status: SettlementLineStatus | null;
}

export interface SettlementLineSource {
  /** The shop's imports whose lines count, oldest first. */
  importedIds(shopId: string): Promise<string[]>;
  coverage(shopId: string): Promise<{ from: Date; to: Date } | null>;
  pageOfImport(importId: string, afterLineNumber: number, limit: number): Promise<ReconciliationLine[]>;
  /** `others`: status → line numbers of the import. */
  saveStatuses(
    importId: string,
    range: { fromLine: number; toLine: number },
    majority: SettlementLineStatus | null,
    others: ReadonlyMap<SettlementLineStatus, number[]>,
  ): Promise<void>;
}

export type ExceptionSource = "notification" | "polling" | "reconciliation" | "settlement";

export interface NewReconciliationException {
  readonly kind: string;
  readonly cip: string | null;
  readonly paymentSessionId: string | null;
  /** Unique within the shop; the store scopes it to the shop. */
  readonly dedupeKey: string;
  readonly source: ExceptionSource;
  readonly evidence: Record<string, unknown>;
  readonly suggestedAction: SuggestedAction;
}

export interface ExceptionWriter {
  /**
   * Stores the exceptions that are new: not already stored under their key (open or resolved: a resolved
   * exception stays resolved) and, for kinds in `oneOpenPerCip`, not already stored for the same CIP under
   * another key (the notification handler and the poller record those as they happen).
   */
  record(
    shopId: string,
    exceptions: readonly NewReconciliationException[],
    options: { runId: string; at: Date; onePerCip: ReadonlySet<string> },
  ): Promise<{ inserted: NewReconciliationException[] }>;
  /**
   * Resolves open exceptions of `kinds` raised by reconciliation whose key was not found again by this
   * run: the problem went away (the order got linked, the payout arrived). Returns how many.
   */
  autoResolve(shopId: string, kinds: readonly string[], stillFound: ReadonlySet<string>, options: { runId: string; at: Date; note: string }): Promise<number>;
}

export type RunTrigger = "schedule" | "manual" | "import";

export interface RunStats {
  readonly trigger: RunTrigger;
  readonly payments: number;
  readonly paidPayments: number;
  readonly lines: number;
  readonly lineStatus: Record<string, number>;
  readonly found: Record<string, number>;
  readonly newExceptions: Record<string, number>;
  readonly autoResolved: number;
  readonly coverage: { from: string; to: string } | null;
  readonly durationMs: number;
}

export interface RunRecord {
  readonly id: string;
  readonly shopId: string;
  readonly trigger: RunTrigger;
  readonly status: "queued" | "running" | "done" | "failed";
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly stats: Partial<RunStats>;
}

export interface RunStore {
  /** A run waiting for its turn in the shop's queue. */
  create(shopId: string, trigger: RunTrigger, at: Date): Promise<RunRecord>;
  markRunning(runId: string, at: Date): Promise<void>;
  finish(runId: string, stats: RunStats, at: Date): Promise<void>;
  fail(runId: string, error: string, at: Date): Promise<void>;
  /** The instance holding these runs (queued or running) is alive; runs already finished or failed are left alone. */
  heartbeat(runIds: readonly string[], at: Date): Promise<void>;
}

/**
 * The merchant's manual run, one per shop while it is queued or running, guaranteed by the store (not by one
 * instance's memory): of two requests at the same instant, on one instance or two, only one creates the run.
 */
export interface ManualRunStore {
  /**
   * Queues a manual run, unless the shop already has one queued or running: then that one, with created false.
   * An active run whose last heartbeat (or start, before any) is before staleBefore was left by an instance that
   * stopped: it is failed, and a new run is queued in its place.
   */
  createManual(shopId: string, at: Date, staleBefore: Date): Promise<{ run: RunRecord; created: boolean }>;
}

export type { PayoutTerms };

export interface SettlementTermsReader {
  payoutTerms(shopId: string): Promise<PayoutTerms>;
  feeSchedule(shopId: string): Promise<FeeSchedule>;
}
