/** What app/uninstalled and the compliance webhooks do to the data the app holds. */
export interface ShopDataStore {
  /** Records a webhook id; false when it was seen before (Shopify delivers at least once). */
  recordWebhook(params: { webhookId: string; topic: string; shopDomain: string; receivedAt: Date; result: string }): Promise<boolean>;
  /** Forgets the offline token and every online session; the shop row stays until shop/redact. */
  markUninstalled(shopDomain: string, at: Date): Promise<boolean>;
  /** Replaces the buyer's personal data on the matching payments with placeholders; returns how many. */
  redactCustomer(params: { shopDomain: string; email: string | null; orderIds: string[]; at: Date }): Promise<number>;
  /** What the app holds about one customer, for the merchant to hand over. */
  customerData(params: { shopDomain: string; email: string | null; orderIds: string[] }): Promise<Record<string, unknown>[]>;
  /** Deletes everything held for the shop. */
  deleteShop(shopDomain: string): Promise<boolean>;
  /** Links a Shopify order to its payment session (from order webhooks or the Admin API). */
  linkOrder(params: { shopDomain: string; paymentSessionId: string; orderId: string; orderName: string | null; financialStatus: string | null }): Promise<boolean>;
}
