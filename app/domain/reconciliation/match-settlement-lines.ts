import { settlementLineKey } from "../settlement/line-key";
import { indexPayments, type LedgerIndex } from "./settlement-ledger-index";
import { suggestedActionFor } from "./suggested-actions";
import {
  type ExceptionKind,
  type PaymentRecord,
  type ReconciliationException,
  type SettlementLineRecord,
  type SettlementLineStatus,
  type SettlementMatchStatus,
} from "./types";

export interface SettlementMatchContext {
  readonly now: Date;
  /** 00:00 Lima of the day the payment should be paid out (payout calendar), or null if unknown. */
  expectedPayoutDate(payment: PaymentRecord): Date | null;
  /** The commission the shop's fee schedule predicts for the line, or null when none applies. */
  expectedCommission(line: SettlementLineRecord): number | null;
  /** A reported commission within this many céntimos of the expected one is fine (rounding differences). */
  readonly commissionToleranceMinor: number;
  /**
   * Payment dates the imported settlement files cover. Only paid CIPs inside it are expected in them,
   * so importing July's file does not report every August payment as missing. Absent: everything.
   */
  readonly coverage?: { readonly from: Date; readonly to: Date };
  /**
   * How long after the expected payout date's midnight a paid CIP may still be absent from the
   * settlement: default one day, i.e. missing once the whole payout day has passed.
   */
  readonly missingGraceMs?: number;
  /**
   * Receives each line's status as soon as it is decided, in input order, so a caller can store statuses
   * while streaming instead of this function holding a million of them.
   */
  onLineStatus?(line: SettlementLineRecord, status: SettlementLineStatus): void;
}

export interface SettlementMatchResult {
  /** Lines whose status is "matched". */
  readonly matched: number;
  /** Lines per status, plus "missing": paid CIPs (payments) with fewer lines than payments. */
  readonly statusCounts: Readonly<Record<SettlementMatchStatus, number>>;
  readonly exceptions: ReconciliationException[];
}

export const DEFAULT_MISSING_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Matches settlement lines against the ledger in one pass over each input: O(payments + lines) time, with
 * memory for the payments index only (parallel arrays of numbers keyed through one Map from CIP), so the
 * lines can stream from a file or a database cursor and payments are not retained as objects.
 *
 * A line is "unknown" if no session has its CIP; "duplicate" if its CIP already has as many lines as
 * recorded payments (at least one); "amount_mismatch" if its amount or currency differs from the payment
 * (the amount paid if recorded, else the amount expected); "matched" otherwise. A line for a CIP the
 * ledger has as unpaid is matched, and also raises notification_missing (and paid_after_expiry when
 * its payment date is past the CIP's expiry): the money arrived although the app never heard of it.
 * Each line with a reported commission is checked against the fee schedule. After the lines, every paid
 * CIP with fewer lines than payments, past its expected payout date, is missing_from_settlement.
 *
 * dedupeKeys: per line, `<kind>:<line key>` (CIP + operation number, else CIP + date + amount); for
 * duplicates `settlement_duplicate:<cip>#<n>` (the n-th line of that CIP); per payment `<kind>:<cip>`,
 * which notification_missing and paid_after_expiry found through a line share with reconcilePayment,
 * so the ledger and the settlement update one exception instead of opening two.
 */
export function matchSettlementLines(
  payments: Iterable<PaymentRecord>,
  lines: Iterable<SettlementLineRecord>,
  context: SettlementMatchContext,
): SettlementMatchResult {
  const matcher = new SettlementMatcher(payments, context);
  for (const line of lines) matcher.addLine(line);
  return matcher.finish();
}

/**
 * The incremental form of matchSettlementLines, for lines that arrive asynchronously (a file being
 * imported, a database cursor): index the payments once, feed lines in any batches, then finish once.
 * Nothing per line is retained except its exceptions.
 */
export class SettlementMatcher {
  private readonly ledger: LedgerIndex;
  private readonly counts: Record<SettlementMatchStatus, number> = {
    matched: 0,
    unknown: 0,
    amount_mismatch: 0,
    duplicate: 0,
    missing: 0,
  };
  private readonly exceptions: ReconciliationException[] = [];
  private finished = false;

  /** `payments`: the ledger, or its index already built (LedgerIndexBuilder, while the ledger was read). */
  constructor(
    payments: Iterable<PaymentRecord> | LedgerIndex,
    private readonly context: SettlementMatchContext,
  ) {
    this.ledger = isLedgerIndex(payments) ? payments : indexPayments(payments, context);
  }

  /** Classifies one line (and checks its commission); returns its status. */
  addLine(line: SettlementLineRecord): SettlementLineStatus {
    if (this.finished) throw new Error("SettlementMatcher: addLine after finish");
    const { ledger, exceptions, context } = this;
    const status = classifyLine(ledger, line, exceptions);
    this.counts[status] += 1;
    context.onLineStatus?.(line, status);

    const commission = line.commissionMinor ?? null;
    if (commission !== null) {
      const expected = context.expectedCommission(line);
      const tolerance = context.commissionToleranceMinor;
      if (expected !== null && Math.abs(commission - expected) > tolerance) {
        exceptions.push(
          lineException("commission_mismatch", line, ledger.sessionIdOf(line.cip), {
            reportedCommissionMinor: commission,
            expectedCommissionMinor: expected,
            differenceMinor: commission - expected,
            toleranceMinor: tolerance,
          }),
        );
      }
    }
    return status;
  }

  /** Adds the paid CIPs missing from the settlement and returns the result; call once, after every line. */
  finish(): SettlementMatchResult {
    if (this.finished) throw new Error("SettlementMatcher: finish called twice");
    this.finished = true;
    const { ledger, counts, exceptions } = this;
    const nowMs = this.context.now.getTime();
    const graceMs = this.context.missingGraceMs ?? DEFAULT_MISSING_GRACE_MS;
    for (let i = 0; i < ledger.size; i += 1) {
      const payoutMs = ledger.payoutMs[i] ?? Number.NaN;
      const paymentCount = ledger.paymentCount[i] ?? 0;
      const seen = ledger.seen[i] ?? 0;
      // NaN payout (unpaid, outside coverage, or no expected date) never compares true.
      if (!(nowMs >= payoutMs + graceMs) || seen >= paymentCount) continue;
      counts.missing += 1;
      const cip = ledger.cips[i] ?? "";
      const sessionId = ledger.sessionIds[i];
      exceptions.push({
        kind: "missing_from_settlement",
        cip,
        ...(sessionId !== undefined ? { sessionId } : {}),
        dedupeKey: `missing_from_settlement:${cip}`,
        evidence: {
          paidAt: isoOrNull(ledger.paidAtMs[i]),
          amountMinor: ledger.amountMinor[i],
          currency: ledger.currencyOf(i),
          expectedPayoutDate: new Date(payoutMs).toISOString(),
          paymentCount,
          linesFound: seen,
        },
        suggestedAction: suggestedActionFor("missing_from_settlement"),
      });
    }
    return { matched: counts.matched, statusCounts: { ...counts }, exceptions };
  }
}

function isLedgerIndex(value: Iterable<PaymentRecord> | LedgerIndex): value is LedgerIndex {
  return "byCip" in value && value.byCip instanceof Map;
}

function classifyLine(
  ledger: LedgerIndex,
  line: SettlementLineRecord,
  exceptions: ReconciliationException[],
): SettlementLineStatus {
  const i = ledger.byCip.get(line.cip);
  if (i === undefined) {
    exceptions.push(lineException("settlement_unknown_cip", line, undefined, {}));
    return "unknown";
  }
  const sessionId = ledger.sessionIds[i];
  const seen = (ledger.seen[i] ?? 0) + 1;
  ledger.seen[i] = seen;
  const paid = ledger.paid[i] === 1;
  const allowed = Math.max(1, ledger.paymentCount[i] ?? 0);
  if (seen > allowed) {
    exceptions.push({
      ...lineException("settlement_duplicate", line, sessionId, { occurrence: seen, paymentCount: ledger.paymentCount[i] }),
      dedupeKey: `settlement_duplicate:${line.cip}#${seen}`,
    });
    return "duplicate";
  }

  const amount = ledger.amountMinor[i];
  const currency = ledger.currencyOf(i);
  if (line.amountMinor !== amount || line.currency !== currency) {
    exceptions.push(
      lineException("settlement_amount_mismatch", line, sessionId, {
        ledgerAmountMinor: amount,
        ledgerCurrency: currency,
        differenceMinor: line.currency === currency ? line.amountMinor - (amount ?? 0) : null,
        ledgerPaid: paid,
      }),
    );
    return "amount_mismatch";
  }

  if (!paid) {
    exceptions.push({
      ...lineException("notification_missing", line, sessionId, { source: "settlement" }),
      dedupeKey: `notification_missing:${line.cip}`,
    });
    const expiresMs = ledger.expiresMs[i] ?? Number.NaN;
    if (line.paymentDate && line.paymentDate.getTime() > expiresMs) {
      exceptions.push({
        ...lineException("paid_after_expiry", line, sessionId, {
          source: "settlement",
          cipExpiresAt: new Date(expiresMs).toISOString(),
        }),
        dedupeKey: `paid_after_expiry:${line.cip}`,
      });
    }
  }
  return "matched";
}

function lineException(
  kind: ExceptionKind,
  line: SettlementLineRecord,
  sessionId: string | undefined,
  evidence: Record<string, unknown>,
): ReconciliationException {
  return {
    kind,
    cip: line.cip,
    ...(sessionId !== undefined ? { sessionId } : {}),
    dedupeKey: `${kind}:${settlementLineKey(line)}`,
    evidence: {
      importId: line.importId,
      lineNumber: line.lineNumber,
      amountMinor: line.amountMinor,
      currency: line.currency,
      paymentDate: line.paymentDate?.toISOString() ?? null,
      channel: line.channel ?? null,
      operationNumber: line.operationNumber ?? null,
      ...evidence,
    },
    suggestedAction: suggestedActionFor(kind),
  };
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined || Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
