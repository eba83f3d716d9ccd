import type { Result } from "../lib/result";
import type { ShopifyTarget } from "./shopify-payments-apps";

/** A Shopify order as reconciliation links it to a payment session. */
export interface LinkedOrder {
  readonly id: string;
  readonly name: string;
  /** Shopify's displayFinancialStatus in lower case ("paid", "pending", ...), as order webhooks spell it. */
  readonly financialStatus: string | null;
  readonly cancelledAt: string | null;
}

export type AdminOrdersError =
  | { readonly kind: "unauthorized"; readonly message: string }
  | { readonly kind: "throttled"; readonly message: string }
  | { readonly kind: "unavailable"; readonly message: string }
  | { readonly kind: "invalid_response"; readonly message: string };

export interface OrderLinkCandidate {
  readonly id: string;
  readonly orderId: string | null;
  readonly orderName: string | null;
  readonly orderFinancialStatus: string | null;
}

export interface OrderLinkStore {
  candidates(shopId: string, params: { since: Date; limit: number }): Promise<OrderLinkCandidate[]>;
  link(shopId: string, sessionId: string, order: { id: string; name: string; financialStatus: string | null }): Promise<boolean>;
}

export interface OrdersLookup {
  ordersForSessions(target: ShopifyTarget, sessionIds: readonly string[]): Promise<Result<Map<string, LinkedOrder | null>, AdminOrdersError>>;
}
