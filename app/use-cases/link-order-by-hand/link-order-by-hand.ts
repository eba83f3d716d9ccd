import { orderStatusShown } from "../../domain/order-status-shown";
import type { Clock } from "../../lib/clock";
import { err, ok, type Result } from "../../lib/result";
import type { LinkedOrder, ManualOrderLinkStore, OrderReader } from "../../ports/order-links";

export type ManualLinkError =
  | { kind: "payment_not_found"; message: string }
  | { kind: "invalid_order"; message: string }
  | { kind: "order_not_found"; message: string }
  | { kind: "order_taken"; message: string }
  | { kind: "shopify_unavailable"; message: string };

const ORDER_GID = /^gid:\/\/shopify\/Order\/(\d+)$/;

/**
 * The merchant's word on which order a payment paid, for the links the documented facts leave
 * uncertain (app/domain/order-link.ts). Linking checks the order in the shop's Admin API (it must exist
 * there and pay no other payment); unlinking records "no order" as the merchant's decision, so the
 * automatic linking never puts the link back.
 */
export class LinkOrderByHand {
  constructor(private readonly deps: { store: ManualOrderLinkStore; orders: OrderReader; clock: Clock }) {}

  async link(shopId: string, paymentId: string, orderRef: string): Promise<Result<LinkedOrder, ManualLinkError>> {
    const { store } = this.deps;
    const payment = await store.payment(shopId, paymentId);
    if (!payment) return err({ kind: "payment_not_found", message: `Payment ${paymentId} not found` });
    const orderId = /^\d+$/.test(orderRef) ? `gid://shopify/Order/${orderRef}` : orderRef;
    if (!ORDER_GID.test(orderId)) {
      return err({ kind: "invalid_order", message: "orderId must be an order id (5400000000001) or gid (gid://shopify/Order/5400000000001)" });
    }
    const taken = await store.paymentLinkedTo(shopId, orderId);
    if (taken && taken !== paymentId) return err({ kind: "order_taken", message: `Order ${orderId} is already linked to payment ${taken}` });
    const target = await store.adminTarget(shopId);
    if (!target) return err({ kind: "shopify_unavailable", message: "The shop has no Admin API access (the app is not installed)" });
    const found = await this.deps.orders.order(target, orderId);
    if (!found.ok) return err({ kind: "shopify_unavailable", message: `Shopify could not be asked for the order: ${found.error.message}` });
    if (!found.value) return err({ kind: "order_not_found", message: `Order ${orderId} does not exist in this shop` });
    await store.setMerchantLink(shopId, paymentId, found.value, payment, this.deps.clock.now());
    // Answered as the payment detail shows it: a rejected session's order is not "pending".
    return ok({ ...found.value, financialStatus: orderStatusShown(found.value.financialStatus, payment.shopifyState) });
  }

  async unlink(shopId: string, paymentId: string): Promise<Result<null, ManualLinkError>> {
    const payment = await this.deps.store.payment(shopId, paymentId);
    if (!payment) return err({ kind: "payment_not_found", message: `Payment ${paymentId} not found` });
    await this.deps.store.setMerchantLink(shopId, paymentId, null, payment, this.deps.clock.now());
    return ok(null);
  }
}
