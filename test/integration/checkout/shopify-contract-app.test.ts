import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signShopifyWebhook } from "../../../app/adapters/crypto/hmac-signatures";
import { signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { eventually, type TestApp } from "../../helpers/test-app";

/**
 * The app's behaviour on Shopify's contract, through the real servers and the simulator, for the rules of
 * docs/contracts.md ("Shopify") that no other app-level test drives: unsigned headers checked against the signed
 * body, compliance webhooks as Shopify shapes them, a THROTTLED Payments Apps answer, a refund rejected with the
 * refund code, and a rejected session whose order Shopify voided.
 */

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
/** A second shop with the app installed: a body of the demo shop replayed under its domain must not act on it. */
const OTHER_SHOP = "otra-tienda-arequipa.myshopify.com";
const API_SECRET = "sandbox-api-secret";

interface Delivery {
  webhookId: string;
  topic: string;
  status: number | null;
  payload: Record<string, unknown>;
}

interface SimSession {
  state: string;
  orderId: string | null;
  mutations: { name: string; result: string; fault?: string; variables: Record<string, unknown> }[];
}

describe("the app on Shopify's contract (real servers, simulator)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startAdminTestApp({ env: { SHOPIFY_API_SECRET: API_SECRET } });
    await signIn(t, OTHER_SHOP, "install");
  });
  afterAll(async () => {
    await t?.close();
  });

  async function pendingCheckout(amount: string): Promise<{ id: string; cip: string }> {
    const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { amount, currency: "PEN" });
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: answer.body.id } });
    await eventually(async () => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${answer.body.id}`)).body.state === "pending");
    return { id: answer.body.id, cip: session.cip ?? "" };
  }

  const post = (body: string, topic: string, shop: string) =>
    fetch(`${t.url}/webhooks/shopify`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Hmac-Sha256": signShopifyWebhook(body, API_SECRET),
        "X-Shopify-Webhook-Id": `replay-${Math.random().toString(36).slice(2)}`,
      },
      body,
    });

  // The fault names the mutation it fails: no other Payments Apps call made meanwhile (whatever the load) can take it.
  it("retries a THROTTLED paymentSessionPending until Shopify takes it", async () => {
    const fault = { kind: "throttled", api: "payments", operation: "paymentSessionPending", count: 1 };
    expect((await t.json("POST", "/sandbox/shopify/faults", fault)).status).toBe(201);
    const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { amount: "62.00", currency: "PEN" });
    expect(answer.body.status).toBe(201);
    const session = await eventually(async () => {
      const view = (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${answer.body.id}`)).body;
      return view.state === "pending" ? view : null;
    }, 20_000);
    const pendings = session.mutations.filter((m) => m.name === "paymentSessionPending");
    expect(pendings.map((m) => m.result)).toEqual(["fault", "ok"]);
    expect(pendings[0]?.fault).toBe("throttled");
    expect((await t.json<{ faults: unknown[] }>("GET", "/sandbox/shopify/faults")).body.faults).toEqual([]);
  });

  it("a signed order body replayed under another topic or another shop's domain changes nothing", async () => {
    const { id } = await pendingCheckout("61.00");
    const created = await eventually(async () => {
      const listed = await t.json<{ webhooks: Delivery[] }>("GET", "/sandbox/shopify/webhooks?topic=orders/create");
      const orderId = (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.orderId;
      return listed.body.webhooks.find((w) => orderId !== null && w.payload.admin_graphql_api_id === orderId) ?? null;
    });
    // The body Shopify signed for orders/create, marked cancelled, replayed: HMAC covers the body only.
    const body = JSON.stringify({ ...created.payload, cancelled_at: new Date().toISOString(), cancel_reason: "customer" });
    for (const [topic, shop] of [
      ["orders/cancelled", OTHER_SHOP],
      ["app/uninstalled", DEMO_SHOP],
      ["shop/redact", DEMO_SHOP],
    ] as const) {
      const response = await post(body, topic, shop);
      expect(response.status, `${topic} ${shop}`).toBeLessThan(500);
    }
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).state).toBe("pending");
    expect((await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } })).status).toBe("installed");
    expect((await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).status).toBe("installed");

    // The same order cancelled by Shopify itself (right topic, right shop) does take effect: the test can fail.
    const cancel = await t.json<{ webhook: Delivery }>("POST", `/sandbox/shopify/orders/${encodeURIComponent(String(created.payload.admin_graphql_api_id))}/cancel`, {});
    expect(cancel.body.webhook.status).toBe(200);
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).state).toBe("cancelled");
  });

  it("answers 200 to the compliance webhooks as Shopify shapes them", async () => {
    for (const topic of ["customers/data_request", "customers/redact"]) {
      const sent = await t.json<{ webhook: Delivery }>("POST", `/sandbox/shopify/shops/${DEMO_SHOP}/compliance/${topic}`, {});
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect(sent.body.webhook.status, topic).toBe(200);
    }
  });

  it("rejects a session whose CIP expired; Shopify voids its order and the app keeps it as expired", async () => {
    const { id } = await pendingCheckout("63.00");
    const orderId = await eventually(async () => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.orderId);
    await t.json("POST", "/sandbox/clock", { advanceSeconds: 49 * 3600 });
    const rejected = await eventually(async () => {
      const view = (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body;
      return view.state === "rejected" ? view : null;
    }, 30_000);
    const reject = rejected.mutations.find((m) => m.name === "paymentSessionReject");
    expect(reject?.result).toBe("ok");
    const order = await t.json<{ financialStatus: string; cancelledAt: string | null }>("GET", `/sandbox/shopify/orders/${encodeURIComponent(orderId)}`);
    expect(order.body.financialStatus).toBe("voided");
    expect(order.body.cancelledAt).not.toBeNull();
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).state).toBe("expired");
  }, 60_000);
});
