import type { PaymentSessionRecord } from "./payment-store";

/**
 * The one read a buyer page needs: the payment session by its buyer token, with the name of the
 * store it belongs to. It is the hottest read a shopper causes (the page, and its status polling).
 */
export interface BuyerPageRecord {
  session: PaymentSessionRecord;
  /** Shopify's shop.name, or null when it was never read (older installs). */
  shopName: string | null;
  shopDomain: string;
}

export interface BuyerPageReader {
  findByBuyerToken(token: string): Promise<BuyerPageRecord | null>;
}
