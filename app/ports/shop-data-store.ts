/** What app/uninstalled and the compliance webhooks do to the data the app holds. */
export interface ShopDataStore {
  /** Whether a delivery with this X-Shopify-Webhook-Id already took effect. */
  webhookHandled(webhookId: string): Promise<boolean>;
  /** Records a delivery that took effect; false when it was recorded before (Shopify delivers at least once). */
  recordWebhook(params: { webhookId: string; topic: string; shopDomain: string; receivedAt: Date; result: string }): Promise<boolean>;
  /** Forgets the offline token and every online session; the shop row stays until shop/redact. */
  markUninstalled(shopDomain: string, at: Date): Promise<boolean>;
  /** Replaces the buyer's personal data on the matching payments with placeholders; returns how many. */
  redactCustomer(params: { shopDomain: string; email: string | null; orderIds: string[]; at: Date }): Promise<number>;
  /** What the app holds about one customer, for the merchant to hand over. */
  customerData(params: { shopDomain: string; email: string | null; orderIds: string[] }): Promise<Record<string, unknown>[]>;
  /** Deletes everything held for the shop. */
  deleteShop(shopDomain: string): Promise<boolean>;
}
