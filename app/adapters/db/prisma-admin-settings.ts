import type { AdminCredential, AdminSettingsStore, AdminShop, SettingsPatch } from "../../ports/admin-settings";
import type { Environment } from "../../ports/payment-store";
import type { Db } from "./database";


export const ADMIN_SHOP_SELECT = {
  id: true,
  domain: true,
  status: true,
  offlineTokenEncrypted: true,
  scopes: true,
  notificationKey: true,
  locale: true,
  timezone: true,
  cipLifetimeHours: true,
  paymentConcept: true,
  externalHandle: true,
  ready: true,
  notificationUrlConfirmedAt: true,
  legalName: true,
  ruc: true,
} as const;

type ShopSelected = Omit<AdminShop, "status"> & { status: string };

export class PrismaAdminSettings implements AdminSettingsStore {
  constructor(private readonly db: Db) {}

  async findShopByDomain(domain: string): Promise<AdminShop | null> {
    const row = await this.db.shop.findUnique({ where: { domain }, select: ADMIN_SHOP_SELECT });
    return row ? toAdminShop(row) : null;
  }

  async findShop(shopId: string): Promise<AdminShop | null> {
    const row = await this.db.shop.findUnique({ where: { id: shopId }, select: ADMIN_SHOP_SELECT });
    return row ? toAdminShop(row) : null;
  }

  async credentials(shopId: string): Promise<AdminCredential[]> {
    const rows = await this.db.pagoEfectivoCredential.findMany({ where: { shopId }, orderBy: { environment: "asc" } });
    return rows.map(toCredential);
  }

  async credential(shopId: string, environment: Environment): Promise<AdminCredential | null> {
    const row = await this.db.pagoEfectivoCredential.findUnique({ where: { shopId_environment: { shopId, environment } } });
    return row ? toCredential(row) : null;
  }

  async updateSettings(shopId: string, patch: SettingsPatch, now: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { ...patch, updatedAt: now } });
  }

  async setTimezone(shopId: string, timezone: string, now: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { timezone, updatedAt: now } });
  }

  async confirmNotificationUrl(shopId: string, now: Date): Promise<void> {
    await this.db.shop.update({ where: { id: shopId }, data: { notificationUrlConfirmedAt: now, updatedAt: now } });
  }

  /**
   * Stores a Test connection result, unless the credentials changed while the test ran (then the
   * result belongs to keys that are no longer saved, and is dropped). Returns whether it was stored.
   */
  async recordConnectionTest(params: {
    shopId: string;
    environment: Environment;
    testedVersion: Date;
    verifiedAt: Date | null;
    lastTestError: string | null;
  }): Promise<boolean> {
    const { count } = await this.db.pagoEfectivoCredential.updateMany({
      where: { shopId: params.shopId, environment: params.environment, updatedAt: params.testedVersion },
      data: { verifiedAt: params.verifiedAt, lastTestError: params.lastTestError },
    });
    return count === 1;
  }
}

export function toAdminShop(row: ShopSelected): AdminShop {
  return {
    id: row.id,
    domain: row.domain,
    status: row.status === "uninstalled" ? "uninstalled" : "installed",
    offlineTokenEncrypted: row.offlineTokenEncrypted,
    scopes: row.scopes,
    notificationKey: row.notificationKey,
    locale: row.locale,
    timezone: row.timezone,
    cipLifetimeHours: row.cipLifetimeHours,
    paymentConcept: row.paymentConcept,
    externalHandle: row.externalHandle,
    ready: row.ready,
    notificationUrlConfirmedAt: row.notificationUrlConfirmedAt,
    legalName: row.legalName,
    ruc: row.ruc,
  };
}

type CredentialRow = NonNullable<Awaited<ReturnType<Db["pagoEfectivoCredential"]["findUnique"]>>>;

function toCredential(row: CredentialRow): AdminCredential {
  return {
    shopId: row.shopId,
    environment: row.environment === "production" ? "production" : "sandbox",
    accessKey: row.accessKey,
    secretKeyEncrypted: row.secretKeyEncrypted,
    idService: row.idService,
    verifiedAt: row.verifiedAt,
    lastTestError: row.lastTestError,
    updatedAt: row.updatedAt,
  };
}
