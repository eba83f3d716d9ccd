import { z } from "zod";

import { isCurrency, parseDecimalAmount } from "../../domain/money";
import { choose, DEFAULT_MATCH_OPTIONS, matchOrder, type OrderFacts } from "../../domain/order-link";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { findNulCharacter } from "../../lib/nul-characters";
import type { ShopDataStore } from "../../ports/shop-data-store";
import type { SignatureVerifier } from "../../ports/signatures";
import type { WebhookOrderLinks } from "../../ports/webhook-order-links";
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

export type ShopifyWebhookResult =
  | { kind: "accepted"; outcome: string; data?: unknown }
  | { kind: "refused"; reason: "bad_hmac" | "missing_shop" | "malformed" | "shop_mismatch" | "try_again"; message: string };

// The REST order as order webhooks deliver it (https://shopify.dev/docs/api/admin-rest/latest/resources/order):
// an order body has financial_status; a shop or customer body does not.
const orderPayload = z
  .object({
    id: z.union([z.number(), z.string()]),
    admin_graphql_api_id: z.string().startsWith("gid://shopify/Order/").optional(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    created_at: z.string(),
    test: z.boolean().nullish(),
    gateway: z.string().nullish(),
    payment_gateway_names: z.array(z.string()).nullish(),
    total_price: z.string(),
    currency: z.string(),
    financial_status: z.string().nullable(),
  })
  .loose();

// Compliance payloads as https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance shows them.
const shopRedactPayload = z.object({ shop_id: z.number(), shop_domain: z.string() }).strict();
const customersRedactPayload = z
  .object({
    shop_domain: z.string(),
    customer: z.object({ email: z.string().nullish() }).loose(),
    orders_to_redact: z.array(z.union([z.number(), z.string()])),
  })
  .loose();
const dataRequestPayload = z
  .object({
    shop_domain: z.string(),
    customer: z.object({ email: z.string().nullish() }).loose(),
    orders_requested: z.array(z.union([z.number(), z.string()])),
    data_request: z.object({ id: z.union([z.number(), z.string()]) }).loose(),
  })
  .loose();
// app/uninstalled delivers the shop (https://shopify.dev/docs/api/admin-rest/latest/resources/shop).
const shopPayload = z.object({ myshopify_domain: z.string() }).loose();

/** How long before an order its payment session may have been created: the CIP's longest life plus a margin. */
const SESSION_WINDOW_MS = DEFAULT_MATCH_OPTIONS.windowMs;
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Shopify's webhooks, verified with the app's API secret over the raw body (base64 HMAC-SHA256). The
 * HMAC covers only the body, so the unsigned X-Shopify-Topic and X-Shopify-Shop-Domain headers are
 * checked against it: the body must have the topic's shape and name the same shop (orders must exist
 * in that shop). A delivery is recorded by X-Shopify-Webhook-Id only after it took effect: Shopify
 * retries a failed delivery with the same id (8 times over about 4 hours, changelog "Updates to webhook
 * retry mechanism"), and that retry must run the handler again, not be dropped as a duplicate. Every
 * handler is idempotent, so a retry after a success recorded too late changes nothing.
 */
export class HandleShopifyWebhook {
  constructor(
    private readonly deps: {
      shops: ShopDataStore;
      orderLinks: WebhookOrderLinks;
      cancelOrder: CancelOrder;
      signatures: SignatureVerifier;
      clock: Clock;
      logger: Logger;
    },
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
    const nul = findNulCharacter(payload);
    if (nul !== null) return { kind: "refused", reason: "malformed", message: `Webhook body has a NUL character in ${nul}` };
    if (input.webhookId && (await this.deps.shops.webhookHandled(input.webhookId))) return { kind: "accepted", outcome: "duplicate" };
    const now = this.deps.clock.now();
    const result = await this.dispatch(topic as ShopifyWebhookTopic, shopDomain, payload, now);
    if (result.kind === "accepted" && input.webhookId) {
      await this.deps.shops.recordWebhook({ webhookId: input.webhookId, topic, shopDomain, receivedAt: now, result: result.outcome });
    }
    this.deps.logger.info({ topic, shop: shopDomain, outcome: result.kind === "accepted" ? result.outcome : result.reason }, "Shopify webhook handled");
    return result;
  }

  private async dispatch(topic: ShopifyWebhookTopic, shopDomain: string, payload: unknown, now: Date): Promise<ShopifyWebhookResult> {
    const { shops } = this.deps;
    switch (topic) {
      case "app/uninstalled": {
        const body = shopPayload.safeParse(payload);
        if (!body.success) return malformed(topic, "the body is not a shop");
        if (body.data.myshopify_domain.toLowerCase() !== shopDomain) return mismatch(body.data.myshopify_domain, shopDomain);
        const known = await shops.markUninstalled(shopDomain, now);
        return { kind: "accepted", outcome: known ? "uninstalled" : "unknown_shop" };
      }
      case "shop/redact": {
        const body = shopRedactPayload.safeParse(payload);
        if (!body.success) return malformed(topic, "expected exactly shop_id and shop_domain");
        if (body.data.shop_domain.toLowerCase() !== shopDomain) return mismatch(body.data.shop_domain, shopDomain);
        const deleted = await shops.deleteShop(shopDomain);
        return { kind: "accepted", outcome: deleted ? "shop_deleted" : "nothing_to_delete" };
      }
      case "customers/redact": {
        const body = customersRedactPayload.safeParse(payload);
        if (!body.success) return malformed(topic, "expected shop_domain, customer and orders_to_redact");
        if (body.data.shop_domain.toLowerCase() !== shopDomain) return mismatch(body.data.shop_domain, shopDomain);
        const count = await shops.redactCustomer({
          shopDomain,
          email: body.data.customer.email ?? null,
          orderIds: body.data.orders_to_redact.map(String),
          at: now,
        });
        return { kind: "accepted", outcome: `redacted_${count}` };
      }
      case "customers/data_request": {
        const body = dataRequestPayload.safeParse(payload);
        if (!body.success) return malformed(topic, "expected shop_domain, customer, orders_requested and data_request");
        if (body.data.shop_domain.toLowerCase() !== shopDomain) return mismatch(body.data.shop_domain, shopDomain);
        const data = await shops.customerData({ shopDomain, email: body.data.customer.email ?? null, orderIds: body.data.orders_requested.map(String) });
        // Shopify gives the app no channel back: the data is logged for the merchant's request record.
        this.deps.logger.info({ shop: shopDomain, records: data.length }, "customer data request answered");
        return { kind: "accepted", outcome: `data_request_${data.length}`, data };
      }
      case "orders/cancelled":
      case "orders/create":
      case "orders/updated":
      case "orders/paid":
        return this.order(topic, shopDomain, payload);
    }
  }

  private async order(topic: ShopifyWebhookTopic, shopDomain: string, payload: unknown): Promise<ShopifyWebhookResult> {
    const { orderLinks, cancelOrder } = this.deps;
    const parsed = orderPayload.safeParse(payload);
    if (!parsed.success) return malformed(topic, "the body is not an order");
    const order = parsed.data;
    const orderId = order.admin_graphql_api_id ?? `gid://shopify/Order/${order.id}`;
    const summary = { name: order.name ?? null, financialStatus: order.financial_status ?? null };

    let sessionId = (await orderLinks.sessionLinkedTo(shopDomain, orderId))?.id ?? null;
    let outcome = "order_refreshed";
    if (sessionId) {
      await orderLinks.refresh(shopDomain, orderId, summary);
    } else {
      const facts = orderFacts(orderId, order);
      const candidates = facts
        ? await orderLinks.unlinkedSessions(shopDomain, {
            amountMinor: facts.totalMinor as number,
            currency: facts.currency as string,
            createdFrom: new Date(facts.createdAt.getTime() - SESSION_WINDOW_MS),
            createdTo: new Date(facts.createdAt.getTime() + CLOCK_SKEW_MS),
          })
        : [];
      const choice = facts ? choose(candidates, (session) => matchOrder(session, facts)) : ({ kind: "none" } as const);
      if (choice.kind === "ambiguous") outcome = "ambiguous";
      else if (choice.kind === "none") {
        // A concurrent orders/create may have linked this order's session after the look-up above and before the
        // candidate search, which then no longer lists it (it is linked): look the link up again before saying the
        // order is not ours. Shopify delivers an order's webhooks independently, so a cancel can race its create.
        sessionId = (await orderLinks.sessionLinkedTo(shopDomain, orderId))?.id ?? null;
        if (sessionId) await orderLinks.refresh(shopDomain, orderId, summary);
        outcome = sessionId ? "order_refreshed" : "not_ours";
      } else {
        const inShop = await orderLinks.orderInShop(shopDomain, orderId);
        if (inShop === "no") return { kind: "accepted", outcome: "order_not_in_shop" };
        if (inShop === "unknown") {
          // Cancelling needs certainty now (Shopify retries a 503); a link can wait for the daily check.
          if (topic === "orders/cancelled") return { kind: "refused", reason: "try_again", message: "Could not confirm the order with Shopify; retry later" };
          return { kind: "accepted", outcome: "link_deferred" };
        }
        const linked = await orderLinks.link(shopDomain, choice.item.id, { id: orderId, ...summary }, choice.match.confidence, choice.match.evidence);
        if (linked) {
          outcome = `order_linked_${choice.match.confidence}`;
          sessionId = choice.item.id;
        } else {
          // Each webhook is its own HTTP delivery, so two can be handled at once: an order cancelled right after it was
          // placed has its orders/create linking the same session at the same moment. This link lost to that one
          // (link() never links an order twice); the order's session is the one the other delivery linked.
          sessionId = (await orderLinks.sessionLinkedTo(shopDomain, orderId))?.id ?? null;
          outcome = sessionId ? "order_refreshed" : "not_ours";
        }
      }
    }
    if (topic !== "orders/cancelled") return { kind: "accepted", outcome };
    if (!sessionId) return { kind: "accepted", outcome };
    return { kind: "accepted", outcome: await cancelOrder.execute({ shopDomain, orderId, orderName: summary.name, paymentSessionId: sessionId }) };
  }
}

function orderFacts(orderId: string, order: z.infer<typeof orderPayload>): OrderFacts | null {
  const createdAt = new Date(order.created_at);
  if (Number.isNaN(createdAt.getTime()) || !isCurrency(order.currency)) return null;
  const total = parseDecimalAmount(order.total_price, order.currency);
  if (!total.ok) return null;
  return {
    id: orderId,
    name: order.name ?? "",
    email: order.email ?? null,
    test: order.test ?? null,
    createdAt,
    gatewayNames: [...(order.payment_gateway_names ?? []), ...(order.gateway ? [order.gateway] : [])],
    transactions: [],
    totalMinor: total.value.amountMinor,
    currency: order.currency,
  };
}

function malformed(topic: string, why: string): ShopifyWebhookResult {
  return { kind: "refused", reason: "malformed", message: `The ${topic} body does not fit the topic: ${why}` };
}

function mismatch(bodyShop: string, headerShop: string): ShopifyWebhookResult {
  return { kind: "refused", reason: "shop_mismatch", message: `The body names shop ${bodyShop}, not the X-Shopify-Shop-Domain ${headerShop}` };
}
