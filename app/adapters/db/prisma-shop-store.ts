import { randomBytes, randomUUID } from "node:crypto";

import type { Environment, ShopRecord } from "../../ports/payment-store";
import type { ShopStore } from "../../ports/shop-store";
import type { Db } from "./database";
import { toShop } from "./prisma-payment-rows";

/** Installing shops and storing their PagoEfectivo credentials (secrets arrive already sealed). */
export class PrismaShopStore implements ShopStore {
  constructor(private readonly db: Db) {}

  /** OAuth finished: create the shop or bring an uninstalled one back, with its new offline token. */
  async upsertInstalled(params: { domain: string; offlineTokenEncrypted: string; scopes: string; now: Date }): Promise<ShopRecord> {
    const row = await this.db.shop.upsert({
      where: { domain: params.domain },
      create: {
        id: randomUUID(),
        domain: params.domain,
        status: "installed",
        installedAt: params.now,
        offlineTokenEncrypted: params.offlineTokenEncrypted,
        scopes: params.scopes,
        notificationKey: randomBytes(18).toString("base64url"),
        createdAt: params.now,
        updatedAt: params.now,
      },
      update: {
        status: "installed",
        installedAt: params.now,
        uninstalledAt: null,
        offlineTokenEncrypted: params.offlineTokenEncrypted,
        scopes: params.scopes,
        updatedAt: params.now,
      },
    });
    const shop = toShop(row);
    if (!shop) throw new Error("upsert returned nothing");
    return shop;
  }

  /** Shopify's shop.name, as the Admin API's `shop { name }` query answered it. */
  async setName(shopId: string, name: string, now: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { name, updatedAt: now } });
  }

  async setCredentials(params: {
    shopId: string;
    environment: Environment;
    accessKey: string;
    secretKeyEncrypted: string | null;
    idService: number;
    now: Date;
  }): Promise<void> {
    const existing = await this.db.pagoEfectivoCredential.findUnique({
      where: { shopId_environment: { shopId: params.shopId, environment: params.environment } },
    });
    const secret = params.secretKeyEncrypted ?? existing?.secretKeyEncrypted;
    if (!secret) throw new Error("A secretKey is required the first time credentials are saved");
    await this.db.pagoEfectivoCredential.upsert({
      where: { shopId_environment: { shopId: params.shopId, environment: params.environment } },
      create: {
        id: randomUUID(),
        shopId: params.shopId,
        environment: params.environment,
        accessKey: params.accessKey,
        secretKeyEncrypted: secret,
        idService: params.idService,
        createdAt: params.now,
        updatedAt: params.now,
      },
      update: {
        accessKey: params.accessKey,
        secretKeyEncrypted: secret,
        idService: params.idService,
        // New credentials have not been tested yet.
        verifiedAt: null,
        lastTestError: null,
        updatedAt: params.now,
      },
    });
  }

  async markCredentialsVerified(shopId: string, environment: Environment, at: Date): Promise<void> {
    await this.db.pagoEfectivoCredential.updateMany({ where: { shopId, environment }, data: { verifiedAt: at, lastTestError: null } });
  }

  async markNotificationUrlConfirmed(shopId: string, at: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { notificationUrlConfirmedAt: at } });
  }

  async markReady(shopId: string, ready: boolean, externalHandle: string | null, now: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { ready, externalHandle, updatedAt: now } });
  }
}
