import { type Currency } from "../money";
import type { SettlementMatchContext } from "./match-settlement-lines";
import { hasPaymentEvidence } from "./reconcile-payment";
import { type PaymentRecord } from "./types";

const CURRENCY_CODE: Readonly<Record<Currency, number>> = { PEN: 0, USD: 1 };

/**
 * The ledger as parallel columns indexed through one Map from CIP. The numbers live in typed arrays,
 * outside the JavaScript heap (a few bytes per payment, no growth slack the collector has to walk), so a
 * million payments cost about 45 MB there plus the CIP and session id strings and the Map.
 */
export interface LedgerIndex {
  readonly byCip: Map<string, number>;
  readonly size: number;
  readonly cips: readonly string[];
  /** Empty when the index was built without them (LedgerIndexBuilder's `sessionIds: false`). */
  readonly sessionIds: readonly string[];
  /** Amount paid if recorded, else expected. */
  readonly amountMinor: Float64Array;
  /** 0 PEN, 1 USD. */
  readonly currency: Uint8Array;
  /** 1 when the payment has evidence of being paid. */
  readonly paid: Uint8Array;
  readonly paymentCount: Uint32Array;
  readonly expiresMs: Float64Array;
  /** NaN when unknown. */
  readonly paidAtMs: Float64Array;
  /** Expected payout instant for paid payments inside coverage; NaN otherwise. */
  readonly payoutMs: Float64Array;
  /** Lines seen so far per payment (the matcher counts them). */
  readonly seen: Uint32Array;
  sessionIdOf(cip: string): string | undefined;
  currencyOf(i: number): Currency;
}

type IndexContext = Pick<SettlementMatchContext, "coverage" | "expectedPayoutDate">;

export interface LedgerIndexOptions {
  /**
   * Keep each payment's session id (default true). Without them (a million strings fewer), the matcher's
   * exceptions carry no sessionId and the caller looks the few it needs up by CIP afterwards.
   */
  readonly sessionIds?: boolean;
}

/**
 * Builds a LedgerIndex one payment at a time, so a caller reading the ledger in pages indexes each page as
 * it arrives and keeps nothing else of it.
 */
export class LedgerIndexBuilder {
  private readonly byCip = new Map<string, number>();
  private readonly cips: string[] = [];
  private readonly sessionIds: string[] = [];
  private capacity = 0;
  private amountMinor = new Float64Array(0);
  private currency = new Uint8Array(0);
  private paid = new Uint8Array(0);
  private paymentCount = new Uint32Array(0);
  private expiresMs = new Float64Array(0);
  private paidAtMs = new Float64Array(0);
  private payoutMs = new Float64Array(0);
  private readonly coverFrom: number;
  private readonly coverTo: number;

  private readonly keepSessionIds: boolean;

  constructor(
    private readonly context: IndexContext,
    options: LedgerIndexOptions = {},
  ) {
    this.keepSessionIds = options.sessionIds ?? true;
    this.coverFrom = context.coverage?.from.getTime() ?? Number.NEGATIVE_INFINITY;
    this.coverTo = context.coverage?.to.getTime() ?? Number.POSITIVE_INFINITY;
  }

  add(payment: PaymentRecord): void {
    // A CIP belongs to one session; should the ledger ever hold it twice, the first one is the reference.
    if (this.byCip.has(payment.cip)) return;
    const i = this.cips.length;
    if (i === this.capacity) this.grow();
    const isPaid = hasPaymentEvidence(payment);
    const paidAt = payment.paidAt?.getTime() ?? Number.NaN;
    this.byCip.set(payment.cip, i);
    this.cips.push(payment.cip);
    if (this.keepSessionIds) this.sessionIds.push(payment.sessionId);
    this.amountMinor[i] = payment.paidAmountMinor ?? payment.expectedAmountMinor;
    this.currency[i] = CURRENCY_CODE[payment.paidCurrency ?? payment.currency];
    this.paid[i] = isPaid ? 1 : 0;
    this.paymentCount[i] = isPaid ? Math.max(1, payment.paymentCount) : 0;
    this.expiresMs[i] = payment.cipExpiresAt.getTime();
    this.paidAtMs[i] = paidAt;
    // Payments paid without a recorded instant are kept in scope: coverage cannot exclude them.
    const inCoverage = Number.isNaN(paidAt) || (paidAt >= this.coverFrom && paidAt <= this.coverTo);
    this.payoutMs[i] = isPaid && inCoverage ? (this.context.expectedPayoutDate(payment)?.getTime() ?? Number.NaN) : Number.NaN;
  }

  build(): LedgerIndex {
    const { byCip, cips, sessionIds, currency } = this;
    const size = cips.length;
    return {
      byCip,
      size,
      cips,
      sessionIds,
      amountMinor: this.amountMinor.subarray(0, size),
      currency: currency.subarray(0, size),
      paid: this.paid.subarray(0, size),
      paymentCount: this.paymentCount.subarray(0, size),
      expiresMs: this.expiresMs.subarray(0, size),
      paidAtMs: this.paidAtMs.subarray(0, size),
      payoutMs: this.payoutMs.subarray(0, size),
      seen: new Uint32Array(size),
      sessionIdOf: (cip) => {
        const i = byCip.get(cip);
        return i === undefined ? undefined : sessionIds[i];
      },
      currencyOf: (i) => (currency[i] === 1 ? "USD" : "PEN"),
    };
  }

  private grow(): void {
    const capacity = Math.max(1_024, this.capacity * 2);
    this.amountMinor = resized(this.amountMinor, capacity);
    this.currency = resized(this.currency, capacity);
    this.paid = resized(this.paid, capacity);
    this.paymentCount = resized(this.paymentCount, capacity);
    this.expiresMs = resized(this.expiresMs, capacity);
    this.paidAtMs = resized(this.paidAtMs, capacity);
    this.payoutMs = resized(this.payoutMs, capacity);
    this.capacity = capacity;
  }
}

export function indexPayments(payments: Iterable<PaymentRecord>, context: IndexContext): LedgerIndex {
  const builder = new LedgerIndexBuilder(context);
  for (const payment of payments) builder.add(payment);
  return builder.build();
}

function resized<T extends Float64Array | Uint32Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  return next;
}
