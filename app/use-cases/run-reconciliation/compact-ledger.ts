import type { Currency } from "../../domain/money";
import type { PaymentRecord, PaymentRecordState } from "../../domain/reconciliation/types";

const STATES: readonly PaymentRecordState[] = ["created", "pending", "paid", "resolved", "rejected", "expired", "cancelled"];
const VIA: readonly (PaymentRecord["paidVia"] & string)[] = ["notification", "polling"];

/**
 * A shop's ledger held column-wise between reading it and indexing it for the settlement matcher: numbers
 * in typed arrays (outside the garbage collector's way, 8 bytes or less each), the CIP and session id as
 * the strings the matcher keeps anyway, and channels interned. A million payments take about 100 MB here
 * instead of the 350 MB the same rows take as objects, and major collections stay short.
 */
export class CompactLedger {
  size = 0;
  private capacity = 0;
  private cips: string[] = [];
  private sessionIds: string[] = [];
  private expected = new Float64Array(0);
  private paidAmount = new Float64Array(0);
  private expiresMs = new Float64Array(0);
  private paidAtMs = new Float64Array(0);
  private paymentCount = new Uint16Array(0);
  /** bit 0: USD; bit 1: paid currency USD; bit 2: paid currency known. */
  private currencyBits = new Uint8Array(0);
  private state = new Uint8Array(0);
  /** 0 none, 1 notification, 2 polling. */
  private via = new Uint8Array(0);
  private channel = new Uint16Array(0);
  private readonly channels: (string | null)[] = [null];
  private readonly channelIndex = new Map<string, number>();

  push(record: PaymentRecord): void {
    if (this.size === this.capacity) this.grow();
    const i = this.size;
    this.cips.push(record.cip);
    this.sessionIds.push(record.sessionId);
    this.expected[i] = record.expectedAmountMinor;
    this.paidAmount[i] = record.paidAmountMinor ?? Number.NaN;
    this.expiresMs[i] = record.cipExpiresAt.getTime();
    this.paidAtMs[i] = record.paidAt?.getTime() ?? Number.NaN;
    this.paymentCount[i] = Math.min(record.paymentCount, 65_535);
    const paidCurrency = record.paidCurrency ?? null;
    this.currencyBits[i] = (record.currency === "USD" ? 1 : 0) | (paidCurrency === "USD" ? 2 : 0) | (paidCurrency !== null ? 4 : 0);
    this.state[i] = Math.max(0, STATES.indexOf(record.state));
    this.via[i] = record.paidVia ? VIA.indexOf(record.paidVia) + 1 : 0;
    this.channel[i] = this.intern(record.channel ?? null);
    this.size += 1;
  }

  /**
   * The payments as records again, one at a time (each is garbage once the consumer has read it). Order
   * facts are not kept: the matcher does not use them.
   */
  *records(shopId: string): Generator<PaymentRecord> {
    for (let i = 0; i < this.size; i += 1) {
      const bits = this.currencyBits[i] ?? 0;
      const paidAt = this.paidAtMs[i] ?? Number.NaN;
      const paidAmount = this.paidAmount[i] ?? Number.NaN;
      const via = this.via[i] ?? 0;
      yield {
        sessionId: this.sessionIds[i] ?? "",
        shopId,
        cip: this.cips[i] ?? "",
        expectedAmountMinor: this.expected[i] ?? 0,
        currency: (bits & 1 ? "USD" : "PEN") satisfies Currency,
        state: STATES[this.state[i] ?? 0] ?? "created",
        cipExpiresAt: new Date(this.expiresMs[i] ?? 0),
        paidAt: Number.isNaN(paidAt) ? null : new Date(paidAt),
        paidAmountMinor: Number.isNaN(paidAmount) ? null : paidAmount,
        paidCurrency: bits & 4 ? (bits & 2 ? "USD" : "PEN") : null,
        paidVia: via === 0 ? null : (VIA[via - 1] ?? null),
        paymentCount: this.paymentCount[i] ?? 0,
        channel: this.channels[this.channel[i] ?? 0] ?? null,
      };
    }
  }

  /** Frees the columns once the matcher has indexed them. */
  release(): void {
    this.size = 0;
    this.capacity = 0;
    this.cips = [];
    this.sessionIds = [];
    this.expected = new Float64Array(0);
    this.paidAmount = new Float64Array(0);
    this.expiresMs = new Float64Array(0);
    this.paidAtMs = new Float64Array(0);
    this.paymentCount = new Uint16Array(0);
    this.currencyBits = new Uint8Array(0);
    this.state = new Uint8Array(0);
    this.via = new Uint8Array(0);
    this.channel = new Uint16Array(0);
  }

  private intern(channel: string | null): number {
    if (channel === null) return 0;
    let index = this.channelIndex.get(channel);
    if (index === undefined) {
      // Channel names are a handful; past 65 535 distinct ones they are simply not kept.
      if (this.channels.length >= 65_535) return 0;
      index = this.channels.length;
      this.channels.push(channel);
      this.channelIndex.set(channel, index);
    }
    return index;
  }

  private grow(): void {
    const capacity = Math.max(1_024, this.capacity * 2);
    this.expected = resized(this.expected, capacity);
    this.paidAmount = resized(this.paidAmount, capacity);
    this.expiresMs = resized(this.expiresMs, capacity);
    this.paidAtMs = resized(this.paidAtMs, capacity);
    this.paymentCount = resized(this.paymentCount, capacity);
    this.currencyBits = resized(this.currencyBits, capacity);
    this.state = resized(this.state, capacity);
    this.via = resized(this.via, capacity);
    this.channel = resized(this.channel, capacity);
    this.capacity = capacity;
  }
}

function resized<T extends Float64Array | Uint16Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  return next;
}
