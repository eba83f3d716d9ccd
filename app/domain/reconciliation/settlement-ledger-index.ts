import { type Currency } from "../money";
import type { SettlementMatchContext } from "./match-settlement-lines";
import { hasPaymentEvidence } from "./reconcile-payment";
import { type PaymentRecord } from "./types";

const CURRENCY_CODE: Readonly<Record<Currency, number>> = { PEN: 0, USD: 1 };

/** The ledger as parallel arrays indexed through one Map, so a million payments cost a few numbers each. */
export interface LedgerIndex {
  readonly byCip: Map<string, number>;
  readonly size: number;
  readonly cips: string[];
  readonly sessionIds: string[];
  /** Amount paid if recorded, else expected. */
  readonly amountMinor: number[];
  readonly currency: number[];
  readonly paid: number[];
  readonly paymentCount: number[];
  readonly expiresMs: number[];
  readonly paidAtMs: number[];
  /** Expected payout instant for paid payments inside coverage; NaN otherwise. */
  readonly payoutMs: number[];
  readonly seen: number[];
  sessionIdOf(cip: string): string | undefined;
  currencyOf(i: number): Currency;
}

export function indexPayments(payments: Iterable<PaymentRecord>, context: SettlementMatchContext): LedgerIndex {
  const byCip = new Map<string, number>();
  const cips: string[] = [];
  const sessionIds: string[] = [];
  const amountMinor: number[] = [];
  const currency: number[] = [];
  const paid: number[] = [];
  const paymentCount: number[] = [];
  const expiresMs: number[] = [];
  const paidAtMs: number[] = [];
  const payoutMs: number[] = [];
  const seen: number[] = [];
  const coverFrom = context.coverage?.from.getTime() ?? Number.NEGATIVE_INFINITY;
  const coverTo = context.coverage?.to.getTime() ?? Number.POSITIVE_INFINITY;

  for (const payment of payments) {
    // A CIP belongs to one session; should the ledger ever hold it twice, the first one is the reference.
    if (byCip.has(payment.cip)) continue;
    const isPaid = hasPaymentEvidence(payment);
    const paidAt = payment.paidAt?.getTime() ?? Number.NaN;
    byCip.set(payment.cip, cips.length);
    cips.push(payment.cip);
    sessionIds.push(payment.sessionId);
    amountMinor.push(payment.paidAmountMinor ?? payment.expectedAmountMinor);
    currency.push(CURRENCY_CODE[payment.paidCurrency ?? payment.currency]);
    paid.push(isPaid ? 1 : 0);
    paymentCount.push(isPaid ? Math.max(1, payment.paymentCount) : 0);
    expiresMs.push(payment.cipExpiresAt.getTime());
    paidAtMs.push(paidAt);
    // Payments paid without a recorded instant are kept in scope: coverage cannot exclude them.
    const inCoverage = Number.isNaN(paidAt) || (paidAt >= coverFrom && paidAt <= coverTo);
    payoutMs.push(isPaid && inCoverage ? (context.expectedPayoutDate(payment)?.getTime() ?? Number.NaN) : Number.NaN);
    seen.push(0);
  }

  return {
    byCip,
    size: cips.length,
    cips,
    sessionIds,
    amountMinor,
    currency,
    paid,
    paymentCount,
    expiresMs,
    paidAtMs,
    payoutMs,
    seen,
    sessionIdOf: (cip) => {
      const i = byCip.get(cip);
      return i === undefined ? undefined : sessionIds[i];
    },
    currencyOf: (i) => (currency[i] === 1 ? "USD" : "PEN"),
  };
}
