import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../../helpers/test-app";

describe("a restart loses nothing", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("keeps sessions, CIPs and queued deliveries across a restart, and delivers each once", async () => {
    await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 1000 });
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { amount: "75.50", currency: "PEN", test: false });
    expect(checkout.body.status).toBe(201);
    const id = checkout.body.id;
    const cips = await t.json<{ cips: Array<{ cip: string }> }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`);
    await t.json("POST", `/sandbox/pagoefectivo/cips/${cips.body.cips[0]?.cip}/pay`, {});
    // Shopify is down: pending and resolve are queued and failing.
    await eventually(async () => (await t.app.db.prisma.deliveryAttempt.count({ where: { paymentSessionId: id } })) >= 2);

    await t.restart();
    await t.json("DELETE", "/sandbox/shopify/faults");
    await eventually(
      async () => {
        await t.json("POST", "/sandbox/clock", { advanceSeconds: 300 });
        const s = await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${id}`);
        return s.body.state === "resolved";
      },
      20_000,
      300,
    );
    const s = await t.json<{ mutations: Array<{ name: string; result: string }> }>("GET", `/sandbox/shopify/payment-sessions/${id}`);
    // Paid before Shopify came back: the queued pending is moot and skipped, the resolve arrives once.
    expect(s.body.mutations.filter((m) => m.result === "ok").map((m) => m.name)).toEqual(["paymentSessionResolve"]);
    const row = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe("paid");
    expect(row.shopifyState).toBe("resolved");
  });
});
