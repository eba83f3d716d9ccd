import type { AutomaticConfidence, SessionFacts } from "../domain/order-link";

/** A payment of the shop that an order from a webhook may belong to. */
export interface SessionForOrder extends SessionFacts {
  readonly state: string;
}

/** What the order webhooks need to link an order to its payment session by documented facts. */
export interface WebhookOrderLinks {
  /** The session already linked to this order in this shop, if any. */
  sessionLinkedTo(shopDomain: string, orderId: string): Promise<{ id: string } | null>;
  /** Unlinked sessions of the shop with this amount and currency created in the window. */
  unlinkedSessions(shopDomain: string, params: { amountMinor: number; currency: string; createdFrom: Date; createdTo: Date }): Promise<SessionForOrder[]>;
  /** Links an unlinked session (false when it was linked meanwhile), recording the evidence. */
  link(
    shopDomain: string,
    sessionId: string,
    order: { id: string; name: string | null; financialStatus: string | null },
    confidence: AutomaticConfidence,
    evidence: readonly string[],
  ): Promise<boolean>;
  /** Refreshes the order name and financial status on the session linked to it. */
  refresh(shopDomain: string, orderId: string, order: { name: string | null; financialStatus: string | null }): Promise<boolean>;
  /**
   * Whether the order exists in this shop, asked of the Admin API with the shop's own token: the HMAC
   * does not cover the X-Shopify-Shop-Domain header, so a signed order body replayed under another shop
   * must not link or cancel anything there. "unknown" when Shopify could not be asked.
   */
  orderInShop(shopDomain: string, orderId: string): Promise<"yes" | "no" | "unknown">;
}
