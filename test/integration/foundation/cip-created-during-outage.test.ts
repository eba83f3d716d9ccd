import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PaymentChange, PaymentStore } from "../../../app/ports/payment-store";
import { eventually, startTestApp, type TestApp } from "../../helpers/test-app";

interface Checkout {
  id: string;
  status: number;
  redirect_url: string | null;
}
interface EmulatorCip {
  cip: string;
  status: string;
}
interface SimSession {
  id: string;
  state: string;
  mutations: { name: string; result: string }[];
}

/**
 * The database goes away between PagoEfectivo's answer to a CIP creation and the write that records it (issue #10;
 * found by test/chaos/database-outage.chaos.ts, which lost payments this way): the request is answered 503, and the
 * CIP number existed only in the app's memory. It used to be forgotten: once the issuing lease ran out the session
 * was kept as "creation unconfirmed" (no CIP number), the buyer paid the CIP PagoEfectivo had e-mailed, the
 * notification was lost too (the outage), polling could not search a CIP it had no number for, and the paid session
 * was rejected at expiry. Now the app keeps the number and records it as soon as the database takes writes again.
 *
 * The outage is the store refusing the recording write with SQLite's "database is locked" (what the write meets
 * while another process holds the lock, on either engine's code path); the chaos scenario does it for real.
 */
describe("a CIP created while the database is unavailable", () => {
  let t: TestApp;
  let down = false;

  beforeAll(async () => {
    t = await startTestApp();
    const store = t.app.services.paymentStore;
    const applyChange = store.applyChange.bind(store);
    (store as { applyChange: PaymentStore["applyChange"] }).applyChange = async (change: PaymentChange) => {
      if (down && change.move === "cip_issued") throw Object.assign(new Error("SqliteError: database is locked"), { code: "SQLITE_BUSY" });
      return applyChange(change);
    };
  });
  afterAll(async () => {
    down = false;
    await t?.close();
  });

  const cipsFor = async (id: string) => (await t.json<{ cips: EmulatorCip[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`)).body.cips;
  const stored = (id: string) => t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
  const simulated = async (id: string) =>
    (await t.json<{ paymentSessions: SimSession[] }>("GET", "/sandbox/shopify/payment-sessions")).body.paymentSessions.find((s) => s.id === id);
  /** The CIP the buyer page shows (or what it shows instead). */
  const cipOnPage = async (url: string | null) => {
    const html = await (await fetch(url ?? "")).text();
    return /data-testid="cip"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, "") ?? `none (${/data-state="([^"]+)"/.exec(html)?.[1] ?? "?"})`;
  };
  const advance = (seconds: number) => t.json("POST", "/sandbox/clock", { advanceSeconds: seconds });

  /** A checkout whose CIP PagoEfectivo creates while the database refuses the write that records it. */
  async function checkoutDuringOutage(amount: string): Promise<{ id: string; cip: string }> {
    down = true;
    const first = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount, currency: "PEN", test: false });
    expect(first.body.status, JSON.stringify(first.body)).toBe(503);
    const created = await cipsFor(first.body.id);
    expect(created).toHaveLength(1);
    expect(await stored(first.body.id)).toMatchObject({ cip: null });
    return { id: first.body.id, cip: created[0]?.cip ?? "" };
  }

  it("records the CIP once the database is back, so a payment whose notification is lost is still found", async () => {
    const { id, cip } = await checkoutDuringOutage("61.00");
    down = false;

    // Nobody asks again (no resend yet): the kept CIP is written as soon as the database takes it.
    await eventually(async () => (await stored(id)).cip === cip, 10_000);
    expect(await stored(id)).toMatchObject({ state: "pending", cip, issuingUntil: null });
    const issued = await t.app.db.prisma.paymentEvent.findFirst({ where: { paymentSessionId: id, type: "cip_issued" } });
    expect(JSON.parse(issued?.detailJson ?? "{}")).toMatchObject({ cip, recordedAfterDatabaseOutage: true });

    // Shopify's resend gets the page with that CIP; no second one was asked for.
    const resent = await t.json<Checkout>("POST", `/sandbox/shopify/checkouts/${id}/resend`);
    expect(resent.body.status, JSON.stringify(resent.body)).toBe(201);
    expect(await cipOnPage(resent.body.redirect_url)).toBe(cip);
    expect(await cipsFor(id)).toHaveLength(1);

    // The buyer pays and both notification deliveries are lost: polling finds the payment by the CIP number.
    await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "drop_notification", count: 2 });
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {})).status).toBe(200);
    await advance(600);
    await t.app.services.poller.runNow();
    expect(await stored(id)).toMatchObject({ state: "paid", paidVia: "polling" });
    await eventually(async () => (await simulated(id))?.state === "resolved");
    expect((await simulated(id))?.mutations.filter((m) => m.name === "paymentSessionReject")).toEqual([]);
  });

  it("gives the session its CIP, not an unconfirmed creation, when its lease ran out during the outage", async () => {
    const { id, cip } = await checkoutDuringOutage("62.00");
    // The outage outlasts the issuing lease (measured on the database's real clock).
    await t.app.db.prisma.paymentSession.update({ where: { id }, data: { issuingUntil: new Date(Date.now() - 1000) } });
    await advance(120);
    down = false;

    const resent = await t.json<Checkout>("POST", `/sandbox/shopify/checkouts/${id}/resend`);
    expect(resent.body.status, JSON.stringify(resent.body)).toBe(201);
    expect(await cipOnPage(resent.body.redirect_url)).toBe(cip);
    expect(await stored(id)).toMatchObject({ state: "pending", cip });
    expect(await t.app.db.prisma.paymentEvent.count({ where: { paymentSessionId: id, type: "cip_creation_ambiguous" } })).toBe(0);
    expect(await cipsFor(id)).toHaveLength(1);
  });
});
