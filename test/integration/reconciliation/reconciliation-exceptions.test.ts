import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import {
  checkout,
  checkoutAndPay,
  type ExceptionView,
  importFile,
  listExceptions,
  pay,
  PORTAL_HEADER,
  PORTAL_MAPPING,
  runReconciliation,
  waitPaid,
} from "../../helpers/reconciliation-helpers";
import { eventually, type TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
const UNKNOWN_CIP = "99000123";

interface EmulatorCip {
  payments: { operationNumber: string; paidAt: string; amount: string; channel: string }[];
}

/** Every kind of exception the sandbox can provoke, found by the notification handler, the poller or a run. */
describe("reconciliation exceptions", () => {
  let t: TestApp;
  let api: AdminApi;
  const p: Record<string, { id: string; cip: string }> = {};
  const cipOf = (role: string) => p[role]?.cip ?? "";
  /** Exceptions after the first full run. */
  let total = 0;

  const advance = async (seconds: number) => expect((await t.json("POST", "/sandbox/clock", { advanceSeconds: seconds })).status).toBe(200);
  const simState = async (id: string) => (await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body.state;
  const exceptionOf = async (kind: string, cip: string) =>
    eventually(async () => (await t.app.db.prisma.reconciliationException.findFirst({ where: { kind, cip } })) ?? null);

  /** The settlement line PagoEfectivo would report for each payment of a CIP: 2 % commission, as the schedule says. */
  async function linesFor(cip: string, adjust: { amountMinor?: number; commissionMinor?: number; times?: number } = {}): Promise<string[]> {
    const view = await t.json<EmulatorCip>("GET", `/sandbox/pagoefectivo/cips/${cip}`);
    const lines: string[] = [];
    for (const payment of view.body.payments) {
      const amount = Math.round(Number(payment.amount) * 100) + (adjust.amountMinor ?? 0);
      const commission = Math.floor((amount * 200 + 5_000) / 10_000) + (adjust.commissionMinor ?? 0);
      const lima = new Date(Date.parse(payment.paidAt) - 5 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
      const line = [cip, money(amount), "PEN", lima, payment.channel === "agente" ? "Agente" : "Banca móvil", money(commission), money(amount - commission), lima.slice(0, 10), payment.operationNumber].join(";");
      for (let i = 0; i < (adjust.times ?? 1); i += 1) lines.push(line);
    }
    return lines;
  }

  beforeAll(async () => {
    // The background poller and daily run stay off: the sandbox clock route runs the poller when the test moves time.
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
    expect((await api.put("/api/settings", { legalName: "Bodega Don Pepe S.A.C.", ruc: "20100070970" })).status).toBe(200);
    expect((await api.put("/api/settlements/mapping", PORTAL_MAPPING)).status).toBe(200);
    expect((await api.post("/api/settlements/fee-schedule", { currency: "PEN", channel: "*", percentBps: 200, fixedMinor: 0, effectiveFrom: "2020-01-01" })).status).toBe(201);
    expect((await api.put("/api/settlements/payout-cycle", { daysByChannel: { Agente: 2 }, defaultDays: 1 })).status).toBe(200);

    // Paid after expiry: the CIP expires (48 h), the session is rejected, then the buyer pays anyway.
    p.expired = await checkout(t, DEMO_SHOP, "80.00");
    await advance(49 * 3600);
    await eventually(async () => (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: p.expired?.id ?? "" } })).state === "expired");
    await pay(t, p.expired);
    await exceptionOf("paid_after_expiry", p.expired.cip);

    for (const [role, amount] of [["clean", "100.00"], ["missing", "120.00"], ["short", "150.00"], ["doubled", "60.00"], ["commission", "200.00"]] as const) {
      p[role] = await checkoutAndPay(t, DEMO_SHOP, amount, "PEN", role === "clean" ? "agente" : "banca_movil");
    }

    // Paid twice: a second payment of the same CIP.
    p.twice = await checkoutAndPay(t, DEMO_SHOP, "50.00");
    await eventually(async () => (await simState(p.twice?.id ?? "")) === "resolved");
    await pay(t, p.twice, { repeat: true });
    await exceptionOf("paid_twice", p.twice.cip);

    // Wrong amount: flagged, not accepted.
    p.wrongAmount = await checkout(t, DEMO_SHOP, "100.00");
    await pay(t, p.wrongAmount, { amount: "99.00" });
    await exceptionOf("amount_mismatch", p.wrongAmount.cip);

    // The notification never arrives (dropped): the poller finds the payment.
    p.silent = await checkout(t, DEMO_SHOP, "70.00");
    expect((await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "drop_notification", count: 1 })).status).toBe(201);
    await pay(t, p.silent);
    await advance(301);
    await waitPaid(t, p.silent.id);
    await exceptionOf("notification_missing", p.silent.cip);

    // Shopify never confirms this one: its order stays pending.
    p.stuck = await checkout(t, DEMO_SHOP, "90.00");
    await eventually(async () => (await simState(p.stuck?.id ?? "")) === "pending");
    expect((await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 1000, api: "payments" })).status).toBe(201);
    await pay(t, p.stuck);
    await waitPaid(t, p.stuck.id);

    const file = [
      PORTAL_HEADER,
      ...(await linesFor(cipOf("clean"))),
      ...(await linesFor(cipOf("short"), { amountMinor: -100 })),
      ...(await linesFor(cipOf("doubled"), { times: 2 })),
      ...(await linesFor(cipOf("commission"), { commissionMinor: 37 })),
      ...(await linesFor(cipOf("twice"))),
      ...(await linesFor(cipOf("wrongAmount"))),
      ...(await linesFor(cipOf("expired"))),
      ...(await linesFor(cipOf("silent"))),
      ...(await linesFor(cipOf("stuck"))),
      `${UNKNOWN_CIP};25.00;PEN;2025-07-01 10:00:00;Agente;0.50;24.50;2025-07-02;777001`,
    ].join("\n");
    const { finished } = await importFile(api, file, "liquidacion-sandbox.csv");
    expect(finished).toMatchObject({ status: "done", badRows: 0, goodRows: 12 });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const kindsByCip = (items: ExceptionView[]) => items.map((e) => `${e.kind}:${e.cip ?? ""}`).sort();

  it("finds each planted problem once, with evidence and a suggested action", async () => {
    // Ten days on: the unsettled payment's payout day has passed; orders are linked from the Admin API.
    await advance(10 * 24 * 3600);
    const run = await runReconciliation(api, true);
    expect(run.status, run.error ?? "").toBe("done");
    const { items } = await listExceptions(api);
    // The wrong-amount CIP is left out of the exact list: after its flagged notification, the poller sees
    // the CIP paid at PagoEfectivo (/cips/search reports the CIP's amount, not the amount paid), marks the
    // session paid and records notification_missing itself. That is the poller's rule, not reconciliation's.
    expect(kindsByCip(items.filter((e) => e.cip !== p.wrongAmount?.cip))).toEqual(
      [
        `commission_mismatch:${p.commission?.cip}`,
        `missing_from_settlement:${p.missing?.cip}`,
        `notification_missing:${p.silent?.cip}`,
        `order_pending_but_paid:${p.stuck?.cip}`,
        `paid_after_expiry:${p.expired?.cip}`,
        `paid_twice:${p.twice?.cip}`,
        `settlement_amount_mismatch:${p.short?.cip}`,
        `settlement_duplicate:${p.doubled?.cip}`,
        `settlement_unknown_cip:${UNKNOWN_CIP}`,
      ].sort(),
    );
    const wrongAmount = items.filter((e) => e.cip === p.wrongAmount?.cip).map((e) => `${e.kind}/${e.source}`);
    expect(wrongAmount).toEqual(expect.arrayContaining(["amount_mismatch/notification", "settlement_amount_mismatch/settlement"]));
    total = items.length;
    const byKind = (kind: string) => items.find((e) => e.kind === kind);
    expect(byKind("settlement_amount_mismatch")?.evidence).toBeDefined();
    const short = items.find((e) => e.kind === "settlement_amount_mismatch" && e.cip === p.short?.cip);
    expect(short?.evidence).toMatchObject({ amountMinor: 14900, ledgerAmountMinor: 15000, differenceMinor: -100, lineNumber: 3 });
    expect(byKind("commission_mismatch")?.evidence).toMatchObject({ reportedCommissionMinor: 437, expectedCommissionMinor: 400, differenceMinor: 37 });
    expect(byKind("missing_from_settlement")?.evidence).toMatchObject({ amountMinor: 12000, currency: "PEN", linesFound: 0 });
    expect(byKind("order_pending_but_paid")?.evidence).toMatchObject({ orderFinancialStatus: "PENDING" });
    expect(byKind("settlement_unknown_cip")?.suggestedAction.es).toContain("no generó");
    for (const e of items) expect(e.suggestedAction.en.length).toBeGreaterThan(20);
    // Orders were linked from the Admin GraphQL API: the panel shows them next to the CIP.
    expect(byKind("commission_mismatch")).toMatchObject({ orderName: expect.stringMatching(/^#\d+$/), orderFinancialStatus: "paid" });
    expect(byKind("order_pending_but_paid")).toMatchObject({ orderName: expect.stringMatching(/^#\d+$/), orderFinancialStatus: "pending" });
    const linked = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: p.clean?.id ?? "" } });
    expect(linked.orderId).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    // The lines carry their status.
    const doubled = await t.app.db.prisma.settlementLine.findMany({ where: { cip: p.doubled?.cip ?? "" }, orderBy: { lineNumber: "asc" } });
    expect(doubled.map((l) => l.status)).toEqual(["matched", "duplicate"]);
  });

  it("words an exception stored before a rewording the way the panel words it today", async () => {
    const stored = await exceptionOf("settlement_unknown_cip", UNKNOWN_CIP);
    await t.app.db.prisma.reconciliationException.update({
      where: { id: stored.id },
      data: { suggestedActionEs: "Verifique si pertenece a otro servicio y consulte a PagoEfectivo.", suggestedActionEn: "Old wording." },
    });
    const shown = (await listExceptions(api)).items.find((e) => e.id === stored.id);
    expect(shown?.suggestedAction.es).toContain("no generó");
    expect(shown?.suggestedAction.es).not.toContain("Verifique");
    const csv = await (await api.raw("/api/reconciliation/exceptions/export.csv")).text();
    expect(csv).toContain("no generó");
    expect(csv).not.toContain("Verifique si pertenece");
  });

  it("never repeats an exception on later runs", async () => {
    const before = (await listExceptions(api)).total;
    const run = await runReconciliation(api, false);
    expect(run.status).toBe("done");
    expect((run.stats.newExceptions as Record<string, number>) ?? {}).toEqual({});
    expect((await listExceptions(api)).total).toBe(before);
  });

  it("filters by kind and status, and pages", async () => {
    const unknown = await listExceptions(api, "kind=settlement_unknown_cip,settlement_duplicate");
    expect(unknown.items.map((e) => e.kind).sort()).toEqual(["settlement_duplicate", "settlement_unknown_cip"]);
    const page1 = await api.get<{ items: ExceptionView[]; total: number }>("/api/reconciliation/exceptions?pageSize=4");
    const page2 = await api.get<{ items: ExceptionView[]; total: number }>("/api/reconciliation/exceptions?pageSize=4&page=2");
    const last = await api.get<{ items: ExceptionView[]; total: number }>(`/api/reconciliation/exceptions?pageSize=4&page=${Math.ceil(total / 4)}`);
    expect(page1.body.items).toHaveLength(4);
    expect(page1.body.total).toBe(total);
    expect(last.body.items).toHaveLength(total - 4 * (Math.ceil(total / 4) - 1));
    expect(new Set([...page1.body.items, ...page2.body.items].map((e) => e.id)).size).toBe(8);
    expect((await api.get("/api/reconciliation/exceptions?status=closed")).status).toBe(400);
    expect((await api.get("/api/reconciliation/exceptions?kind=DROP%20TABLE")).status).toBe(400);
  });

  it("resolves an exception with a note and keeps its history; a run does not reopen it", async () => {
    const target = (await listExceptions(api, "kind=settlement_unknown_cip")).items[0];
    expect(target).toBeDefined();
    expect((await api.post(`/api/reconciliation/exceptions/${target?.id}/resolve`, { note: "" })).status).toBe(400);
    const resolved = await api.post<ExceptionView>(`/api/reconciliation/exceptions/${target?.id}/resolve`, { note: "Pertenece a otra tienda; PagoEfectivo lo corrige en la próxima liquidación." });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: "resolved", resolutionNote: expect.stringContaining("otra tienda"), resolvedBy: expect.any(String) });
    expect(resolved.body.history.map((h) => h.action)).toEqual(["detected", "resolved"]);
    expect((await api.post(`/api/reconciliation/exceptions/${target?.id}/resolve`, { note: "otra vez" })).status).toBe(409);

    await runReconciliation(api, false);
    const after = await api.get<ExceptionView>(`/api/reconciliation/exceptions/${target?.id}`);
    expect(after.body.status).toBe("resolved");
    expect((await listExceptions(api, "status=open")).total).toBe(total - 1);
    expect((await listExceptions(api, "status=resolved")).items.map((e) => e.id)).toEqual([target?.id]);
  });

  it("resolves a state exception by itself once the problem is gone, with the run in its history", async () => {
    // The missing payment arrives in a later settlement file: the run after that import no longer finds it missing.
    const { finished } = await importFile(api, [PORTAL_HEADER, ...(await linesFor(p.missing?.cip ?? ""))].join("\n"), "liquidacion-complemento.csv");
    expect(finished).toMatchObject({ status: "done", goodRows: 1 });
    const missing = (await listExceptions(api, "kind=missing_from_settlement")).items[0];
    expect(missing).toMatchObject({ status: "resolved", resolvedBy: "reconciliation" });
    expect(missing?.history.map((h) => h.action)).toEqual(["detected", "auto_resolved"]);
    expect((await t.app.db.prisma.settlementLine.findFirstOrThrow({ where: { cip: p.missing?.cip ?? "" } })).status).toBe("matched");
  });

  it("shows the reconciliation status at a glance", async () => {
    const summary = await api.get<{ lastRun: { status: string }; exceptions: { open: number; resolved: number; openByKind: Record<string, number> }; lines: Record<string, number>; imports: { total: number } }>(
      "/api/reconciliation/summary",
    );
    expect(summary.status).toBe(200);
    expect(summary.body.lastRun.status).toBe("done");
    expect(summary.body.exceptions).toMatchObject({ open: total - 2, resolved: 2 });
    expect(summary.body.exceptions.openByKind["settlement_duplicate"]).toBe(1);
    expect(summary.body.lines).toMatchObject({ matched: 9, duplicate: 1, unknown: 1, amount_mismatch: 2 });
    expect(summary.body.imports.total).toBe(2);
    const runs = await api.get<{ items: { trigger: string; status: string }[] }>("/api/reconciliation/runs");
    expect(runs.body.items.map((r) => r.trigger)).toContain("import");
  });

  it("queues one run for a double click on 'Run reconciliation now', and shows it as the active run", async () => {
    const before = (await api.get<{ total: number }>("/api/reconciliation/runs")).body.total;
    // The shop's work queue is held busy (as by an import in progress) while both requests arrive, so the first
    // run is still queued when the second is handled: without the dedupe, the second would queue a second run.
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    let release = () => undefined as void;
    const held = t.app.services.reconciliation.queue.run(shop.id, () => new Promise<void>((resolve) => (release = resolve)));
    const [first, second] = await Promise.all([
      api.post<{ run: { id: string; status: string }; alreadyQueued: boolean }>("/api/reconciliation/runs", { linkOrders: false }),
      api.post<{ run: { id: string; status: string }; alreadyQueued: boolean }>("/api/reconciliation/runs", { linkOrders: false }),
    ]);
    // A third click after both were answered, still while the run waits its turn.
    const third = await api.post<{ run: { id: string }; alreadyQueued: boolean }>("/api/reconciliation/runs", { linkOrders: false });
    try {
      expect(first.body.run.id).toBe(second.body.run.id);
      expect([first.body.alreadyQueued, second.body.alreadyQueued].sort()).toEqual([false, true]);
      expect([first.status, second.status].sort()).toEqual([200, 202]);
      expect(third.body).toMatchObject({ run: { id: first.body.run.id }, alreadyQueued: true });
      const summary = await api.get<{ activeRun: { id: string; status: string } | null }>("/api/reconciliation/summary");
      expect(summary.body.activeRun).toMatchObject({ id: first.body.run.id, status: "queued" });
    } finally {
      release();
      await held;
    }
    await eventually(async () => (await api.get<{ status: string }>(`/api/reconciliation/runs/${first.body.run.id}`)).body.status === "done", 20_000);
    expect((await api.get<{ total: number }>("/api/reconciliation/runs")).body.total).toBe(before + 1);
    expect((await api.get<{ activeRun: unknown }>("/api/reconciliation/summary")).body.activeRun).toBeNull();

    // Once it is done, the button queues a new run.
    const next = await api.post<{ run: { id: string }; alreadyQueued: boolean }>("/api/reconciliation/runs", { linkOrders: false });
    expect(next.body).toMatchObject({ alreadyQueued: false });
    expect(next.body.run.id).not.toBe(first.body.run.id);
    await eventually(async () => (await api.get<{ status: string }>(`/api/reconciliation/runs/${next.body.run.id}`)).body.status === "done", 20_000);
  });
});

function money(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}
