import type { Environment } from "./payment-store";

/** The admin panel's view of a shop's settings and PagoEfectivo credentials (secrets stay sealed). */
export interface AdminShop {
  id: string;
  domain: string;
  status: "installed" | "uninstalled";
  offlineTokenEncrypted: string | null;
  /** The scopes of the stored offline grant (Shopify's comma-separated `scope`). */
  scopes: string | null;
  notificationKey: string;
  locale: string;
  timezone: string;
  cipLifetimeHours: number;
  paymentConcept: string | null;
  externalHandle: string | null;
  ready: boolean;
  notificationUrlConfirmedAt: Date | null;
  legalName: string | null;
  ruc: string | null;
}

export interface AdminCredential {
  shopId: string;
  environment: Environment;
  accessKey: string;
  secretKeyEncrypted: string;
  idService: number;
  verifiedAt: Date | null;
  lastTestError: string | null;
  updatedAt: Date;
}

export interface SettingsPatch {
  cipLifetimeHours?: number;
  paymentConcept?: string | null;
  locale?: "es" | "en";
  legalName?: string | null;
  ruc?: string | null;
}

export interface AdminSettingsStore {
  findShopByDomain(domain: string): Promise<AdminShop | null>;
  findShop(shopId: string): Promise<AdminShop | null>;
  credentials(shopId: string): Promise<AdminCredential[]>;
  credential(shopId: string, environment: Environment): Promise<AdminCredential | null>;
  updateSettings(shopId: string, patch: SettingsPatch, now: Date): Promise<void>;
  setTimezone(shopId: string, timezone: string, now: Date): Promise<void>;
  confirmNotificationUrl(shopId: string, now: Date): Promise<void>;
  /**
   * Stores a Test connection result, unless the credentials changed while the test ran (then the
   * result belongs to keys that are no longer saved, and is dropped). Returns whether it was stored.
   */
  recordConnectionTest(params: {
    shopId: string;
    environment: Environment;
    testedVersion: Date;
    verifiedAt: Date | null;
    lastTestError: string | null;
  }): Promise<boolean>;
}
