import type { Environment, ShopRecord } from "./payment-store";

/** Installing shops and storing their PagoEfectivo credentials (secrets arrive already sealed). */
export interface ShopStore {
  /** OAuth finished: create the shop or bring an uninstalled one back, with its new offline token. */
  upsertInstalled(params: { domain: string; offlineTokenEncrypted: string; scopes: string; now: Date }): Promise<ShopRecord>;
  setCredentials(params: {
    shopId: string;
    environment: Environment;
    accessKey: string;
    /** null keeps the stored secret (the merchant did not retype it). */
    secretKeyEncrypted: string | null;
    idService: number;
    now: Date;
  }): Promise<void>;
  markCredentialsVerified(shopId: string, environment: Environment, at: Date): Promise<void>;
  markNotificationUrlConfirmed(shopId: string, at: Date): Promise<void>;
  markReady(shopId: string, ready: boolean, externalHandle: string | null, now: Date): Promise<void>;
}
