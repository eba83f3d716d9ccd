import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../helpers/test-app";

/**
 * With several instances, "pending" and "resolve" for one session can be delivered by two workers at
 * once; the pending answer may land last. It must not overwrite the final state.
 */
describe("a late pending answer from Shopify", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("does not overwrite a session Shopify already resolved, and stays on the timeline", async () => {
    const checkout = await t.json<{ id: string }>("POST", "/sandbox/shopify/checkouts", { amount: "12.00", currency: "PEN", test: false });
    const id = checkout.body.id;
    const cips = await t.json<{ cips: Array<{ cip: string }> }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`);
    await t.json("POST", `/sandbox/pagoefectivo/cips/${cips.body.cips[0]?.cip}/pay`, {});
    await eventually(async () => (await t.app.db.prisma.paymentSession.findUnique({ where: { id } }))?.shopifyState === "resolved");

    const store = t.app.services.paymentStore;
    const late = await store.applyChange({
      sessionId: id,
      move: "shopify_pending",
      set: { updatedAt: new Date() },
    });
    expect(late).toBeNull();
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).shopifyState).toBe("resolved");
  });
});
