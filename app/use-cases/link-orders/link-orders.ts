import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { OrderLinkStore, OrdersLookup } from "../../ports/order-links";
import type { ShopifyTarget } from "../../ports/shopify-payments-apps";

export interface LinkOrdersReport {
  checked: number;
  linked: number;
  updated: number;
  notFound: number;
  /** Why the run stopped early, if it did (no token, Shopify refused or throttled). */
  stopped: string | null;
}

/** How far back the daily check looks for paid sessions without a settled order. */
export const LINK_LOOKBACK_DAYS = 90;

/**
 * The daily check behind the order webhooks: every session with a payment (marked paid, or notified paid
 * and flagged) whose Shopify order is unknown or still unpaid is looked up in the Admin GraphQL API by its
 * payment session id, and the order's id, name and financial status are stored. Bounded per run; a refused
 * token or throttling stops the run (the next one continues).
 */
export class LinkOrders {
  constructor(
    private readonly deps: {
      store: OrderLinkStore;
      orders: OrdersLookup;
      /** The shop's Admin API target (offline token), or null when the shop has none (uninstalled). */
      target: (shopId: string) => Promise<ShopifyTarget | null>;
      clock: Clock;
      logger: Logger;
      batchSize?: number;
      limit?: number;
    },
  ) {}

  async execute(shopId: string): Promise<LinkOrdersReport> {
    const { store, orders, clock, logger } = this.deps;
    const report: LinkOrdersReport = { checked: 0, linked: 0, updated: 0, notFound: 0, stopped: null };
    const since = new Date(clock.now().getTime() - LINK_LOOKBACK_DAYS * 86_400_000);
    const candidates = await store.candidates(shopId, { since, limit: this.deps.limit ?? 500 });
    if (candidates.length === 0) return report;
    const target = await this.deps.target(shopId);
    if (!target) return { ...report, stopped: "no_offline_token" };
    const batchSize = this.deps.batchSize ?? 20;
    for (let i = 0; i < candidates.length; i += batchSize) {
      const batch = candidates.slice(i, i + batchSize);
      const found = await orders.ordersForSessions(
        target,
        batch.map((c) => c.id),
      );
      if (!found.ok) {
        report.stopped = found.error.kind;
        break;
      }
      for (const candidate of batch) {
        report.checked += 1;
        const order = found.value.get(candidate.id) ?? null;
        if (!order) {
          report.notFound += 1;
          continue;
        }
        const same = candidate.orderId === order.id && candidate.orderName === order.name && candidate.orderFinancialStatus === order.financialStatus;
        if (same) continue;
        if (await store.link(shopId, candidate.id, order)) {
          if (candidate.orderId === null) report.linked += 1;
          else report.updated += 1;
        }
      }
    }
    logger.info({ shopId, ...report }, "orders linked from the Admin API");
    return report;
  }
}
