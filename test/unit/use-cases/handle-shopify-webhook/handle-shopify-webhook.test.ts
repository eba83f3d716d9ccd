import { describe, expect, it } from "vitest";

import { HmacSignatures, signShopifyWebhook } from "../../../../app/adapters/crypto/hmac-signatures";
import { FixedClock } from "../../../../app/lib/clock";
import { silentLogger } from "../../../../app/lib/logger";
import type { ShopDataStore } from "../../../../app/ports/shop-data-store";
import type { SessionForOrder, WebhookOrderLinks } from "../../../../app/ports/webhook-order-links";
import type { CancelOrder } from "../../../../app/use-cases/cancel-order/cancel-order";
import { HandleShopifyWebhook } from "../../../../app/use-cases/handle-shopify-webhook/handle-shopify-webhook";

const SECRET = "app-secret";
const SHOP = "tienda.myshopify.com";
const NOW = new Date("2026-01-10T16:00:00Z");

function fakeShops(options: { failUninstallOnce?: boolean } = {}) {
  const recorded = new Set<string>();
  const calls: string[] = [];
  let failures = options.failUninstallOnce ? 1 : 0;
  const shops: ShopDataStore = {
    webhookHandled: async (id) => recorded.has(id),
    recordWebhook: async ({ webhookId }) => {
      if (recorded.has(webhookId)) return false;
      recorded.add(webhookId);
      return true;
    },
    markUninstalled: async (domain) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error("database unavailable");
      }
      calls.push(`uninstalled ${domain}`);
      return true;
    },
    redactCustomer: async ({ shopDomain }) => {
      calls.push(`redact ${shopDomain}`);
      return 1;
    },
    customerData: async () => [],
    deleteShop: async (domain) => {
      calls.push(`delete ${domain}`);
      return true;
    },
  };
  return { shops, calls, recorded };
}

function fakeLinks(sessions: SessionForOrder[], inShop: "yes" | "no" | "unknown" = "yes") {
  const links: { sessionId: string; orderId: string; confidence: string }[] = [];
  const orderLinks: WebhookOrderLinks = {
    sessionLinkedTo: async (_shop, orderId) => {
      const link = links.find((l) => l.orderId === orderId);
      return link ? { id: link.sessionId } : null;
    },
    unlinkedSessions: async () => sessions.filter((s) => !links.some((l) => l.sessionId === s.id)),
    link: async (_shop, sessionId, order, confidence) => {
      links.push({ sessionId, orderId: order.id, confidence });
      return true;
    },
    refresh: async () => true,
    orderInShop: async () => inShop,
  };
  return { orderLinks, links };
}

function handler(shops: ShopDataStore, orderLinks: WebhookOrderLinks, cancelled: string[] = []) {
  const cancelOrder = {
    execute: async (order: { paymentSessionId: string | null }) => {
      cancelled.push(order.paymentSessionId ?? "");
      return "cip_deleted" as const;
    },
  } as unknown as CancelOrder;
  return new HandleShopifyWebhook({ shops, orderLinks, cancelOrder, signatures: new HmacSignatures(SECRET), clock: new FixedClock(NOW), logger: silentLogger });
}

function delivery(topic: string, body: unknown, options: { shop?: string; webhookId?: string } = {}) {
  const rawBody = Buffer.from(JSON.stringify(body));
  return { rawBody, hmac: signShopifyWebhook(rawBody, SECRET), topic, shopDomain: options.shop ?? SHOP, webhookId: options.webhookId ?? "wh-1" };
}

const session: SessionForOrder = {
  id: "sess1",
  gid: "gid://shopify/PaymentSession/sess1",
  amountMinor: 15000,
  currency: "PEN",
  test: false,
  email: "ana@example.pe",
  createdAt: new Date("2026-01-10T15:00:00Z"),
  state: "pending",
};

const orderBody = {
  id: 5400000000001,
  admin_graphql_api_id: "gid://shopify/Order/5400000000001",
  name: "#1001",
  email: "ana@example.pe",
  created_at: "2026-01-10T15:03:00Z",
  test: false,
  gateway: "pagoefectivo",
  payment_gateway_names: ["pagoefectivo"],
  total_price: "150.00",
  currency: "PEN",
  financial_status: "pending",
};

describe("HandleShopifyWebhook", () => {
  it("records a delivery only after it took effect: a handler that fails once takes effect on Shopify's retry", async () => {
    const { shops, calls, recorded } = fakeShops({ failUninstallOnce: true });
    const webhook = handler(shops, fakeLinks([]).orderLinks);
    const body = { id: 1, myshopify_domain: SHOP, domain: SHOP };
    await expect(webhook.execute(delivery("app/uninstalled", body, { webhookId: "retry-me" }))).rejects.toThrow("database unavailable");
    expect(recorded.has("retry-me")).toBe(false);
    // Shopify retries with the same X-Shopify-Webhook-Id.
    expect(await webhook.execute(delivery("app/uninstalled", body, { webhookId: "retry-me" }))).toEqual({ kind: "accepted", outcome: "uninstalled" });
    expect(calls).toEqual([`uninstalled ${SHOP}`]);
    expect(await webhook.execute(delivery("app/uninstalled", body, { webhookId: "retry-me" }))).toEqual({ kind: "accepted", outcome: "duplicate" });
    expect(calls).toHaveLength(1);
  });

  it("checks the unsigned topic and shop headers against the signed body", async () => {
    const { shops, calls } = fakeShops();
    const webhook = handler(shops, fakeLinks([]).orderLinks);
    const shopRedact = { shop_id: 1, shop_domain: SHOP };
    // Another shop's domain in the header: nothing happens to either shop.
    expect(await webhook.execute(delivery("shop/redact", shopRedact, { shop: "otra.myshopify.com", webhookId: "a" }))).toMatchObject({ kind: "refused", reason: "shop_mismatch" });
    expect(await webhook.execute(delivery("app/uninstalled", { myshopify_domain: SHOP }, { shop: "otra.myshopify.com", webhookId: "b" }))).toMatchObject({
      kind: "refused",
      reason: "shop_mismatch",
    });
    // A customers/redact body replayed as shop/redact must not delete the shop; an order body is no shop.
    const redact = { shop_id: 1, shop_domain: SHOP, customer: { email: "a@b.pe" }, orders_to_redact: [1] };
    expect(await webhook.execute(delivery("shop/redact", redact, { webhookId: "c" }))).toMatchObject({ kind: "refused", reason: "malformed" });
    expect(await webhook.execute(delivery("app/uninstalled", orderBody, { webhookId: "d" }))).toMatchObject({ kind: "refused", reason: "malformed" });
    expect(await webhook.execute(delivery("orders/cancelled", shopRedact, { webhookId: "e" }))).toMatchObject({ kind: "refused", reason: "malformed" });
    expect(calls).toEqual([]);
    expect(await webhook.execute(delivery("shop/redact", shopRedact, { webhookId: "f" }))).toEqual({ kind: "accepted", outcome: "shop_deleted" });
  });

  it("links an order by its documented facts, and only when the order exists in that shop", async () => {
    const { shops } = fakeShops();
    const linked = fakeLinks([session]);
    expect(await handler(shops, linked.orderLinks).execute(delivery("orders/create", orderBody, { webhookId: "o1" }))).toEqual({ kind: "accepted", outcome: "order_linked_high" });
    expect(linked.links).toEqual([{ sessionId: "sess1", orderId: orderBody.admin_graphql_api_id, confidence: "high" }]);

    const elsewhere = fakeLinks([session], "no");
    expect(await handler(fakeShops().shops, elsewhere.orderLinks).execute(delivery("orders/create", orderBody, { webhookId: "o2" }))).toEqual({
      kind: "accepted",
      outcome: "order_not_in_shop",
    });
    expect(elsewhere.links).toEqual([]);
  });

  it("answers 503 to a cancellation it cannot confirm, so Shopify's retry cancels once Shopify answers", async () => {
    const cancelled: string[] = [];
    const { shops, recorded } = fakeShops();
    const unknown = fakeLinks([session], "unknown");
    const first = await handler(shops, unknown.orderLinks, cancelled).execute(delivery("orders/cancelled", orderBody, { webhookId: "c1" }));
    expect(first).toMatchObject({ kind: "refused", reason: "try_again" });
    expect(recorded.has("c1")).toBe(false);
    const confirmed = fakeLinks([session], "yes");
    expect(await handler(shops, confirmed.orderLinks, cancelled).execute(delivery("orders/cancelled", orderBody, { webhookId: "c1" }))).toEqual({
      kind: "accepted",
      outcome: "cip_deleted",
    });
    expect(cancelled).toEqual(["sess1"]);
  });

  it("cancels the order's session when a concurrent orders/create linked it first (its own link lost)", async () => {
    const cancelled: string[] = [];
    const { shops } = fakeShops();
    const { orderLinks, links } = fakeLinks([session]);
    // orders/create commits its link between this delivery's lookup and its own link attempt.
    const racing: WebhookOrderLinks = {
      ...orderLinks,
      unlinkedSessions: async (...args) => {
        const candidates = await orderLinks.unlinkedSessions(...args);
        links.push({ sessionId: "sess1", orderId: orderBody.admin_graphql_api_id, confidence: "high" });
        return candidates;
      },
      link: async () => false,
    };
    expect(await handler(shops, racing, cancelled).execute(delivery("orders/cancelled", orderBody, { webhookId: "c2" }))).toEqual({
      kind: "accepted",
      outcome: "cip_deleted",
    });
    expect(cancelled).toEqual(["sess1"]);
  });

  it("cancels the order's session when a concurrent orders/create linked it between the look-up and the candidate search", async () => {
    const cancelled: string[] = [];
    const { shops } = fakeShops();
    const { orderLinks, links } = fakeLinks([session]);
    // orders/create commits its link after this delivery's first look-up: the candidate search no longer lists the session.
    const racing: WebhookOrderLinks = {
      ...orderLinks,
      unlinkedSessions: async (...args) => {
        links.push({ sessionId: "sess1", orderId: orderBody.admin_graphql_api_id, confidence: "high" });
        return orderLinks.unlinkedSessions(...args);
      },
    };
    expect(await handler(shops, racing, cancelled).execute(delivery("orders/cancelled", orderBody, { webhookId: "c3" }))).toEqual({
      kind: "accepted",
      outcome: "cip_deleted",
    });
    expect(cancelled).toEqual(["sess1"]);
  });
});
