import type { AutomaticConfidence, LinkConfidence, OrderFacts, SessionFacts } from "../domain/order-link";
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

/** An order with the documented facts the app links payments by (app/domain/order-link.ts). */
export interface AdminOrder extends LinkedOrder {
  readonly facts: OrderFacts;
}

export type AdminOrdersError =
  | { readonly kind: "unauthorized"; readonly message: string }
  | { readonly kind: "throttled"; readonly message: string }
  | { readonly kind: "unavailable"; readonly message: string }
  | { readonly kind: "invalid_response"; readonly message: string };

export interface OrderLinkCandidate extends SessionFacts {
  readonly orderId: string | null;
  readonly orderName: string | null;
  readonly orderFinancialStatus: string | null;
  readonly orderLinkConfidence: LinkConfidence | null;
}

export interface OrderLinkStore {
  candidates(shopId: string, params: { since: Date; limit: number }): Promise<OrderLinkCandidate[]>;
  /** Which of these orders are already linked to a payment of the shop (an order pays one session). */
  linkedOrderIds(shopId: string, orderIds: readonly string[]): Promise<Set<string>>;
  /**
   * Links an unlinked session (confidence given), or refreshes the name and status of the order it is
   * already linked to (confidence null: kept). False when the session changed meanwhile.
   */
  link(shopId: string, sessionId: string, order: { id: string; name: string; financialStatus: string | null }, confidence: AutomaticConfidence | null, evidence: readonly string[]): Promise<boolean>;
}

/** One order by id, as the Admin API has it now (null: not in the shop). */
export interface OrderReader {
  order(target: ShopifyTarget, orderId: string): Promise<Result<LinkedOrder | null, AdminOrdersError>>;
}

export interface OrdersLookup extends OrderReader {
  ordersCreatedSince(target: ShopifyTarget, since: Date, maxPages?: number): Promise<Result<{ orders: AdminOrder[]; complete: boolean }, AdminOrdersError>>;
}

export interface ManualLinkPayment {
  readonly id: string;
  readonly orderId: string | null;
  readonly orderName: string | null;
  readonly orderLinkConfidence: string | null;
  /** The session's state at Shopify (the order's status is shown by it: app/domain/order-status-shown.ts). */
  readonly shopifyState: string | null;
}

export interface ManualOrderLinkStore {
  payment(shopId: string, paymentId: string): Promise<ManualLinkPayment | null>;
  /** The payment of the shop already linked to this order, if any. */
  paymentLinkedTo(shopId: string, orderId: string): Promise<string | null>;
  /** Sets (or, with null, removes) the link as the merchant's decision, with a timeline event. */
  setMerchantLink(shopId: string, paymentId: string, order: LinkedOrder | null, previous: ManualLinkPayment, at: Date): Promise<void>;
  adminTarget(shopId: string): Promise<ShopifyTarget | null>;
}
