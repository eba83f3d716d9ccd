import type { RefundSessionBody, ShopifySessionHeaders } from "../../contracts/shopify/session-requests";
import { type Currency, parseDecimalAmount } from "../../domain/money";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { err, ok, type Result } from "../../lib/result";
import type { PaymentStore } from "../../ports/payment-store";
import type { RefundSessionRecord, RefundStore } from "../../ports/refund-store";

export type ReceiveRefundError =
  | { kind: "unknown_shop"; message: string }
  | { kind: "unknown_payment"; message: string }
  | { kind: "invalid"; message: string };

/**
 * Shopify's POST refund session. PagoEfectivo cannot refund, so the refund is stored (idempotent
 * on Shopify's id), answered 201, and waits in the merchant's manual refunds queue.
 */
export class ReceiveRefundSession {
  constructor(private readonly deps: { store: PaymentStore; refunds: RefundStore; clock: Clock; logger: Logger }) {}

  async execute(input: { headers: ShopifySessionHeaders; body: RefundSessionBody; rawBody: string }): Promise<Result<RefundSessionRecord, ReceiveRefundError>> {
    const { store, refunds, clock, logger } = this.deps;
    const { headers, body } = input;
    const shop = await store.findShopByDomain(headers["shopify-shop-domain"]);
    if (!shop) return err({ kind: "unknown_shop", message: `Shop ${headers["shopify-shop-domain"]} has not installed this app` });
    const payment = await store.findSession(body.payment_id);
    if (!payment || payment.shopId !== shop.id) {
      return err({ kind: "unknown_payment", message: `No PagoEfectivo payment ${body.payment_id} for this shop` });
    }
    if (body.currency !== payment.currency) {
      return err({ kind: "invalid", message: `Refund currency ${body.currency} differs from the payment's ${payment.currency}` });
    }
    const amount = parseDecimalAmount(body.amount, payment.currency as Currency);
    if (!amount.ok || amount.value.amountMinor <= 0) return err({ kind: "invalid", message: `amount "${body.amount}" is not a positive amount` });

    const now = clock.now();
    const { refund, created } = await refunds.getOrCreate(
      {
        id: body.id,
        gid: body.gid,
        shopId: shop.id,
        paymentSessionId: payment.id,
        amountMinor: amount.value.amountMinor,
        currency: payment.currency,
        test: body.test,
        merchantLocale: body.merchant_locale ?? null,
        proposedAt: new Date(body.proposed_at),
        requestId: headers["shopify-request-id"],
        requestBody: input.rawBody,
        state: "awaiting_merchant",
        createdAt: now,
      },
      { type: "refund_requested", at: now, detail: { refundSessionId: body.id, amount: body.amount, currency: body.currency } },
    );
    if (created) logger.info({ refundSessionId: refund.id, paymentSessionId: payment.id }, "refund session waiting for the merchant");
    return ok(refund);
  }
}
