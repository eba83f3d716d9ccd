import type { InsightSession } from "../domain/insights/payment-insights";

/** Reads behind the payments insight report (app/use-cases/payment-insights). */
export interface PaymentInsightsSource {
  /**
   * The shop's payment sessions that arrived from Shopify in [from, to], page by page, each with the
   * channel of the settlement line matched to it (null when none says).
   */
  sessionPages(shopId: string, from: Date, to: Date): AsyncIterable<readonly InsightSession[]>;
}
