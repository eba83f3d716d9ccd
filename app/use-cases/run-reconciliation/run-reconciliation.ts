import { DAY_MS, limaEpochDay, limaMidnight } from "../../domain/lima-time";
import { type SettlementMatchContext, SettlementMatcher } from "../../domain/reconciliation/match-settlement-lines";
import { reconcilePayment } from "../../domain/reconciliation/reconcile-payment";
import { LedgerIndexBuilder } from "../../domain/reconciliation/settlement-ledger-index";
import type {
  OrderFinancialStatus,
  PaymentRecord,
  PaymentRecordState,
  ReconciliationException,
  SettlementLineStatus,
} from "../../domain/reconciliation/types";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type {
  ExceptionWriter,
  LedgerPaymentRow,
  LedgerReader,
  NewReconciliationException,
  ReconciliationLine,
  RunRecord,
  RunStats,
  RunStore,
  RunTrigger,
  SettlementLineSource,
  SettlementTermsReader,
} from "../../ports/reconciliation";
import type { LeaseProvider } from "../../ports/scheduler-lease";
import { COMMISSION_TOLERANCE_MINOR, SettlementExpectations } from "./settlement-expectations";

export type RunError = { readonly kind: "busy"; readonly message: string } | { readonly kind: "failed"; readonly runId: string; readonly message: string };

export interface RunReconciliationDeps {
  ledger: LedgerReader;
  lines: SettlementLineSource;
  exceptions: ExceptionWriter;
  runs: RunStore;
  terms: SettlementTermsReader;
  lease: LeaseProvider;
  clock: Clock;
  logger: Logger;
  /** Who holds the per-shop run lease (this instance). */
  holder: string;
  pageSize?: number;
}

/** Kinds the notification handler and the poller also raise as they happen: one per CIP, whoever saw it first. */
const ONE_PER_CIP: ReadonlySet<string> = new Set(["amount_mismatch", "currency_mismatch", "paid_after_expiry", "paid_twice", "notification_missing"]);
/** States that come and go: resolved automatically when a later run no longer finds them. */
const TRANSIENT_KINDS = ["paid_without_order", "order_pending_but_paid", "missing_from_settlement"] as const;

const RECORD_STATE: Readonly<Record<string, PaymentRecordState>> = {
  awaiting_phone: "created",
  pending: "pending",
  paid: "paid",
  expired: "expired",
  rejected: "rejected",
  cancelled: "cancelled",
};

const LEASE_MS = 30 * 60 * 1000;

/**
 * One reconciliation run for a shop: the ledger rules for every payment (reconcilePayment), then every
 * imported settlement line matched against the ledger (SettlementMatcher) while it streams, then paid CIPs
 * missing from the settlement after their expected payout day. New exceptions are stored with their
 * evidence and suggested action; known ones are left alone (a resolved one stays resolved); open
 * "state" exceptions no longer found are resolved with a note. One run per shop at a time (a lease).
 *
 * Memory: the ledger is held as a CIP index inside the matcher (a few numbers per payment, in typed
 * arrays), built while the ledger pages stream; lines stream in pages and only their exceptions are kept.
 */
export class RunReconciliation {
  constructor(private readonly deps: RunReconciliationDeps) {}

  /** Runs now; `run` is a run created earlier (queued), else one is created. */
  async execute(input: { shopId: string; trigger: RunTrigger; run?: RunRecord }): Promise<Result<{ run: RunRecord; stats: RunStats }, RunError>> {
    const { lease, clock, holder, runs, logger } = this.deps;
    const leaseName = `reconcile:${input.shopId}`;
    const startedAt = clock.now();
    const acquired = await lease.tryAcquire(leaseName, holder, LEASE_MS);
    if (!acquired) {
      const message = "A reconciliation run for this shop is already in progress on another instance";
      if (input.run) await runs.fail(input.run.id, message, startedAt);
      return err({ kind: "busy", message });
    }
    const run = input.run ?? (await runs.create(input.shopId, input.trigger, startedAt));
    await runs.markRunning(run.id, startedAt);
    try {
      const stats = await this.reconcile(input.shopId, input.trigger, run.id, startedAt);
      const finishedAt = clock.now();
      await runs.finish(run.id, stats, finishedAt);
      logger.info({ shopId: input.shopId, runId: run.id, trigger: input.trigger, found: stats.found, durationMs: stats.durationMs }, "reconciliation run finished");
      return ok({ run: { ...run, status: "done", finishedAt, stats }, stats });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, shopId: input.shopId, runId: run.id }, "reconciliation run failed");
      await runs.fail(run.id, message, clock.now()).catch(() => undefined);
      return err({ kind: "failed", runId: run.id, message });
    } finally {
      await lease.release(leaseName, holder).catch(() => undefined);
    }
  }

  private async reconcile(shopId: string, trigger: RunTrigger, runId: string, now: Date): Promise<RunStats> {
    const { ledger, lines, terms, exceptions } = this.deps;
    const pageSize = this.deps.pageSize ?? 2_000;
    const t0 = performance.now();
    const [payoutTerms, schedule, notified, coverage, importIds] = await Promise.all([
      terms.payoutTerms(shopId),
      terms.feeSchedule(shopId),
      ledger.notifiedPaymentCounts(shopId),
      lines.coverage(shopId),
      lines.importedIds(shopId),
    ]);
    const expectations = new SettlementExpectations(payoutTerms, schedule);

    // Coverage by whole Lima days: a file "for 15 July" covers every payment of that day.
    const covered = coverage
      ? { from: limaMidnight(limaEpochDay(coverage.from)), to: new Date(limaMidnight(limaEpochDay(coverage.to)).getTime() + DAY_MS - 1) }
      : // Nothing imported yet: no payment is expected in a settlement file.
        { from: new Date(8.64e15), to: new Date(-8.64e15) };
    const matchContext: SettlementMatchContext = {
      now,
      expectedPayoutDate: (payment) => (payment.paidAt ? expectations.expectedPayoutDate(payment.paidAt, payment.channel) : null),
      expectedCommission: (line) => expectations.expectedCommission(line),
      commissionToleranceMinor: COMMISSION_TOLERANCE_MINOR,
      coverage: covered,
    };
    const found: ReconciliationException[] = [];
    const sources = new Map<ReconciliationException, "reconciliation" | "settlement">();
    let payments = 0;
    let paidPayments = 0;
    // The ledger rules run as the pages arrive, and each payment goes into the settlement matcher's index
    // at once: nothing of a page outlives it.
    // Without session ids: a million strings fewer; the few exceptions that need one get it below.
    const index = new LedgerIndexBuilder(matchContext, { sessionIds: false });
    for await (const page of ledger.pages(shopId, pageSize)) {
      for (const row of page) {
        const record = toPaymentRecord(shopId, row, notified.get(row.cip));
        payments += 1;
        if (record.paymentCount > 0) paidPayments += 1;
        // A payment PagoEfectivo notified but the app did not accept (wrong amount, after expiry) has no
        // paid date: the notification handler recorded exactly what was wrong when it arrived, and the
        // ledger rules would only add noise (a closed session, no order). It still counts as paid below.
        if (record.paidAt !== null) {
          for (const exception of reconcilePayment(record, now)) {
            found.push(exception);
            sources.set(exception, "reconciliation");
          }
        }
        index.add(record);
      }
      await yieldToEventLoop();
    }
    const matcher = new SettlementMatcher(index.build(), matchContext);

    let lineCount = 0;
    const lineStatus: Record<string, number> = {};
    for (const importId of importIds) {
      let after = 0;
      for (;;) {
        // The page is matched in a plain function and only line numbers come back: nothing of the page
        // stays reachable while the statuses are written (objects alive across a database call are
        // promoted to the old generation, and a million lines of them would bloat the heap).
        const step = matchPage(matcher, await lines.pageOfImport(importId, after, pageSize), lineStatus);
        if (!step) break;
        lineCount += step.count;
        if (step.save) await lines.saveStatuses(importId, step.save.range, step.save.majority, step.save.others);
        after = step.lastLine;
        if (step.count < pageSize) break;
        await yieldToEventLoop();
      }
    }
    const result = matcher.finish();
    const sessionIds = await ledger.sessionIdsOf(shopId, [...new Set(result.exceptions.filter((e) => e.sessionId === undefined).map((e) => e.cip))]);
    for (const matched of result.exceptions) {
      const sessionId = matched.sessionId === undefined ? sessionIds.get(matched.cip) : undefined;
      const exception = sessionId === undefined ? matched : { ...matched, sessionId };
      found.push(exception);
      sources.set(exception, "settlement");
    }

    const candidates: NewReconciliationException[] = found.map((e) => ({
      kind: e.kind,
      cip: e.cip,
      paymentSessionId: e.sessionId ?? null,
      dedupeKey: e.dedupeKey,
      source: sources.get(e) ?? "reconciliation",
      evidence: e.evidence,
      suggestedAction: e.suggestedAction,
    }));
    const { inserted } = await exceptions.record(shopId, candidates, { runId, at: now, onePerCip: ONE_PER_CIP });
    const stillFound = new Set(candidates.filter((c) => (TRANSIENT_KINDS as readonly string[]).includes(c.kind)).map((c) => c.dedupeKey));
    const autoResolved = await exceptions.autoResolve(shopId, TRANSIENT_KINDS, stillFound, {
      runId,
      at: now,
      note: "Resuelto automáticamente: la conciliación ya no lo encuentra / Resolved automatically: reconciliation no longer finds it",
    });

    return {
      trigger,
      payments,
      paidPayments,
      lines: lineCount,
      lineStatus: { ...lineStatus, missing: result.statusCounts.missing },
      found: countByKind(candidates),
      newExceptions: countByKind(inserted),
      autoResolved,
      coverage: coverage ? { from: covered.from.toISOString(), to: covered.to.toISOString() } : null,
      durationMs: Math.round(performance.now() - t0),
    };
  }
}

interface PageStep {
  readonly count: number;
  readonly lastLine: number;
  readonly save: {
    readonly range: { fromLine: number; toLine: number };
    readonly majority: SettlementLineStatus | null;
    readonly others: Map<SettlementLineStatus, number[]>;
  } | null;
}

/**
 * Matches one page of lines and plans the status writes, changing only what changed: when most of the page
 * changes to one status (the first run of a file: everything becomes "matched"), one range update sets it
 * and the lines with any other status are then set by line number; otherwise each changed line is set.
 */
function matchPage(matcher: SettlementMatcher, page: readonly ReconciliationLine[], tally: Record<string, number>): PageStep | null {
  if (page.length === 0) return null;
  const changed = new Map<SettlementLineStatus, number[]>();
  const all = new Map<SettlementLineStatus, number[]>();
  for (const line of page) {
    const status = matcher.addLine(line);
    tally[status] = (tally[status] ?? 0) + 1;
    push(all, status, line.lineNumber);
    if (line.status !== status) push(changed, status, line.lineNumber);
  }
  const range = { fromLine: page[0]?.lineNumber ?? 0, toLine: page[page.length - 1]?.lineNumber ?? 0 };
  const step = { count: page.length, lastLine: range.toLine };
  if (changed.size === 0) return { ...step, save: null };
  let majority: SettlementLineStatus | null = null;
  for (const [status, lines] of changed) if (lines.length * 2 > page.length && lines.length >= 64) majority = status;
  if (!majority) return { ...step, save: { range, majority: null, others: changed } };
  const others = new Map([...all].filter(([status]) => status !== majority));
  return { ...step, save: { range, majority, others } };
}

/**
 * SQLite calls complete synchronously inside Prisma's promises, so a loop of them never reaches the
 * event loop's timer and I/O phases: without this, a long run would stall every HTTP request.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function toPaymentRecord(shopId: string, row: LedgerPaymentRow, notifiedPayments: number | undefined): PaymentRecord {
  const paidAt = row.paidAtMs === null ? null : new Date(row.paidAtMs);
  const paymentCount = Math.max(notifiedPayments ?? 0, paidAt ? 1 : 0);
  return {
    sessionId: row.sessionId,
    shopId,
    cip: row.cip,
    expectedAmountMinor: row.amountMinor,
    currency: row.currency,
    state: RECORD_STATE[row.state] ?? "created",
    cipExpiresAt: new Date(row.cipExpiresAtMs ?? row.createdAtMs),
    paidAt,
    paidAmountMinor: row.paidAmountMinor,
    paidCurrency: row.paidCurrency,
    paidVia: row.paidVia === "polling" ? "polling" : row.paidVia === "notification" ? "notification" : null,
    paymentCount,
    orderId: row.orderId,
    orderFinancialStatus: orderStatus(row.orderFinancialStatus),
    channel: row.channel,
  };
}

const ORDER_STATUSES: ReadonlySet<string> = new Set(["AUTHORIZED", "EXPIRED", "PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "PENDING", "REFUNDED", "VOIDED"]);

/** Webhooks give "paid", the GraphQL API "PAID": both are the same status. */
function orderStatus(value: string | null): OrderFinancialStatus | null {
  if (!value) return null;
  const upper = value.toUpperCase();
  return ORDER_STATUSES.has(upper) ? (upper as OrderFinancialStatus) : null;
}

function countByKind(exceptions: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of exceptions) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}
