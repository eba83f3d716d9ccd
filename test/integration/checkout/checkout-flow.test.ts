import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../../helpers/test-app";

interface Checkout {
  id: string;
  gid: string;
  status: number;
  redirect_url: string | null;
}
interface SimSession {
  state: string;
  mutations: Array<{ name: string; result: string; variables: Record<string, unknown> }>;
}

describe("checkout flow through the real servers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("issues a CIP, keeps the session pending, and resolves it once PagoEfectivo notifies the payment", async () => {
    const checkout = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount: "150.00", currency: "PEN", test: false });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(200);
    expect(checkout.body.status, JSON.stringify(checkout.body)).toBe(201);
    expect(checkout.body.redirect_url).toMatch(new RegExp(`^${t.url}/pay/`));

    const page = await fetch(checkout.body.redirect_url ?? "");
    const html = await page.text();
    expect(page.status).toBe(200);
    const cip = /data-testid="cip"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, "");
    expect(cip).toMatch(/^\d+$/);
    expect(html).toContain("S/ 150.00");

    const pending = await eventually(async () => {
      const s = await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${checkout.body.id}`);
      return s.body.state === "pending" ? s.body : null;
    });
    expect(pending.mutations.map((m) => m.name)).toEqual(["paymentSessionPending"]);
    expect(pending.mutations[0]?.variables.reason).toBe("BUYER_ACTION_REQUIRED");

    const paid = await t.json<{ status: string }>("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {});
    expect(paid.status).toBe(200);

    const resolved = await eventually(async () => {
      const s = await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${checkout.body.id}`);
      return s.body.state === "resolved" ? s.body : null;
    });
    expect(resolved.mutations.map((m) => m.name)).toEqual(["paymentSessionPending", "paymentSessionResolve"]);
    const orders = await t.json<{ orders: Array<{ paymentSessionId: string; financialStatus: string }> } | Array<{ paymentSessionId: string; financialStatus: string }>>(
      "GET",
      "/sandbox/shopify/orders",
    );
    const list = Array.isArray(orders.body) ? orders.body : orders.body.orders;
    expect(list.find((o) => o.paymentSessionId === checkout.body.id)?.financialStatus).toBe("paid");

    // Shopify's order webhooks link the order to the payment (name and financial status).
    const linked = await eventually(async () => {
      const row = await t.app.db.prisma.paymentSession.findUnique({ where: { id: checkout.body.id } });
      return row?.orderFinancialStatus === "paid" ? row : null;
    });
    expect(linked.orderName).toMatch(/^#\d+$/);
    expect(linked.orderId).toMatch(/^gid:\/\/shopify\/Order\//);
  });
});
