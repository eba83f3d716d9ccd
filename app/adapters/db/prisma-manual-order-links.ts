import { randomUUID } from "node:crypto";

import type { LinkedOrder, ManualLinkPayment, ManualOrderLinkStore } from "../../ports/order-links";
import type { ShopifyTarget } from "../../ports/shopify-payments-apps";
import type { SecretBox } from "../crypto/secret-box";
import type { Db } from "./database";

export class PrismaManualOrderLinks implements ManualOrderLinkStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  payment(shopId: string, paymentId: string): Promise<ManualLinkPayment | null> {
    return this.db.paymentSession.findFirst({
      where: { id: paymentId, shopId },
      select: { id: true, orderId: true, orderName: true, orderLinkConfidence: true, shopifyState: true },
    });
  }

  async paymentLinkedTo(shopId: string, orderId: string): Promise<string | null> {
    return (await this.db.paymentSession.findFirst({ where: { shopId, orderId }, select: { id: true } }))?.id ?? null;
  }

  async setMerchantLink(shopId: string, paymentId: string, order: LinkedOrder | null, previous: ManualLinkPayment, at: Date): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.paymentSession.updateMany({
        where: { id: paymentId, shopId },
        data: {
          orderId: order?.id ?? null,
          orderName: order?.name ?? null,
          orderFinancialStatus: order?.financialStatus ?? null,
          orderLinkConfidence: "merchant",
          updatedAt: at,
        },
      });
      await tx.paymentEvent.create({
        data: {
          id: randomUUID(),
          paymentSessionId: paymentId,
          shopId,
          type: order ? "order_linked" : "order_unlinked",
          at,
          detailJson: JSON.stringify({
            via: "merchant",
            confidence: "merchant",
            ...(order ? { orderId: order.id, orderName: order.name } : {}),
            previous: previous.orderId ? { orderId: previous.orderId, orderName: previous.orderName, confidence: previous.orderLinkConfidence } : null,
          }),
        },
      });
    });
  }

  async adminTarget(shopId: string): Promise<ShopifyTarget | null> {
    const shop = await this.db.shop.findUnique({ where: { id: shopId }, select: { domain: true, status: true, offlineTokenEncrypted: true } });
    if (!shop || shop.status !== "installed" || !shop.offlineTokenEncrypted) return null;
    return { shopDomain: shop.domain, accessToken: this.secrets.decrypt(shop.offlineTokenEncrypted) };
  }
}
