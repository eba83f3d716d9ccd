import { limaHour } from "../lima-time";
import type { Currency } from "../money";

/** A payment session as the insights read it: what the shopper did with the code. */
export interface InsightSession {
  /** awaiting_phone | pending | paid | expired | rejected | cancelled (PaymentSession.state). */
  readonly state: string;
  readonly issuedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly paidAt: Date | null;
  readonly paidAmountMinor: number | null;
  readonly currency: Currency;
  /**
   * The channel the CIP was paid at, only where the data says so: PagoEfectivo's notification carries no
   * channel (docs/pagoefectivo-v1.md §2), so it comes from an imported settlement line matched to the
   * payment; null = not known.
   */
  readonly channel: string | null;
}

/** How long after its CIP was issued a payment came in. Upper bounds in hours; the last is open. */
export const TIME_TO_PAY_BUCKETS = ["under_1h", "1h_6h", "6h_24h", "24h_48h", "48h_72h", "over_72h"] as const;
export type TimeToPayBucket = (typeof TIME_TO_PAY_BUCKETS)[number];
const BUCKET_LIMITS_H: readonly number[] = [1, 6, 24, 48, 72];

export interface PaymentInsights {
  /** Sessions in which the shopper chose PagoEfectivo. */
  chose: number;
  /** Of them, sessions that never got a CIP (no phone given, or PagoEfectivo refused it). */
  withoutCode: number;
  issued: number;
  paid: number;
  /** Paid after the CIP's expiry (a reconciliation exception each). */
  paidLate: number;
  expired: number;
  /** Still within the CIP's life. */
  pending: number;
  /** Rejected or cancelled without payment (order cancelled, code deleted). */
  cancelled: number;
  paidMinor: Record<Currency, number>;
  timeToPay: {
    /** Minutes; null when nothing was paid. */
    medianMinutes: number | null;
    p90Minutes: number | null;
    buckets: { bucket: TimeToPayBucket; count: number }[];
  };
  /** Paid payments per channel as the data names it; channel null = not known. Most paid first, unknown last. */
  channels: { channel: string | null; paid: number }[];
  /** Per Lima hour of day (0-23): CIPs issued then, how many of those were paid, and payments made then. */
  hours: { hour: number; issued: number; paidOfIssued: number; paidAtHour: number }[];
}

/** Adds sessions one by one (a period may hold many) and builds the insights. Pure. */
export class PaymentInsightsBuilder {
  private readonly counts = { chose: 0, withoutCode: 0, issued: 0, paid: 0, paidLate: 0, expired: 0, pending: 0, cancelled: 0 };
  private readonly paidMinor: Record<Currency, number> = { PEN: 0, USD: 0 };
  private readonly minutes: number[] = [];
  private readonly buckets = TIME_TO_PAY_BUCKETS.map(() => 0);
  private readonly channels = new Map<string | null, number>();
  private readonly hours = Array.from({ length: 24 }, (_, hour) => ({ hour, issued: 0, paidOfIssued: 0, paidAtHour: 0 }));

  add(session: InsightSession): void {
    const c = this.counts;
    c.chose += 1;
    if (!session.issuedAt) {
      if (session.paidAt) this.addPaid(session, null);
      else c.withoutCode += 1;
      return;
    }
    c.issued += 1;
    const hour = this.hours[limaHour(session.issuedAt)]!;
    hour.issued += 1;
    if (session.paidAt) {
      hour.paidOfIssued += 1;
      this.addPaid(session, session.issuedAt);
    } else if (session.state === "expired") c.expired += 1;
    else if (session.state === "pending") c.pending += 1;
    else c.cancelled += 1;
  }

  private addPaid(session: InsightSession, issuedAt: Date | null): void {
    const paidAt = session.paidAt!;
    this.counts.paid += 1;
    if (session.expiresAt && paidAt.getTime() > session.expiresAt.getTime()) this.counts.paidLate += 1;
    this.paidMinor[session.currency] += session.paidAmountMinor ?? 0;
    this.channels.set(session.channel, (this.channels.get(session.channel) ?? 0) + 1);
    this.hours[limaHour(paidAt)]!.paidAtHour += 1;
    if (!issuedAt) return;
    const minutes = Math.max(0, (paidAt.getTime() - issuedAt.getTime()) / 60_000);
    this.minutes.push(minutes);
    const index = BUCKET_LIMITS_H.findIndex((limit) => minutes < limit * 60);
    this.buckets[index === -1 ? BUCKET_LIMITS_H.length : index]! += 1;
  }

  build(): PaymentInsights {
    const sorted = Float64Array.from(this.minutes).sort();
    const channels = [...this.channels.entries()]
      .map(([channel, paid]) => ({ channel, paid }))
      .sort((a, b) => (a.channel === null ? 1 : 0) - (b.channel === null ? 1 : 0) || b.paid - a.paid || String(a.channel).localeCompare(String(b.channel)));
    return {
      ...this.counts,
      paidMinor: { ...this.paidMinor },
      timeToPay: {
        medianMinutes: quantile(sorted, 0.5),
        p90Minutes: quantile(sorted, 0.9),
        buckets: TIME_TO_PAY_BUCKETS.map((bucket, index) => ({ bucket, count: this.buckets[index] ?? 0 })),
      },
      channels,
      hours: this.hours.map((hour) => ({ ...hour })),
    };
  }
}

/** Linear interpolation between the closest ranks, rounded to the minute; null for no data. */
function quantile(sorted: Float64Array, q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const value = sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
  return Math.round(value);
}
