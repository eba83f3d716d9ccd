import { z } from "zod";

import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { ShopDataStore } from "../../ports/shop-data-store";
import type { SignatureVerifier } from "../../ports/signatures";
import type { CancelOrder } from "../cancel-order/cancel-order";

export const SHOPIFY_WEBHOOK_TOPICS = [
  "orders/cancelled",
  "orders/create",
  "orders/updated",
  "orders/paid",
  "app/uninstalled",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;
export type ShopifyWebhookTopic = (typeof SHOPIFY_WEBHOOK_TOPICS)[number];

export interface ShopifyWebhookInput {
  rawBody: Buffer;
  hmac: string | undefined;
  topic: string | undefined;
  shopDomain: string | undefined;
  webhookId: string | undefined;
}

/** Accepted (handled, ignored or a duplicate: Shopify must not resend it) or refused, with the reason. */
export type ShopifyWebhookResult =
  | { kind: "accepted"; outcome: string; data?: unknown }
  | { kind: "refused"; reason: "bad_hmac" | "missing_shop" | "malformed"; message: string };

const orderPayload = z
  .object({
    id: z.union([z.number(), z.string()]),
    admin_graphql_api_id: z.string().optional(),
    name: z.string().nullish(),
    financial_status: z.string().nullish(),
    note_attributes: z.array(z.object({ name: z.string(), value: z.unknown() }).loose()).nullish(),
    payment_session_id: z.string().nullish(),
  })
  .loose();

const customerPayload = z
  .object({
    shop_domain: z.string(),
    customer: z.object({ email: z.string().nullish() }).loose().nullish(),
    orders_to_redact: z.array(z.union([z.number(), z.string()])).nullish(),
    orders_requested: z.array(z.union([z.number(), z.string()])).nullish(),
  })
  .loose();

/**
 * Shopify's webhooks, verified with the app's API secret over the raw body (base64 HMAC-SHA256)
 * and de-duplicated by X-Shopify-Webhook-Id. Each topic does what its name says.
 */
export class HandleShopifyWebhook {
  constructor(
    private readonly deps: { shops: ShopDataStore; cancelOrder: CancelOrder; signatures: SignatureVerifier; clock: Clock; logger: Logger },
  ) {}

  async execute(input: ShopifyWebhookInput): Promise<ShopifyWebhookResult> {
    if (!this.deps.signatures.shopifyWebhook(input.rawBody, input.hmac).valid) {
      return { kind: "refused", reason: "bad_hmac", message: "Invalid X-Shopify-Hmac-Sha256" };
    }
    const topic = input.topic ?? "";
    const shopDomain = (input.shopDomain ?? "").toLowerCase();
    if (!shopDomain) return { kind: "refused", reason: "missing_shop", message: "X-Shopify-Shop-Domain header is required" };
    if (!(SHOPIFY_WEBHOOK_TOPICS as readonly string[]).includes(topic)) {
      return { kind: "accepted", outcome: "ignored_topic" };
    }
    let payload: unknown;
    try {
      payload = JSON.parse(input.rawBody.toString("utf8"));
    } catch {
      return { kind: "refused", reason: "malformed", message: "Webhook body is not valid JSON" };
    }
    const now = this.deps.clock.now();
    if (input.webhookId) {
      const fresh = await this.deps.shops.recordWebhook({ webhookId: input.webhookId, topic, shopDomain, receivedAt: now, result: "received" });
      if (!fresh) return { kind: "accepted", outcome: "duplicate" };
    }
    const result = await this.dispatch(topic as ShopifyWebhookTopic, shopDomain, payload, now);
    this.deps.logger.info({ topic, shop: shopDomain, outcome: result.kind === "accepted" ? result.outcome : result.reason }, "Shopify webhook handled");
    return result;
  }

  private async dispatch(topic: ShopifyWebhookTopic, shopDomain: string, payload: unknown, now: Date): Promise<ShopifyWebhookResult> {
    const { shops, cancelOrder } = this.deps;
    switch (topic) {
      case "app/uninstalled": {
        const known = await shops.markUninstalled(shopDomain, now);
        return { kind: "accepted", outcome: known ? "uninstalled" : "unknown_shop" };
      }
      case "shop/redact": {
        const deleted = await shops.deleteShop(shopDomain);
        return { kind: "accepted", outcome: deleted ? "shop_deleted" : "nothing_to_delete" };
      }
      case "customers/redact": {
        const body = customerPayload.safeParse(payload);
        if (!body.success) return { kind: "refused", reason: "malformed", message: "customers/redact payload is missing shop_domain" };
        const count = await shops.redactCustomer({
          shopDomain,
          email: body.data.customer?.email ?? null,
          orderIds: (body.data.orders_to_redact ?? []).map(String),
          at: now,
        });
        return { kind: "accepted", outcome: `redacted_${count}` };
      }
      case "customers/data_request": {
        const body = customerPayload.safeParse(payload);
        if (!body.success) return { kind: "refused", reason: "malformed", message: "customers/data_request payload is missing shop_domain" };
        const data = await shops.customerData({
          shopDomain,
          email: body.data.customer?.email ?? null,
          orderIds: (body.data.orders_requested ?? []).map(String),
        });
        // Shopify gives the app no channel back: the data is logged for the merchant's request record.
        this.deps.logger.info({ shop: shopDomain, records: data.length }, "customer data request answered");
        return { kind: "accepted", outcome: `data_request_${data.length}`, data };
      }
      case "orders/cancelled":
      case "orders/create":
      case "orders/updated":
      case "orders/paid": {
        const order = orderPayload.safeParse(payload);
        if (!order.success) return { kind: "refused", reason: "malformed", message: "Order payload has no id" };
        const orderId = order.data.admin_graphql_api_id ?? `gid://shopify/Order/${order.data.id}`;
        const sessionId = paymentSessionIdOf(order.data);
        if (sessionId) {
          await shops.linkOrder({ shopDomain, paymentSessionId: sessionId, orderId, orderName: order.data.name ?? null, financialStatus: order.data.financial_status ?? null });
        }
        if (topic !== "orders/cancelled") return { kind: "accepted", outcome: sessionId ? "order_linked" : "not_ours" };
        const outcome = await cancelOrder.execute({ shopDomain, orderId, orderName: order.data.name ?? null, paymentSessionId: sessionId });
        return { kind: "accepted", outcome };
      }
    }
  }
}

function paymentSessionIdOf(order: z.infer<typeof orderPayload>): string | null {
  if (order.payment_session_id) return order.payment_session_id;
  const attribute = order.note_attributes?.find((a) => a.name === "payment_session_id");
  return typeof attribute?.value === "string" ? attribute.value : null;
}
