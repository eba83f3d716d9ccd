import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { eventually, type TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

interface Detail {
  payment: { id: string; order: { id: string; name: string; financialStatus: string } | null; linkConfidence: string | null };
  timeline: { type: string; detail: Record<string, unknown> | null }[];
}

describe("order links: by documented facts, and by the merchant's hand", () => {
  let t: TestApp;
  let api: AdminApi;
  let paidId = "";
  let otherId = "";
  let orderId = "";

  const checkout = async (body: Record<string, unknown>) => {
    const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, ...body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.id;
  };
  const detail = async (id: string) => {
    const response = await api.get<Detail>(`/api/payments/${id}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    t = await startAdminTestApp();
    api = (await signIn(t, DEMO_SHOP, "login")).api;
    paidId = await checkout({ amount: "151.00", currency: "PEN" });
    const cip = (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: paidId } })).cip;
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {})).status).toBe(200);
    await eventually(async () => (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: paidId } })).paidAt);
    otherId = await checkout({ amount: "77.00", currency: "PEN" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("links the order Shopify created from its gateway, amount, time and buyer e-mail, and says how sure it is", async () => {
    const linked = await eventually(async () => {
      const row = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: paidId } });
      return row.orderId ? row : null;
    });
    orderId = linked.orderId as string;
    const { payment, timeline } = await detail(paidId);
    expect(payment.order?.id).toBe(orderId);
    // The simulator's default buyer has an e-mail on both sides: "high".
    expect(payment.linkConfidence).toBe("high");
    const event = timeline.find((entry) => entry.type === "order_linked");
    expect(event).toBeDefined();
  });

  it("lets the merchant unlink, and the link stays removed through the daily linking", async () => {
    const removed = await api.request<{ order: null; linkConfidence: string }>("DELETE", `/api/payments/${paidId}/order`);
    expect(removed).toMatchObject({ status: 200, body: { order: null, linkConfidence: "merchant" } });
    // The daily linking (run here on demand) would find the order again by its facts; the merchant's word wins.
    const report = await t.app.services.reconciliation.linkOrders.execute((await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } })).id);
    expect(report.linked).toBe(0);
    const { payment, timeline } = await detail(paidId);
    expect(payment.order).toBeNull();
    expect(payment.linkConfidence).toBe("merchant");
    expect(timeline.some((entry) => entry.type === "order_unlinked")).toBe(true);
  });

  it("links by hand only to an order of the shop that pays no other payment", async () => {
    expect((await api.put(`/api/payments/${paidId}/order`, { orderId: "not-an-order" })).status).toBe(400);
    expect((await api.put(`/api/payments/${paidId}/order`, {})).status).toBe(400);
    const missing = await api.put<{ error: { code: string } }>(`/api/payments/${paidId}/order`, { orderId: "gid://shopify/Order/1" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("order_not_found");
    expect((await api.put(`/api/payments/nope/order`, { orderId })).status).toBe(404);

    const linked = await api.put<{ order: { id: string; name: string }; linkConfidence: string }>(`/api/payments/${paidId}/order`, { orderId: orderId.split("/").pop() });
    expect(linked).toMatchObject({ status: 200, body: { order: { id: orderId }, linkConfidence: "merchant" } });
    expect((await detail(paidId)).payment).toMatchObject({ order: { id: orderId }, linkConfidence: "merchant" });

    const taken = await api.put<{ error: { code: string } }>(`/api/payments/${otherId}/order`, { orderId });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("order_taken");
  });

  it("answers a hand link to a rejected session's order with the honest status, as the detail shows it", async () => {
    const own = await eventually(async () => (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: otherId } })).orderId, 20_000);
    // Shopify has the session's rejection; the Admin API still says the order is pending.
    await t.app.db.prisma.paymentSession.update({ where: { id: otherId }, data: { shopifyState: "rejected" } });
    expect((await api.request("DELETE", `/api/payments/${otherId}/order`)).status).toBe(200);
    const linked = await api.put<{ order: { id: string; financialStatus: string } }>(`/api/payments/${otherId}/order`, { orderId: own });
    expect(linked.status).toBe(200);
    expect(linked.body.order).toMatchObject({ id: own, financialStatus: "no_payment" });
    expect((await detail(otherId)).payment.order?.financialStatus).toBe("no_payment");
  });
});
