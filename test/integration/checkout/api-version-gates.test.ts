import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../../helpers/test-app";

interface SimSession {
  state: string;
  mutations: Array<{ name: string; result: string; apiVersion: string; variables: Record<string, unknown> }>;
}

// The simulator refuses CANCELLED_PAYMENT before 2026-04 (top-level INVALID_VARIABLE error), so this
// passes only if the app gates the code by the version it is pinned to.
describe("an app pinned to Payments Apps API 2025-10", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { SHOPIFY_API_VERSION: "2025-10" } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("rejects an expired CIP with PROCESSING_ERROR, a code that version has, and Shopify accepts it", async () => {
    const checkout = await t.json<{ id: string }>("POST", "/sandbox/shopify/checkouts", { amount: "150.00", currency: "PEN", test: false });
    expect(checkout.status).toBe(200);
    await eventually(async () => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${checkout.body.id}`)).body.state === "pending");
    await t.json("POST", "/sandbox/clock", { advanceSeconds: 49 * 3600 });
    const rejected = await eventually(async () => {
      const s = (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${checkout.body.id}`)).body;
      return s.state === "rejected" ? s : null;
    });
    const reject = rejected.mutations.find((m) => m.name === "paymentSessionReject");
    expect(reject).toMatchObject({ result: "ok", apiVersion: "2025-10", variables: { reason: { code: "PROCESSING_ERROR" } } });
    expect(rejected.mutations.every((m) => m.apiVersion === "2025-10")).toBe(true);
  });
});
