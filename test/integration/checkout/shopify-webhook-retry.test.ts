import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../../helpers/test-app";

interface Delivery {
  webhookId: string;
  topic: string;
  status: number | null;
  attempt: number;
}

// Shopify retries a webhook its receiver did not answer 2xx, with the same X-Shopify-Webhook-Id
// (changelog "Updates to webhook retry mechanism"). Here the app's handler fails once for real: it
// cannot confirm the cancelled order with the Admin API (a simulator fault) and answers 503. The
// retry must then take effect, not be dropped as a duplicate.
describe("a Shopify webhook whose handler failed once takes effect on Shopify's retry", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("cancels the unpaid order's CIP on the retry of orders/cancelled", async () => {
    // The Admin API fails while the order is created, so orders/create cannot link it (deferred).
    await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", api: "admin", count: 1 });
    const checkout = await t.json<{ id: string }>("POST", "/sandbox/shopify/checkouts", { amount: "150.00", currency: "PEN", test: false });
    expect(checkout.status).toBe(200);
    const id = checkout.body.id;
    const orders = await eventually(async () => {
      const listed = await t.json<{ orders: Array<{ id: string; paymentSessionId: string }> }>("GET", "/sandbox/shopify/orders");
      return listed.body.orders.find((o) => o.paymentSessionId === id) ?? null;
    });
    await eventually(async () => {
      const deliveries = await t.json<{ webhooks: Delivery[] }>("GET", "/sandbox/shopify/webhooks?topic=orders/create");
      return deliveries.body.webhooks.length > 0;
    });
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).orderId).toBeNull();

    // The cancellation's first delivery fails: Shopify cannot be asked whether the order is this shop's.
    await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", api: "admin", count: 1 });
    const cancel = await t.json<{ webhook: Delivery }>("POST", `/sandbox/shopify/orders/${encodeURIComponent(orders.id)}/cancel`, {});
    expect(cancel.body.webhook.status).toBe(503);
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).state).toBe("pending");

    // A minute later (sandbox clock) Shopify retries with the same webhook id; now it takes effect.
    await t.json("POST", "/sandbox/clock", { advanceSeconds: 61 });
    const retried = await eventually(async () => {
      const deliveries = await t.json<{ webhooks: Delivery[] }>("GET", "/sandbox/shopify/webhooks?topic=orders/cancelled");
      const same = deliveries.body.webhooks.filter((w) => w.webhookId === cancel.body.webhook.webhookId);
      return same.length === 2 ? same : null;
    });
    expect(retried.map((w) => [w.attempt, w.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    const stored = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    expect(stored.state).toBe("cancelled");
    expect(stored.orderId).toBe(orders.id);
    expect(stored.orderLinkConfidence).toBe("high");
  });
});
