import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { CuttableProxy } from "../../helpers/cuttable-proxy";
import { eventually, type TestApp } from "../../helpers/test-app";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

interface Checkout {
  id: string;
  status: number | null;
  redirect_url: string | null;
  response: unknown;
  error?: string;
}
interface EmulatorCip {
  cip: string;
  status: string;
  notifications: { httpStatus: number | null; at: string; attempt: number; error?: string }[];
}

/**
 * PostgreSQL stalls under the running app (issue #10, "Database unreachable"): connections are accepted but nothing
 * is forwarded and nothing answers, no reset either (a dropped network, a hung server). pg sets no timeout of its
 * own, so without DATABASE_CONNECT_TIMEOUT_MS and DATABASE_QUERY_TIMEOUT_MS every request would hang. Through the
 * real HTTP servers: Shopify's session request (mTLS), PagoEfectivo's notification and an admin read are each
 * answered 503 database_unavailable within those bounds (not a hang, not a 500), nothing is half-written, and all
 * of it works once the network is back. The connection-level view is pg-connection-loss.test.ts. PostgreSQL only.
 */
const POSTGRES = Boolean(process.env.TEST_DATABASE_URL);
const CONNECT_TIMEOUT_MS = 800;
const QUERY_TIMEOUT_MS = 1_000;
/** One query's bound plus its 1 s network grace (pg-connections.ts), once more for a second statement, plus slack on a loaded machine. */
const BOUND_MS = 2 * (QUERY_TIMEOUT_MS + 1_000) + 1_500;
const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
const UNAVAILABLE = { error: { code: "database_unavailable" } };

describe.skipIf(!POSTGRES)("PostgreSQL stalls under the running app (HTTP)", () => {
  let database: TestDatabase;
  let proxy: CuttableProxy;
  let t: TestApp;
  let api: AdminApi;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = CuttableProxy.forUrl(database.url);
    await proxy.open();
    t = await startAdminTestApp({
      env: {
        DATABASE_URL: proxy.through(database.url),
        DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      },
    });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
  }, 120_000);
  afterAll(async () => {
    if (proxy && !proxy.isOpen) await proxy.open();
    await t?.close();
    await proxy?.cut();
    await database?.drop();
  });

  const timed = async <T>(request: () => Promise<T>) => {
    const started = Date.now();
    const answer = await request();
    return { answer, ms: Date.now() - started };
  };
  const cipsFor = async (id: string) => (await t.json<{ cips: EmulatorCip[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`)).body.cips;
  const checkout = (amount: string) => t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount, currency: "PEN", test: false });
  const row = (id: string) => t.app.db.prisma.paymentSession.findUnique({ where: { id } });

  it("answers 503 database_unavailable within the timeouts, writes nothing by halves, and works after", async () => {
    // Before: a checkout with its CIP (to be paid during the stall), and every pool holding idle connections.
    const before = await checkout("71.00");
    expect(before.body.status, JSON.stringify(before.body)).toBe(201);
    const [issued] = await cipsFor(before.body.id);
    expect((await api.get("/api/payments")).status).toBe(200);
    const notificationUrl = (await t.json<{ services: { notificationUrl: string | null }[] }>("GET", "/sandbox/pagoefectivo/services")).body.services.find((s) =>
      s.notificationUrl?.startsWith(t.url),
    )?.notificationUrl;
    expect(notificationUrl).toBeTruthy();

    proxy.stall();
    try {
      // Shopify's session request (over mTLS, through the simulator).
      const session = await timed(() => checkout("72.00"));
      expect(session.answer.body.status, JSON.stringify(session.answer.body)).toBe(503);
      expect(session.answer.body.response).toMatchObject(UNAVAILABLE);
      expect(session.ms).toBeLessThan(BOUND_MS);

      // PagoEfectivo's notification: one sent here (the app answers before it can check anything against the
      // database), and the real ones of a payment made now (the emulator delivers, then retries once).
      const posted = await timed(() => fetch(notificationUrl ?? "", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }));
      expect(posted.answer.status).toBe(503);
      expect(await posted.answer.json()).toMatchObject(UNAVAILABLE);
      expect(posted.ms).toBeLessThan(BOUND_MS);
      expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${issued?.cip}/pay`, {})).status).toBe(200);
      const deliveries = await eventually(async () => {
        const tried = (await cipsFor(before.body.id))[0]?.notifications ?? [];
        return tried.length >= 2 ? tried : null;
      }, 30_000);
      expect(deliveries.map((d) => d.httpStatus), JSON.stringify(deliveries)).toEqual([503, 503]);

      // An admin read.
      const read = await timed(() => api.raw("/api/payments", { headers: { Accept: "application/json" } }));
      expect(read.answer.status).toBe(503);
      expect(await read.answer.json()).toMatchObject(UNAVAILABLE);
      expect(read.ms).toBeLessThan(BOUND_MS);
      process.stdout.write(`pg stall: 503 after session ${session.ms} ms, notification ${posted.ms} ms, admin read ${read.ms} ms (bound ${BOUND_MS} ms)\n`);

      // Readiness says so; liveness does not (the process is fine).
      expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);

      await proxy.open();

      // Nothing by halves: the session request stored nothing or a session without a CIP, and asked for none.
      const stalled = session.answer.body.id;
      expect(await cipsFor(stalled)).toEqual([]);
      expect((await row(stalled))?.cip ?? null).toBeNull();
      // The notification was not taken: the paid CIP's session is still pending, with no resolve job.
      expect(await row(before.body.id)).toMatchObject({ state: "pending" });
      expect(await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: before.body.id, kind: "payment_session.resolve" } })).toBe(0);

      // After: Shopify's resend gets its CIP, polling finds the payment whose notifications were lost, the admin reads.
      const resent = await eventually(async () => {
        const answer = await t.json<Checkout>("POST", `/sandbox/shopify/checkouts/${stalled}/resend`);
        return answer.body.status === 201 ? answer.body : null;
      }, 20_000);
      expect(resent.redirect_url).toBeTruthy();
      expect(await cipsFor(stalled)).toHaveLength(1);
      await t.json("POST", "/sandbox/clock", { advanceSeconds: 600 });
      await eventually(async () => (await row(before.body.id))?.state === "paid", 20_000);
      expect(await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: before.body.id, kind: "payment_session.resolve" } })).toBe(1);
      expect((await api.get("/api/payments")).status).toBe(200);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    } finally {
      if (!proxy.isOpen) await proxy.open();
    }
  }, 120_000);
});
