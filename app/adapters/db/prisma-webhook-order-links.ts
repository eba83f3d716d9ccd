import { randomUUID } from "node:crypto";

import type { AutomaticConfidence } from "../../domain/order-link";
import type { ShopifyTarget } from "../../ports/shopify-payments-apps";
import type { SessionForOrder, WebhookOrderLinks } from "../../ports/webhook-order-links";
import type { SecretBox } from "../crypto/secret-box";
import type { ShopifyAdminOrdersClient } from "../shopify/admin-orders-client";
import type { Db } from "./database";

/** Order links from webhooks, in the app's database; the shop check goes to the Admin API. */
export class PrismaWebhookOrderLinks implements WebhookOrderLinks {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly orders: Pick<ShopifyAdminOrdersClient, "order">,
  ) {}

  private async shopId(shopDomain: string): Promise<string | null> {
    const shop = await this.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
    return shop?.id ?? null;
  }

  async sessionLinkedTo(shopDomain: string, orderId: string): Promise<{ id: string } | null> {
    const shopId = await this.shopId(shopDomain);
    if (!shopId) return null;
    return this.db.paymentSession.findFirst({ where: { shopId, orderId }, select: { id: true } });
  }

  async unlinkedSessions(shopDomain: string, params: { amountMinor: number; currency: string; createdFrom: Date; createdTo: Date }): Promise<SessionForOrder[]> {
    const shopId = await this.shopId(shopDomain);
    if (!shopId) return [];
    return this.db.paymentSession.findMany({
      // A session the merchant unlinked by hand (confidence "merchant", no order) is never relinked.
      where: { shopId, orderId: null, orderLinkConfidence: null, amountMinor: params.amountMinor, currency: params.currency, createdAt: { gte: params.createdFrom, lte: params.createdTo } },
      select: { id: true, gid: true, amountMinor: true, currency: true, test: true, email: true, createdAt: true, state: true },
      take: 50,
    });
  }

  async link(
    shopDomain: string,
    sessionId: string,
    order: { id: string; name: string | null; financialStatus: string | null },
    confidence: AutomaticConfidence,
    evidence: readonly string[],
  ): Promise<boolean> {
    const shopId = await this.shopId(shopDomain);
    if (!shopId) return false;
    return this.db.$transaction(async (tx) => {
      // An order pays one session: never a second link to the same order.
      if (await tx.paymentSession.findFirst({ where: { shopId, orderId: order.id }, select: { id: true } })) return false;
      const { count } = await tx.paymentSession.updateMany({
        where: { id: sessionId, shopId, orderId: null, orderLinkConfidence: null },
        data: {
          orderId: order.id,
          orderLinkConfidence: confidence,
          ...(order.name ? { orderName: order.name } : {}),
          ...(order.financialStatus ? { orderFinancialStatus: order.financialStatus } : {}),
        },
      });
      if (count !== 1) return false;
      await tx.paymentEvent.create({
        data: {
          id: randomUUID(),
          paymentSessionId: sessionId,
          shopId,
          type: "order_linked",
          at: new Date(),
          detailJson: JSON.stringify({ orderId: order.id, orderName: order.name, confidence, evidence, via: "webhook" }),
        },
      });
      return true;
    });
  }

  async refresh(shopDomain: string, orderId: string, order: { name: string | null; financialStatus: string | null }): Promise<boolean> {
    const shopId = await this.shopId(shopDomain);
    if (!shopId) return false;
    const { count } = await this.db.paymentSession.updateMany({
      where: { shopId, orderId },
      data: { ...(order.name ? { orderName: order.name } : {}), ...(order.financialStatus ? { orderFinancialStatus: order.financialStatus } : {}) },
    });
    return count > 0;
  }

  async orderInShop(shopDomain: string, orderId: string): Promise<"yes" | "no" | "unknown"> {
    const shop = await this.db.shop.findUnique({ where: { domain: shopDomain }, select: { status: true, offlineTokenEncrypted: true } });
    if (!shop?.offlineTokenEncrypted || shop.status !== "installed") return "unknown";
    const target: ShopifyTarget = { shopDomain, accessToken: this.secrets.decrypt(shop.offlineTokenEncrypted) };
    const found = await this.orders.order(target, orderId);
    if (!found.ok) return "unknown";
    return found.value ? "yes" : "no";
  }
}
