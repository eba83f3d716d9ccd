import type { Currency } from "../domain/money";
import type { SettlementColumnMapping } from "../domain/settlement/column-mapping";
import type { FeeScheduleEntry } from "../domain/settlement/fee-schedule";
import type { PayoutTerms } from "../domain/settlement/payout-terms";
import type { RunRecord, RunTrigger } from "./reconciliation";

/** What the admin panel reads and writes about reconciliation: exceptions, runs, and a shop's settlement settings. */

export type ExceptionStatus = "open" | "resolved";

export interface ExceptionHistoryEntry {
  readonly at: string;
  readonly action: "detected" | "resolved" | "auto_resolved";
  readonly by: string | null;
  readonly note: string | null;
  readonly runId: string | null;
}

export interface ExceptionRecord {
  readonly id: string;
  readonly shopId: string;
  readonly kind: string;
  readonly source: string;
  readonly status: ExceptionStatus;
  readonly cip: string | null;
  readonly paymentSessionId: string | null;
  readonly evidence: Record<string, unknown>;
  readonly suggestedAction: { es: string; en: string };
  readonly detectedAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolutionNote: string | null;
  readonly resolvedBy: string | null;
  readonly runId: string | null;
  readonly history: ExceptionHistoryEntry[];
}

export interface ExceptionFilter {
  readonly kinds: readonly string[] | null;
  readonly status: ExceptionStatus | null;
  readonly cip: string | null;
  readonly paymentSessionId: string | null;
}

export interface FeeEntryRecord extends FeeScheduleEntry {
  readonly id: string;
  readonly createdAt: Date;
  readonly updatedAt: Date | null;
}

export interface FeeEntryInput {
  readonly currency: Currency;
  readonly channel: string;
  readonly percentBps: number;
  readonly fixedMinor: number;
  readonly taxBps: number | null;
  readonly effectiveFrom: Date;
}

export interface ShopIdentity {
  readonly shopId: string;
  readonly domain: string;
  readonly legalName: string | null;
  readonly ruc: string | null;
  readonly locale: string;
}

/** The reconciliation exceptions of a shop, as the panel lists, exports and resolves them. */
export interface ExceptionBook {
  list(shopId: string, filter: ExceptionFilter, page: { skip: number; take: number }): Promise<{ items: ExceptionRecord[]; total: number }>;
  /** Every matching exception, page after page, as of `startedAt` (CSV export). */
  pages(shopId: string, filter: ExceptionFilter, startedAt: Date, pageSize?: number): AsyncIterable<ExceptionRecord[]>;
  find(shopId: string, id: string): Promise<ExceptionRecord | null>;
  /** Marks an open exception resolved; "already" when it was resolved before, null when there is none. */
  resolve(shopId: string, id: string, input: { note: string; by: string | null; at: Date }): Promise<ExceptionRecord | "already" | null>;
  counts(shopId: string): Promise<{ kind: string; status: string; count: number }[]>;
  /** The Shopify order next to each payment (name and financial status as last heard) and the session's state at Shopify. */
  ordersOf(shopId: string, paymentSessionIds: readonly string[]): Promise<Map<string, ExceptionOrder>>;
}

/** The order an exception's payment is linked to, as stored (app/domain/order-status-shown.ts words its status). */
export interface ExceptionOrder {
  readonly orderName: string | null;
  readonly orderFinancialStatus: string | null;
  readonly shopifyState: string | null;
}

export interface RunHistory {
  list(shopId: string, page: { skip: number; take: number }): Promise<{ items: RunRecord[]; total: number }>;
  find(shopId: string, id: string): Promise<RunRecord | null>;
  latest(shopId: string, trigger?: RunTrigger): Promise<RunRecord | null>;
  /** The shop's run that is queued or running, if any. */
  active(shopId: string): Promise<RunRecord | null>;
}

/** A shop's settlement settings: the column mapping, the fee schedule and the payout terms. */
export interface SettlementSettingsStore {
  mapping(shopId: string): Promise<SettlementColumnMapping | null>;
  saveMapping(shopId: string, mapping: SettlementColumnMapping, at: Date): Promise<void>;
  payoutTermsState(shopId: string): Promise<{ terms: PayoutTerms; configured: boolean }>;
  savePayoutTerms(shopId: string, terms: PayoutTerms, at: Date): Promise<void>;
  feeEntries(shopId: string): Promise<FeeEntryRecord[]>;
  createFeeEntry(shopId: string, input: FeeEntryInput, at: Date): Promise<FeeEntryRecord>;
  /** null when the shop has no such entry. */
  updateFeeEntry(shopId: string, id: string, input: FeeEntryInput, at: Date): Promise<FeeEntryRecord | null>;
  deleteFeeEntry(shopId: string, id: string): Promise<boolean>;
  /** The merchant's legal name, RUC and language, for the headers of exports. */
  identity(shopId: string): Promise<ShopIdentity | null>;
}
