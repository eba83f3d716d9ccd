import { randomUUID } from "node:crypto";

import { postOutbound } from "./outbound-http";
import { DEFAULT_API_VERSION } from "./session-requests";
import { type SimulatorContext } from "./simulator-context";
import { type RegisteredApp, type ShopRecord, type WebhookDelivery } from "./simulator-types";
import { hmacBase64 } from "./simulator-values";

/** Webhook deliveries signed like Shopify's: base64 HMAC-SHA256 of the raw body with the app's secret. */

export const WEBHOOK_TOPICS = ["orders/cancelled", "orders/create", "orders/paid", "app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;
export type ComplianceTopic = (typeof COMPLIANCE_TOPICS)[number];

const DELIVERY_LOG_LIMIT = 500;

/**
 * "Webhooks will now be retried a total of 8 times over 4 hours using an exponential backoff schedule
 * ... delivered with the original payload" (https://shopify.dev/changelog/updates-to-webhook-retry-mechanism).
 * The intervals themselves are not published: doubling from 1 minute gives 8 retries over exactly 4
 * hours (a guess at the exact times). A retry keeps X-Shopify-Webhook-Id and X-Shopify-Triggered-At.
 */
export const WEBHOOK_RETRY_DELAYS_MS = [1, 2, 4, 8, 15, 30, 60, 120].map((minutes) => minutes * 60_000);

export function webhookUrlFor(app: RegisteredApp, topic: WebhookTopic): string | null {
  const urls = app.webhookUrls ?? {};
  switch (topic) {
    case "orders/cancelled":
      return urls.ordersCancelled ?? null;
    case "orders/create":
      return urls.ordersCreate ?? null;
    case "orders/paid":
      return urls.ordersPaid ?? null;
    case "app/uninstalled":
      return urls.appUninstalled ?? null;
    case "customers/data_request":
      return urls.customersDataRequest ?? null;
    case "customers/redact":
      return urls.customersRedact ?? null;
    case "shop/redact":
      return urls.shopRedact ?? null;
  }
}

/**
 * Sends one webhook and records the delivery. Webhooks are not mutual TLS at Shopify, so no client
 * certificate is presented; an https URL is verified against the app's registered CA.
 */
export async function sendWebhook(
  context: SimulatorContext,
  app: RegisteredApp,
  delivery: { topic: WebhookTopic; shop: string; url: string; payload: unknown; webhookId?: string; triggeredAt?: string; attempt?: number },
): Promise<WebhookDelivery> {
  const body = JSON.stringify(delivery.payload);
  const webhookId = delivery.webhookId ?? randomUUID();
  const at = context.clock.now().toISOString();
  const triggeredAt = delivery.triggeredAt ?? at;
  const attempt = delivery.attempt ?? 1;
  const result = await context.track(
    postOutbound(context.agents, {
      url: delivery.url,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Shopify-Captain-Hook",
        "X-Shopify-Topic": delivery.topic,
        "X-Shopify-Shop-Domain": delivery.shop,
        "X-Shopify-Hmac-Sha256": hmacBase64(app.apiSecret, body),
        "X-Shopify-Webhook-Id": webhookId,
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-API-Version": app.apiVersion ?? DEFAULT_API_VERSION,
        "X-Shopify-Triggered-At": triggeredAt,
      },
      body,
      caPem: app.serverCaPem,
      timeoutMs: context.settings.requestTimeoutMs,
    }),
  );
  const record: WebhookDelivery = {
    webhookId,
    topic: delivery.topic,
    shop: delivery.shop,
    url: delivery.url,
    at,
    triggeredAt,
    attempt,
    status: result.ok ? result.value.status : null,
    ...(result.ok ? {} : { error: result.error.message }),
    payload: delivery.payload,
  };
  const log = context.state.webhookDeliveries;
  log.push(record);
  if (log.length > DELIVERY_LOG_LIMIT) log.splice(0, log.length - DELIVERY_LOG_LIMIT);
  // A delivery "fails" on anything but 2xx, a timeout or a connection error (https://shopify.dev/docs/apps/build/webhooks/troubleshooting-webhooks).
  const delivered = record.status !== null && record.status >= 200 && record.status < 300;
  const delay = WEBHOOK_RETRY_DELAYS_MS[attempt - 1];
  if (!delivered && delay !== undefined) {
    const retries = (context.state.webhookRetries ??= []);
    retries.push({
      webhookId,
      topic: delivery.topic,
      shop: delivery.shop,
      url: delivery.url,
      payload: delivery.payload,
      triggeredAt,
      attempt: attempt + 1,
      dueAt: new Date(Date.parse(at) + delay).toISOString(),
    });
  }
  context.logger.info({ topic: delivery.topic, shop: delivery.shop, status: record.status, error: record.error, attempt }, "webhook delivered");
  return record;
}

/** Sends every retry that is due on the simulator's clock (the sandbox clock can jump hours ahead). */
export async function deliverDueWebhookRetries(context: SimulatorContext): Promise<WebhookDelivery[]> {
  const retries = context.state.webhookRetries ?? [];
  const app = context.state.app;
  const now = context.clock.now().getTime();
  const due = retries.filter((retry) => Date.parse(retry.dueAt) <= now);
  if (due.length === 0 || app === null) return [];
  context.state.webhookRetries = retries.filter((retry) => !due.includes(retry));
  const sent: WebhookDelivery[] = [];
  for (const retry of due) {
    sent.push(await sendWebhook(context, app, { ...retry, topic: retry.topic as WebhookTopic }));
  }
  await context.store.save();
  return sent;
}

export function shopWebhookPayload(shop: ShopRecord) {
  return {
    id: shop.shopId,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    country: "PE",
    country_code: "PE",
    country_name: "Peru",
    currency: shop.currency,
    iana_timezone: "America/Lima",
    created_at: shop.createdAt,
    plan_name: "partner_test",
  };
}

export function compliancePayload(topic: ComplianceTopic, shop: ShopRecord, orderIds: number[], customer: { email: string; phone: string | null }) {
  const customerObject = { id: 7_100_000_000_001, email: customer.email, phone: customer.phone };
  switch (topic) {
    case "customers/data_request":
      return {
        shop_id: shop.shopId,
        shop_domain: shop.domain,
        orders_requested: orderIds,
        customer: customerObject,
        data_request: { id: 9_900_000 + orderIds.length },
      };
    case "customers/redact":
      return { shop_id: shop.shopId, shop_domain: shop.domain, customer: customerObject, orders_to_redact: orderIds };
    case "shop/redact":
      return { shop_id: shop.shopId, shop_domain: shop.domain };
  }
}
