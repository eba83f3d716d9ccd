import type { PaymentSessionRecord } from "./payment-store";

/** The fields of a payment session the buyer page shows or acts on. */
export type BuyerPageSession = Pick<
  PaymentSessionRecord,
  | "id"
  | "buyerToken"
  | "state"
  | "phone"
  | "cip"
  | "cipUrl"
  | "cipExpiresAt"
  | "amountMinor"
  | "currency"
  | "buyerLocale"
  | "cancelUrl"
  | "nextActionUrl"
  | "paidAt"
  | "paidAmountMinor"
  | "paidCurrency"
  | "updatedAt"
>;

/**
 * The one read a buyer page needs: the payment session by its buyer token, with the name of the
 * store it belongs to. It is the hottest read a shopper causes (the page, and its status polling).
 */
export interface BuyerPageRecord {
  session: BuyerPageSession;
  /** Shopify's shop.name, or null when it was never read (older installs). */
  shopName: string | null;
  shopDomain: string;
}

export interface BuyerPageReader {
  findByBuyerToken(token: string): Promise<BuyerPageRecord | null>;
}
