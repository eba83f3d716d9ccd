import { choose, DEFAULT_MATCH_OPTIONS, matchOrder } from "../../domain/order-link";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { OrderLinkStore, OrdersLookup } from "../../ports/order-links";
import type { ShopifyTarget } from "../../ports/shopify-payments-apps";

export type { OrderLinkCandidate, OrderLinkStore, OrdersLookup } from "../../ports/order-links";

export interface LinkOrdersReport {
  checked: number;
  linked: number;
  updated: number;
  notFound: number;
  /** Sessions two or more orders fit equally well: left for the merchant to link by hand. */
  ambiguous: number;
  /** Why the run stopped early, if it did (no token, Shopify refused or throttled). */
  stopped: string | null;
}

/** How far back the daily check looks for paid sessions without a settled order. */
export const LINK_LOOKBACK_DAYS = 90;

/**
 * The daily check behind the order webhooks. Paid sessions whose order is unknown are matched against
 * the shop's orders created since the oldest of them, by the documented facts in app/domain/order-link.ts
 * (gateway, amount, currency, test flag, time, customer e-mail); sessions already linked whose order is
 * still unpaid get the order's current name and status. A session is linked only when one order fits
 * best and that order pays no other session. A refused token or throttling stops the run (the next one
 * continues).
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
      limit?: number;
      maxPages?: number;
    },
  ) {}

  async execute(shopId: string): Promise<LinkOrdersReport> {
    const { store, orders, clock } = this.deps;
    const report: LinkOrdersReport = { checked: 0, linked: 0, updated: 0, notFound: 0, ambiguous: 0, stopped: null };
    const since = new Date(clock.now().getTime() - LINK_LOOKBACK_DAYS * 86_400_000);
    const candidates = await store.candidates(shopId, { since, limit: this.deps.limit ?? 500 });
    if (candidates.length === 0) return report;
    const target = await this.deps.target(shopId);
    if (!target) return { ...report, stopped: "no_offline_token" };

    for (const candidate of candidates.filter((c) => c.orderId !== null)) {
      const found = await orders.order(target, candidate.orderId as string);
      if (!found.ok) return this.finish(shopId, { ...report, stopped: found.error.kind });
      report.checked += 1;
      const order = found.value;
      if (!order) {
        report.notFound += 1;
        continue;
      }
      if (candidate.orderName === order.name && candidate.orderFinancialStatus === order.financialStatus) continue;
      if (await store.link(shopId, candidate.id, order, null, [])) report.updated += 1;
    }

    const unlinked = candidates.filter((c) => c.orderId === null);
    if (unlinked.length === 0) return this.finish(shopId, report);
    const oldest = Math.min(...unlinked.map((c) => c.createdAt.getTime()));
    const listed = await orders.ordersCreatedSince(target, new Date(oldest - 10 * 60_000), this.deps.maxPages);
    if (!listed.ok) return this.finish(shopId, { ...report, stopped: listed.error.kind });
    const taken = await store.linkedOrderIds(
      shopId,
      listed.value.orders.map((o) => o.id),
    );
    const free = listed.value.orders.filter((o) => !taken.has(o.id));

    // Each session picks its best order; an order two sessions pick is linked to neither.
    const picks = unlinked.map((session) => ({ session, choice: choose(free, (order) => matchOrder(session, order.facts, DEFAULT_MATCH_OPTIONS)) }));
    const pickedBy = new Map<string, number>();
    for (const { choice } of picks) if (choice.kind === "linked") pickedBy.set(choice.item.id, (pickedBy.get(choice.item.id) ?? 0) + 1);
    for (const { session, choice } of picks) {
      report.checked += 1;
      if (choice.kind === "none") {
        report.notFound += 1;
        continue;
      }
      if (choice.kind === "ambiguous" || (pickedBy.get(choice.item.id) ?? 0) > 1) {
        report.ambiguous += 1;
        continue;
      }
      if (await store.link(shopId, session.id, choice.item, choice.match.confidence, choice.match.evidence)) report.linked += 1;
    }
    return this.finish(shopId, report);
  }

  private finish(shopId: string, report: LinkOrdersReport): LinkOrdersReport {
    this.deps.logger.info({ shopId, ...report }, "orders linked from the Admin API");
    return report;
  }
}
