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

interface SimulatedMutation {
  name: string;
  variables: Record<string, unknown>;
  userErrors?: Array<{ code?: string; message: string }>;
  fault?: string;
}

/**
 * paymentSessionPending delivered late, through the real server, the Shopify simulator (which refuses a
 * pendingExpiresAt in the past with EXPIRED_PENDING_EXPIRES_AT) and the outbox: the time is taken from the
 * CIP's expiry when the delivery is made, and a delivery made after the CIP expired is dropped.
 */
describe("a paymentSessionPending delivered late", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const mutationsOf = async (id: string) =>
    (await t.json<{ mutations: SimulatedMutation[] }>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.mutations.filter((m) => m.name === "paymentSessionPending");
  const pendingJob = (id: string) => t.app.db.prisma.outboxJob.findFirstOrThrow({ where: { paymentSessionId: id, kind: "payment_session.pending" }, include: { attemptsLog: { orderBy: { at: "asc" } } } });
  const advance = async (seconds: number) => expect((await t.json("POST", "/sandbox/clock", { advanceSeconds: seconds })).status).toBeLessThan(300);
  const cleanFaults = async () => {
    await t.json("DELETE", "/sandbox/shopify/faults");
    await t.json("DELETE", "/sandbox/pagoefectivo/faults");
  };

  it("is sent hours later with the CIP's expiry, which Shopify still accepts", async () => {
    expect((await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 1, api: "payments" })).status).toBeLessThan(300);
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { amount: "31.00", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    const id = checkout.body.id;
    await eventually(async () => (await pendingJob(id)).attemptsLog.some((a) => a.outcome === "retry"));

    await advance(6 * 3600);
    const job = await eventually(async () => {
      const row = await pendingJob(id);
      return row.status === "done" ? row : null;
    });
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    const sent = await mutationsOf(id);
    expect(sent.map((m) => m.fault ?? "ok")).toEqual(["error500", "ok"]);
    expect(sent[1]?.userErrors ?? []).toEqual([]);
    expect(new Date(String(sent[1]?.variables.pendingExpiresAt)).getTime()).toBe(session.cipExpiresAt?.getTime());
    expect(job.attemptsLog.at(-1)?.outcome).toBe("done");
    expect((await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.state).toBe("pending");
    await cleanFaults();
  });

  it("is dropped when the CIP expired before it could be sent, and the session is rejected instead", async () => {
    // Shopify is down, and PagoEfectivo's search too, so the poller cannot confirm the expiry and the session stays pending.
    expect((await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 1000, api: "payments" })).status).toBeLessThan(300);
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { amount: "32.00", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    const id = checkout.body.id;
    await eventually(async () => (await pendingJob(id)).attemptsLog.some((a) => a.outcome === "retry"));
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    expect((await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "error5xx", count: 1000, paths: ["search"] })).status).toBeLessThan(300);

    const pastExpiry = Math.ceil(((session.cipExpiresAt?.getTime() ?? 0) - t.app.clock.now().getTime()) / 1000) + 60;
    await advance(pastExpiry);
    expect((await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } })).state).toBe("pending");
    await t.json("DELETE", "/sandbox/shopify/faults");
    // The retry comes due: Shopify answers again, but the CIP is already past its expiry.
    await advance(3600);
    const job = await eventually(async () => {
      const row = await pendingJob(id);
      return row.status === "done" ? row : null;
    });
    expect(job.attemptsLog.at(-1)?.detail).toMatch(/CIP expired before Shopify was told/);
    const sent = await mutationsOf(id);
    expect(sent.every((m) => m.fault === "error500")).toBe(true);
    expect(sent.flatMap((m) => m.userErrors ?? []).map((e) => e.code)).not.toContain("EXPIRED_PENDING_EXPIRES_AT");

    // Once PagoEfectivo answers, the poller confirms the expiry and Shopify hears the rejection.
    await t.json("DELETE", "/sandbox/pagoefectivo/faults");
    await advance(600);
    await eventually(async () => (await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.state === "rejected", 15_000);
  });
});
