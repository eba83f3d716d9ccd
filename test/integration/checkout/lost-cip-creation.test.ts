import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eventually, startTestApp, type TestApp } from "../../helpers/test-app";

interface Checkout {
  id: string;
  status: number;
  redirect_url: string | null;
}
interface SimSession {
  state: string;
  mutations: Array<{ name: string; result: string; variables: Record<string, unknown> }>;
}
interface EmulatorCip {
  cip: string;
  status: string;
}

/**
 * A CIP created at PagoEfectivo whose answer was lost (the emulator applies the creation, then answers 502) has
 * been e-mailed to the buyer (DOC §5.1.2), so it can be paid. The app never asks for a second CIP for that session,
 * and links a payment of the unknown CIP to it when exactly one lost creation of the shop matches.
 */
describe("lost CIP creation (real servers, emulator fault apply-then-fail)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const checkout = async (amount: string) => {
    const r = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount, currency: "PEN", test: false });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const loseNextCreation = () =>
    t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "error5xx", status: 502, count: 1, paths: ["cips"], apply: true });
  const simSession = async (id: string) => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body;
  const cipsFor = async (id: string) => (await t.json<{ cips: EmulatorCip[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`)).body.cips;
  const stored = (id: string) => t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
  const events = async (id: string) =>
    (await t.app.db.prisma.paymentEvent.findMany({ where: { paymentSessionId: id }, orderBy: { at: "asc" } })).map((e) => e.type);

  it("keeps the lost creation, never creates a second CIP, and links the e-mailed CIP's payment once", async () => {
    await loseNextCreation();
    const c = await checkout("150.00");
    const [lost, ...others] = await cipsFor(c.id);
    expect(lost, "the emulator created the CIP before failing its answer").toBeDefined();
    expect(others).toEqual([]);

    const row = await stored(c.id);
    expect(row).toMatchObject({ state: "pending", cip: null });
    expect(row.cipExpiresAt).toBeInstanceOf(Date);
    expect(await events(c.id)).toContain("cip_creation_ambiguous");

    // The buyer page says to look for PagoEfectivo's e-mail, and opening it again creates nothing.
    for (let i = 0; i < 2; i++) {
      const page = await (await fetch(c.redirect_url ?? "")).text();
      expect(page).toContain('data-state="pending"');
      expect(page).toContain("Revisa tu correo");
    }
    expect(await cipsFor(c.id)).toHaveLength(1);
    await eventually(async () => (await simSession(c.id)).state === "pending");

    // The buyer pays the e-mailed CIP; the notification carries only DOC §5.2's fields.
    await t.json("POST", `/sandbox/pagoefectivo/cips/${lost?.cip}/pay`, {});
    await eventually(async () => (await simSession(c.id)).state === "resolved");
    const paid = await stored(c.id);
    expect(paid).toMatchObject({ state: "paid", cip: lost?.cip, paidAmountMinor: 15000 });
    expect(await events(c.id)).toContain("cip_linked_after_lost_creation");

    // A replay changes nothing: one resolution.
    await t.json("POST", `/sandbox/pagoefectivo/cips/${lost?.cip}/notify`, {});
    expect(await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: c.id, kind: "payment_session.resolve" } })).toBe(1);
    const linkEvent = await t.app.db.prisma.paymentEvent.findFirstOrThrow({ where: { paymentSessionId: c.id, type: "cip_linked_after_lost_creation" } });
    expect(JSON.parse(linkEvent.detailJson)).toMatchObject({ cip: lost?.cip, candidates: [expect.objectContaining({ paymentSessionId: c.id, insideLifetime: true })] });
  });

  it("leaves a payment that matches two lost creations to the merchant, listing both", async () => {
    await loseNextCreation();
    const first = await checkout("77.00");
    await loseNextCreation();
    const second = await checkout("77.00");
    const [cip] = await cipsFor(first.id);
    await t.json("POST", `/sandbox/pagoefectivo/cips/${cip?.cip}/pay`, {});
    const exception = await eventually(() =>
      t.app.db.prisma.reconciliationException.findFirst({ where: { cip: cip?.cip, kind: "notification_unknown_cip" } }),
    );
    const evidence = JSON.parse(exception.evidenceJson) as { lostCreationCandidates: Array<{ paymentSessionId: string }> };
    expect(evidence.lostCreationCandidates.map((c) => c.paymentSessionId).sort()).toEqual([first.id, second.id].sort());
    expect((await stored(first.id)).state).toBe("pending");
    expect((await stored(second.id)).state).toBe("pending");
  });

  it("expires a lost creation nobody paid once its asked-for lifetime has passed", async () => {
    await loseNextCreation();
    const c = await checkout("33.00");
    await t.json("POST", "/sandbox/clock", { advanceSeconds: 49 * 3600 });
    await eventually(async () => (await simSession(c.id)).state === "rejected");
    expect((await stored(c.id)).state).toBe("expired");
    expect(await cipsFor(c.id)).toHaveLength(1);
  });
});

/**
 * An instance that dies between PagoEfectivo creating the CIP and storing it leaves the session with an issuing
 * lease and no CIP (seen in the two-instance test: a SIGKILL mid-creation). PagoEfectivo has e-mailed the CIP, so
 * its payment arrives for a CIP the app does not know: it is linked to the session whose creation was under way.
 * Here the creation's answer is held (emulator fault timeout, applied) while the buyer pays.
 */
describe("CIP paid while its creation is still under way or was cut short (issuing lease held, no CIP stored)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { PAGOEFECTIVO_TIMEOUT_MS: "4000" } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("links the payment to the session whose creation holds the lease, once", async () => {
    await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "timeout", count: 1, paths: ["cips"], apply: true });
    const answered = t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount: "61.00", currency: "PEN", test: false });
    const id = (await eventually(() => t.app.db.prisma.paymentSession.findFirst({ where: { amountMinor: 6100 } }))).id;
    const cip = await eventually(async () => (await t.json<{ cips: EmulatorCip[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`)).body.cips[0]?.cip);
    const during = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    expect(during).toMatchObject({ cip: null, cipExpiresAt: null });
    expect(during.issuingUntil).toBeInstanceOf(Date);

    await t.json("POST", `/sandbox/pagoefectivo/cips/${cip}/pay`, {});
    await eventually(async () => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.state === "resolved");
    await answered;
    const paid = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    expect(paid).toMatchObject({ state: "paid", cip, paidAmountMinor: 6100, issuingUntil: null });
    const types = (await t.app.db.prisma.paymentEvent.findMany({ where: { paymentSessionId: id } })).map((e) => e.type);
    expect(types).toContain("cip_linked_after_lost_creation");
    expect(await t.app.db.prisma.reconciliationException.count({ where: { cip, kind: "notification_unknown_cip" } })).toBe(0);
    expect(await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: id, kind: "payment_session.resolve" } })).toBe(1);
    expect((await t.json<{ cips: EmulatorCip[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`)).body.cips).toHaveLength(1);
  });
});
