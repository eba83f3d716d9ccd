import { afterAll, beforeAll, describe, expect, it } from "vitest";

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

/**
 * A CIP creation whose process died (SIGKILL) or stalled while it held the issuing lease has an unknown outcome:
 * PagoEfectivo may have created the CIP and e-mailed it (DOC §5.1.2). Once the lease has run out, the next request
 * must not ask for a second CIP (issue #10: an orphan CIP at PagoEfectivo, and a buyer paying the first one while
 * the session waits for the second, ends rejected). It keeps the creation as unconfirmed, like a lost answer.
 */
describe("interrupted CIP creation (real servers)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const cipsFor = async (id: string) => (await t.json<{ cips: EmulatorCip[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`)).body.cips;
  const stored = (id: string) => t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
  const events = async (id: string) => t.app.db.prisma.paymentEvent.findMany({ where: { paymentSessionId: id }, orderBy: { at: "asc" } });
  const advance = (seconds: number) => t.json("POST", "/sandbox/clock", { advanceSeconds: seconds });

  it("never sends a creation again after its holder died with the lease", async () => {
    // PagoEfectivo refuses the first creation (a 500, not applied): the session is stored, with a phone, and no CIP.
    await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "error5xx", status: 500, count: 1, paths: ["cips"] });
    const first = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount: "41.00", currency: "PEN", test: false });
    expect(first.body.status, JSON.stringify(first.body)).toBe(503);
    const id = first.body.id;
    const before = await stored(id);
    expect(before).toMatchObject({ state: "awaiting_phone", cip: null, issuingUntil: null });

    // What a SIGKILLed creator leaves behind: its lease (taken just before sending), never released.
    // The lease ran out on the database's clock (the real one), which the sandbox clock does not move.
    const leftUntil = new Date(Date.now() - 1000);
    await t.app.db.prisma.paymentSession.update({ where: { id }, data: { issuingUntil: leftUntil } });
    await advance(120);

    // Shopify resends the session request: answered, but no second creation is sent to PagoEfectivo.
    const resent = await t.json<Checkout>("POST", `/sandbox/shopify/checkouts/${id}/resend`);
    expect(resent.body.status, JSON.stringify(resent.body)).toBe(201);
    const page = await (await fetch(resent.body.redirect_url ?? "")).text();
    expect(page).toContain('data-state="pending"');
    expect(page).toContain("Revisa tu correo");
    expect(await cipsFor(id)).toEqual([]);

    const after = await stored(id);
    expect(after).toMatchObject({ state: "pending", cip: null, issuingUntil: null });
    // A lifetime as the shop's CIPs have (48 h), from when the interruption was found.
    expect((after.cipExpiresAt?.getTime() ?? 0) - before.createdAt.getTime()).toBeGreaterThanOrEqual(48 * 3600_000 - 1000);
    const ambiguous = (await events(id)).find((e) => e.type === "cip_creation_ambiguous");
    expect(JSON.parse(ambiguous?.detailJson ?? "{}")).toMatchObject({ interrupted: true, transactionCode: id.slice(0, 36) });
  });

  it("does not double a creation still in flight when its lease runs out, and keeps the CIP it returns", async () => {
    // PagoEfectivo answers this creation 3 s late; meanwhile business (sandbox) time passes the 60 s lease.
    await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "latency", latencyMs: 3000, count: 1, paths: ["cips"] });
    const started = t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount: "42.00", currency: "PEN", test: false });
    const holding = await eventually(() => t.app.db.prisma.paymentSession.findFirst({ where: { amountMinor: 4200, issuingUntil: { not: null } } }));
    await advance(120);

    // The buyer opens the page (the request that would have taken over the lease, were it measured on business
    // time): the lease runs on the database's clock, so the creation is still under way and the page says so.
    const page = await (await fetch(`${t.url}/pay/${holding.buyerToken}`)).text();
    expect(page).toContain('data-state="issuing"');

    const answer = await started;
    expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
    const cips = await cipsFor(holding.id);
    expect(cips).toHaveLength(1);
    expect(await stored(holding.id)).toMatchObject({ state: "pending", cip: cips[0]?.cip });
  });
});
