import { canMove } from "../../domain/payment-session";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { PaymentSessionRecord, PaymentStore } from "../../ports/payment-store";
import { cipDeleteJob, rejectJob } from "../shared/jobs";

export interface CancelledOrder {
  shopDomain: string;
  orderId: string;
  orderName: string | null;
  /** The payment session behind the order, when the webhook carries it. */
  paymentSessionId: string | null;
}

export type CancelOrderOutcome = "cip_deleted" | "not_ours" | "already_final" | "unknown_shop";

/**
 * `orders/cancelled`: an unpaid PagoEfectivo order's CIP is deleted at PagoEfectivo so nobody can
 * pay it any more, and the pending session is closed. A paid order is left alone: its money
 * goes back through a refund.
 */
export class CancelOrder {
  constructor(private readonly deps: { store: PaymentStore; clock: Clock; logger: Logger }) {}

  async execute(order: CancelledOrder): Promise<CancelOrderOutcome> {
    const { store, clock, logger } = this.deps;
    const shop = await store.findShopByDomain(order.shopDomain);
    if (!shop) return "unknown_shop";
    let session: PaymentSessionRecord | null = await store.findSessionByOrderId(shop.id, order.orderId);
    if (!session && order.paymentSessionId) session = await store.findSession(order.paymentSessionId);
    if (!session || session.shopId !== shop.id) return "not_ours";
    if (!canMove(session.state, "cancelled")) return "already_final";

    const now = clock.now();
    const updated = await store.applyChange({
      sessionId: session.id,
      move: "cancelled",
      set: { rejectionReason: "The order was cancelled in Shopify", orderId: order.orderId, orderName: order.orderName, updatedAt: now },
      events: [{ type: "order_cancelled", at: now, detail: { orderId: order.orderId, orderName: order.orderName } }],
      jobs: [
        ...(session.cip ? [cipDeleteJob(shop.id, session.id, session.cip)] : []),
        rejectJob(shop.id, session.id, "CANCELLED_PAYMENT", "The order was cancelled"),
      ],
    });
    if (!updated) return "already_final";
    logger.info({ paymentSessionId: session.id, cip: session.cip }, "order cancelled; CIP will be deleted");
    return "cip_deleted";
  }
}
