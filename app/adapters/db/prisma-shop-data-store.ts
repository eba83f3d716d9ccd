import { randomUUID } from "node:crypto";

import type { ShopDataStore } from "../../ports/shop-data-store";
import type { Db } from "./database";
import { isUniqueViolation } from "./prisma-errors";

const REDACTED = "[redacted]";

export class PrismaShopDataStore implements ShopDataStore {
  constructor(private readonly db: Db) {}

  async webhookHandled(webhookId: string): Promise<boolean> {
    return (await this.db.shopifyWebhookDelivery.findUnique({ where: { webhookId }, select: { id: true } })) !== null;
  }

  async recordWebhook(params: { webhookId: string; topic: string; shopDomain: string; receivedAt: Date; result: string }): Promise<boolean> {
    try {
      await this.db.shopifyWebhookDelivery.create({ data: { id: randomUUID(), ...params } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async markUninstalled(shopDomain: string, at: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.shop.updateMany({
        where: { domain: shopDomain },
        data: { status: "uninstalled", uninstalledAt: at, offlineTokenEncrypted: null, ready: false, updatedAt: at },
      });
      await tx.shopifySession.deleteMany({ where: { shop: shopDomain } });
      return count > 0;
    });
  }

  async redactCustomer(params: { shopDomain: string; email: string | null; orderIds: string[]; at: Date }): Promise<number> {
    const shop = await this.db.shop.findUnique({ where: { domain: params.shopDomain } });
    if (!shop) return 0;
    const orderGids = params.orderIds.flatMap((id) => [id, `gid://shopify/Order/${id}`]);
    const match = [
      ...(params.email ? [{ email: params.email }] : []),
      ...(orderGids.length > 0 ? [{ orderId: { in: orderGids } }] : []),
    ];
    if (match.length === 0) return 0;
    const { count } = await this.db.paymentSession.updateMany({
      where: { shopId: shop.id, OR: match },
      data: {
        email: REDACTED,
        phone: null,
        phoneCountryCode: null,
        givenName: REDACTED,
        familyName: REDACTED,
        requestBody: JSON.stringify({ redacted: true, at: params.at.toISOString() }),
        updatedAt: params.at,
      },
    });
    return count;
  }

  async customerData(params: { shopDomain: string; email: string | null; orderIds: string[] }): Promise<Record<string, unknown>[]> {
    const shop = await this.db.shop.findUnique({ where: { domain: params.shopDomain } });
    if (!shop) return [];
    const orderGids = params.orderIds.flatMap((id) => [id, `gid://shopify/Order/${id}`]);
    const match = [
      ...(params.email ? [{ email: params.email }] : []),
      ...(orderGids.length > 0 ? [{ orderId: { in: orderGids } }] : []),
    ];
    if (match.length === 0) return [];
    const rows = await this.db.paymentSession.findMany({
      where: { shopId: shop.id, OR: match },
      select: {
        id: true,
        email: true,
        phone: true,
        phoneCountryCode: true,
        givenName: true,
        familyName: true,
        amountMinor: true,
        currency: true,
        cip: true,
        state: true,
        orderId: true,
        createdAt: true,
        paidAt: true,
      },
    });
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), paidAt: r.paidAt?.toISOString() ?? null }));
  }

  async deleteShop(shopDomain: string): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
      await tx.shopifySession.deleteMany({ where: { shop: shopDomain } });
      if (!shop) return false;
      const shopId = shop.id;
      await tx.deliveryAttempt.deleteMany({ where: { job: { shopId } } });
      await tx.outboxJob.deleteMany({ where: { shopId } });
      await tx.pagoEfectivoNotification.deleteMany({ where: { shopId } });
      await tx.reconciliationException.deleteMany({ where: { shopId } });
      await tx.settlementLine.deleteMany({ where: { shopId } });
      await tx.settlementImport.deleteMany({ where: { shopId } });
      await tx.feeScheduleEntry.deleteMany({ where: { shopId } });
      await tx.reconciliationRun.deleteMany({ where: { shopId } });
      // Payment sessions, their events and refunds cascade with the shop.
      await tx.shop.delete({ where: { id: shopId } });
      return true;
    });
  }
}
