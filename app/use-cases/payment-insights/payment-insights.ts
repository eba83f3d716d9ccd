import { type PaymentInsights, PaymentInsightsBuilder } from "../../domain/insights/payment-insights";
import { DAY_MS, limaEpochDay } from "../../domain/lima-time";
import type { Clock } from "../../lib/clock";
import type { PaymentInsightsSource } from "../../ports/payment-insights";
import { limaDateOf, limaDayEnd, limaDayStart } from "../settlement-reports/report-period";

export interface PaymentInsightsQuery {
  /** Lima dates, inclusive; null = the last 30 days up to today (the app's clock). */
  readonly from: string | null;
  readonly to: string | null;
}

export interface PaymentInsightsReport extends PaymentInsights {
  readonly from: string;
  readonly to: string;
}

/** The default period: 30 Lima days ending today. */
export const DEFAULT_INSIGHT_DAYS = 30;

/**
 * The payments insight report: of the shoppers who chose PagoEfectivo in a period (sessions by the day
 * Shopify sent them, Lima time), how many paid, let the code expire or still can pay, how long paying took,
 * and where (channel) and when (hour of day) they paid.
 */
export class BuildPaymentInsights {
  constructor(private readonly deps: { source: PaymentInsightsSource; clock: Clock }) {}

  async execute(shopId: string, query: PaymentInsightsQuery): Promise<PaymentInsightsReport> {
    const today = limaDateOf(this.deps.clock.now());
    const to = query.to ?? today;
    const from = query.from ?? new Date((limaEpochDay(limaDayStart(to)) - (DEFAULT_INSIGHT_DAYS - 1)) * DAY_MS).toISOString().slice(0, 10);
    const builder = new PaymentInsightsBuilder();
    for await (const page of this.deps.source.sessionPages(shopId, limaDayStart(from), limaDayEnd(to))) {
      for (const session of page) builder.add(session);
    }
    return { from, to, ...builder.build() };
  }
}
