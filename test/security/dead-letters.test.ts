import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../helpers/admin-browser";
import { startAdminTestApp } from "../helpers/admin-test-app";
import { eventually, type TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Deliveries that can never succeed": a job the outbox gives up on lands in the shop's
 * dead-letter list with its last error, is counted, and can be sent again; another shop cannot see or
 * resend it; a resend after the fix delivers exactly once.
 */
describe("dead letters", () => {
  let t: TestApp;
  let demo: AdminApi;
  let other: AdminApi;
  const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

  beforeAll(async () => {
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    demo = (await signIn(t, DEMO_SHOP, "login")).api;
    other = (await signIn(t, "otra-tienda-cusco.myshopify.com", "install")).api;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  interface DeadLetterView {
    id: string;
    kind: string;
    paymentSessionId: string | null;
    attempts: number;
    lastError: string | null;
    failedAt: string | null;
  }
  const mutations = async (id: string) =>
    (await t.json<{ mutations: { name: string; result: string }[] }>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.mutations;

  it("lists a resolve given up after the delivery window, and delivers it once when resent", async () => {
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "30.00", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    const id = checkout.body.id;
    await eventually(async () => (await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: id, kind: "payment_session.pending", status: "done" } })) === 1);
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    const before = t.app.services.securityCounters.snapshot();

    // Shopify is down for longer than the ~30 h delivery window.
    expect((await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 10_000 })).status).toBe(201);
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${session.cip}/pay`, {})).status).toBe(200);
    await eventually(
      async () => {
        await t.json("POST", "/sandbox/clock", { advanceSeconds: 6 * 3600 });
        t.app.services.worker.wake();
        return (await t.app.db.prisma.outboxJob.findFirst({ where: { paymentSessionId: id, kind: "payment_session.resolve", status: "failed" } })) !== null;
      },
      30_000,
      300,
    );

    const list = await demo.get<{ items: DeadLetterView[]; total: number }>("/api/dead-letters");
    expect(list.status).toBe(200);
    const letter = list.body.items.find((item) => item.paymentSessionId === id);
    expect(letter).toMatchObject({ kind: "payment_session.resolve" });
    expect(letter?.lastError).toMatch(/gave up after ~30 h: .*500/);
    const after = t.app.services.securityCounters.snapshot();
    const key = "outbox_jobs_dead_lettered_total{kind=payment_session.resolve,reason=gave_up}";
    expect((after[key] ?? 0) - (before[key] ?? 0)).toBe(1);

    // Another shop neither sees nor resends it.
    expect((await other.get<{ items: DeadLetterView[] }>("/api/dead-letters")).body.items.map((i) => i.id)).not.toContain(letter?.id);
    expect((await other.post(`/api/dead-letters/${letter?.id}/resend`)).status).toBe(404);
    expect((await t.app.db.prisma.outboxJob.findUniqueOrThrow({ where: { id: letter?.id ?? "" } })).status).toBe("failed");

    // Shopify is back; the merchant resends: one successful resolve, and the list is empty again.
    await t.json("DELETE", "/sandbox/shopify/faults");
    const resent = await demo.post<{ job: DeadLetterView; status: string }>(`/api/dead-letters/${letter?.id}/resend`);
    expect(resent.status).toBe(202);
    await eventually(async () => (await t.app.db.prisma.outboxJob.findUniqueOrThrow({ where: { id: letter?.id ?? "" } })).status === "done");
    const resolves = (await mutations(id)).filter((m) => m.name === "paymentSessionResolve" && m.result !== "fault");
    expect(resolves).toHaveLength(1);
    expect((await demo.get<{ total: number }>("/api/dead-letters")).body.total).toBe(0);
    // A second resend of a delivered job is refused.
    expect((await demo.post(`/api/dead-letters/${letter?.id}/resend`)).status).toBe(409);
    const log = await t.app.db.prisma.deliveryAttempt.findMany({ where: { jobId: letter?.id ?? "" }, orderBy: { at: "asc" } });
    expect(log.some((a) => a.detail.startsWith("resent by"))).toBe(true);
  });

  it("answers 404 to an unknown id and 400 to a malformed one", async () => {
    expect((await demo.post("/api/dead-letters/no-such-job/resend")).status).toBe(404);
    expect((await demo.post(`/api/dead-letters/${"x".repeat(300)}/resend`)).status).toBe(400);
  });
});
