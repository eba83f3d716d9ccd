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
  /**
   * Changes whenever anything the page shows from the database changes (the session's state, CIP, phone, updatedAt,
   * which every write of a field the page shows sets, and the store's name); the same string findVersionByBuyerToken returns for this session.
   */
  version: string;
}

export interface BuyerPageReader {
  findByBuyerToken(token: string): Promise<BuyerPageRecord | null>;
  /**
   * Only the record's `version`, read with a narrower statement: how a cached rendering of the page is checked
   * against the database without reading and mapping the whole record.
   */
  findVersionByBuyerToken(token: string): Promise<string | null>;
}
