import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PeruBusinessCalendar } from "../../../app/domain/settlement/payout-calendar";
import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { checkoutAndPay, importFile, PORTAL_HEADER, PORTAL_MAPPING, runReconciliation } from "../../helpers/reconciliation-helpers";
import { eventually, type TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

/**
 * Six lines whose totals are worked out by hand below. Lima dates: 30 June and 1 July 2025 (Monday,
 * Tuesday: ISO week 27), Sunday 6 July 23:30 (still 6 July in Lima, 7 July in UTC), Monday 7 July (week
 * 28). "agente" groups with "Agente". One line has no commission.
 */
const REPORT_FILE = [
  PORTAL_HEADER,
  "51000001;100.00;PEN;2025-06-30 10:00:00;Agente;3.00;97.00;2025-07-03;1",
  "51000002;50.00;PEN;2025-06-30 18:00:00;Banca móvil;1.25;48.75;2025-07-02;2",
  "51000003;200.00;PEN;2025-07-01 09:00:00;Agente;6.00;194.00;2025-07-04;3",
  "51000004;40.00;USD;2025-07-01 09:30:00;Agente;1.20;38.80;2025-07-04;4",
  "51000005;10.00;PEN;2025-07-06 23:30:00;Bodega;;;2025-07-10;5",
  "51000006;30.00;PEN;2025-07-07 00:15:00;agente;0.90;29.10;2025-07-10;6",
].join("\n");

interface ReportRow {
  period: string | null;
  periodStart: string | null;
  channel: string | null;
  currency: string;
  count: number;
  grossMinor: number;
  commissionMinor: number;
  netMinor: number;
  linesWithoutCommission: number;
}
interface Report {
  rows: ReportRow[];
  totals: Record<"PEN" | "USD", { count: number; grossMinor: number; commissionMinor: number; netMinor: number; linesWithoutCommission: number }>;
}

describe("settlement reports, exports and evidence", () => {
  let t: TestApp;
  let api: AdminApi;

  beforeAll(async () => {
    // The background poller and daily run stay off: the sandbox clock route runs the poller when the test moves time.
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
    expect((await api.put("/api/settings", { legalName: "Comercial Andina S.A.C.", ruc: "20100070970" })).status).toBe(200);
    expect((await api.put("/api/settlements/mapping", PORTAL_MAPPING)).status).toBe(200);
    const { finished } = await importFile(api, REPORT_FILE, "reporte.csv");
    expect(finished).toMatchObject({ status: "done", goodRows: 6 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = async (query: string) => {
    const response = await api.get<Report>(`/api/reports/settlements?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const brief = (rows: ReportRow[]) => rows.map((r) => [r.period, r.channel, r.currency, r.count, r.grossMinor, r.commissionMinor, r.netMinor, r.linesWithoutCommission]);

  it("totals settlements by Lima day, channel and currency", async () => {
    const byDay = await report("granularity=day");
    expect(brief(byDay.rows)).toEqual([
      ["2025-06-30", "Agente", "PEN", 1, 10000, 300, 9700, 0],
      ["2025-06-30", "Banca móvil", "PEN", 1, 5000, 125, 4875, 0],
      ["2025-07-01", "Agente", "PEN", 1, 20000, 600, 19400, 0],
      ["2025-07-01", "Agente", "USD", 1, 4000, 120, 3880, 0],
      ["2025-07-06", "Bodega", "PEN", 1, 1000, 0, 1000, 1],
      // Grouped ignoring case and accents, shown as first spelled in the group.
      ["2025-07-07", "agente", "PEN", 1, 3000, 90, 2910, 0],
    ]);
    // PEN: 100 + 50 + 200 + 10 + 30 = 390.00; commission 3 + 1.25 + 6 + 0.90 = 11.15; net 390 - 11.15 = 378.85.
    expect(byDay.totals.PEN).toEqual({ count: 5, grossMinor: 39000, commissionMinor: 1115, netMinor: 37885, linesWithoutCommission: 1 });
    expect(byDay.totals.USD).toEqual({ count: 1, grossMinor: 4000, commissionMinor: 120, netMinor: 3880, linesWithoutCommission: 0 });
  });

  it("totals by ISO week and by month", async () => {
    const byWeek = await report("granularity=week");
    expect(brief(byWeek.rows)).toEqual([
      ["2025-W27", "Agente", "PEN", 2, 30000, 900, 29100, 0],
      ["2025-W27", "Agente", "USD", 1, 4000, 120, 3880, 0],
      ["2025-W27", "Banca móvil", "PEN", 1, 5000, 125, 4875, 0],
      ["2025-W27", "Bodega", "PEN", 1, 1000, 0, 1000, 1],
      ["2025-W28", "agente", "PEN", 1, 3000, 90, 2910, 0],
    ]);
    expect(byWeek.rows[0]?.periodStart).toBe("2025-06-30");
    const byMonth = await report("granularity=month");
    expect(brief(byMonth.rows)).toEqual([
      ["2025-06", "Agente", "PEN", 1, 10000, 300, 9700, 0],
      ["2025-06", "Banca móvil", "PEN", 1, 5000, 125, 4875, 0],
      ["2025-07", "Agente", "PEN", 2, 23000, 690, 22310, 0],
      ["2025-07", "Agente", "USD", 1, 4000, 120, 3880, 0],
      ["2025-07", "Bodega", "PEN", 1, 1000, 0, 1000, 1],
    ]);
  });

  it("filters by Lima dates, currency and payout date", async () => {
    const july = await report("granularity=day&from=2025-07-01&to=2025-07-06");
    expect(july.rows.map((r) => `${r.period}/${r.currency}`)).toEqual(["2025-07-01/PEN", "2025-07-01/USD", "2025-07-06/PEN"]);
    const usd = await report("granularity=month&currency=USD");
    expect(usd.totals).toMatchObject({ PEN: { count: 0 }, USD: { count: 1, grossMinor: 4000 } });
    const payout = await report("granularity=day&basis=payout");
    expect(payout.rows.map((r) => `${r.period}/${r.channel}/${r.currency}/${r.grossMinor}`)).toEqual([
      "2025-07-02/Banca móvil/PEN/5000",
      "2025-07-03/Agente/PEN/10000",
      "2025-07-04/Agente/PEN/20000",
      "2025-07-04/Agente/USD/4000",
      "2025-07-10/agente/PEN/3000",
      "2025-07-10/Bodega/PEN/1000",
    ]);
    expect((await api.get("/api/reports/settlements?granularity=year")).status).toBe(400);
    expect((await api.get("/api/reports/settlements?from=2025-07-10&to=2025-07-01")).status).toBe(400);
  });

  it("exports the report as CSV with the legal name and RUC, PEN and USD in separate sections", async () => {
    const response = await api.raw("/api/reports/settlements/export.csv?granularity=month");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="pagoefectivo-settlements-month-/);
    const text = await response.text();
    const records = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true }) as string[][];
    expect(records[0]).toEqual(["Razón social: Comercial Andina S.A.C."]);
    expect(records[1]).toEqual(["RUC: 20100070970"]);
    expect(records[2]?.[0]).toBe("Reporte: Liquidaciones por mes");
    const table = records.slice(5);
    expect(table[0]).toEqual(["Periodo", "Inicio del periodo", "Canal", "Moneda", "Operaciones", "Bruto", "Comisión", "Neto", "Líneas sin comisión"]);
    const totals = table.filter((r) => r[0] === "TOTAL");
    expect(totals).toEqual([
      ["TOTAL", "", "", "PEN", "5", "390.00", "11.15", "378.85", "1"],
      ["TOTAL", "", "", "USD", "1", "40.00", "1.20", "38.80", "0"],
    ]);
    // Every PEN row comes before the PEN total, every USD row after it: the sections never mix.
    const penTotal = table.findIndex((r) => r[0] === "TOTAL" && r[3] === "PEN");
    expect(table.slice(1, penTotal).every((r) => r[3] === "PEN")).toBe(true);
    expect(table.slice(penTotal + 1, -1).every((r) => r[3] === "USD")).toBe(true);
    expect(table.find((r) => r[0] === "2025-07" && r[2] === "Agente" && r[3] === "PEN")).toEqual(["2025-07", "2025-07-01", "Agente", "PEN", "2", "230.00", "6.90", "223.10", "0"]);
  });

  it("still exports without a RUC, saying it is not configured", async () => {
    expect((await api.put("/api/settings", { legalName: null, ruc: null })).status).toBe(200);
    const text = await (await api.raw("/api/reports/settlements/export.csv?granularity=day")).text();
    expect(text).toContain("RUC: (no configurado)");
    expect(text).toContain("Razón social: (no configurada)");
    expect((await api.put("/api/settings", { legalName: "Comercial Andina S.A.C.", ruc: "20100070970" })).status).toBe(200);
  });

  it("exports the exceptions list with the amounts in a PEN and a USD column", async () => {
    const run = await runReconciliation(api, false);
    expect(run.status).toBe("done");
    const response = await api.raw("/api/reconciliation/exceptions/export.csv?kind=settlement_unknown_cip");
    expect(response.status).toBe(200);
    const records = parse((await response.text()).replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true }) as string[][];
    expect(records[1]).toEqual(["RUC: 20100070970"]);
    const header = records[5] ?? [];
    expect(header).toContain("Monto PEN");
    const rows = records.slice(6);
    expect(rows).toHaveLength(6);
    const col = (name: string) => header.indexOf(name);
    const usd = rows.find((r) => r[col("CIP")] === "51000004");
    expect([usd?.[col("Moneda")], usd?.[col("Monto PEN")], usd?.[col("Monto USD")]]).toEqual(["USD", "", "40.00"]);
    const pen = rows.find((r) => r[col("CIP")] === "51000003");
    expect([pen?.[col("Moneda")], pen?.[col("Monto PEN")], pen?.[col("Monto USD")]]).toEqual(["PEN", "200.00", ""]);
    expect(JSON.parse(pen?.[col("Evidencia (JSON)")] ?? "{}")).toMatchObject({ lineNumber: 4, amountMinor: 20000 });
    // Kinds, states and sources as the panel words them; times in Lima, as a spreadsheet sorts them.
    expect([pen?.[col("Tipo")], pen?.[col("Estado")], pen?.[col("Origen")]]).toEqual(["CIP desconocido en la liquidación", "Abierta", "Liquidación"]);
    expect(pen?.[col("Detectado (hora de Lima)")]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(records[4]?.[0]).toMatch(/^Generado: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(hora de Lima\)$/);
  });

  it("shows upcoming payouts from the files' payout dates and, for paid payments not in a file, from the payout cycle", async () => {
    expect((await api.put("/api/settlements/payout-cycle", { daysByChannel: { Agente: 3 }, defaultDays: 2, cutoffHour: null })).status).toBe(200);
    expect((await api.post("/api/settlements/fee-schedule", { currency: "PEN", channel: "*", percentBps: 250, fixedMinor: 50, effectiveFrom: "2020-01-01" })).status).toBe(201);
    const paid = await checkoutAndPay(t, DEMO_SHOP, "120.00", "PEN");
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: paid.id } });
    // The session records no channel: the longest cycle (3 business days) decides, on the Peruvian calendar.
    const due = new PeruBusinessCalendar().expectedPayoutDate(session.paidAt ?? new Date(), null, { daysByChannel: {}, defaultDays: 3 });
    const dueDate = new Date(due.getTime() - 5 * 3_600_000).toISOString().slice(0, 10);
    const upcoming = await api.get<{ rows: { date: string; source: string; count: number; grossMinor: number; commissionMinor: number; netMinor: number; payoutCurrency: string }[]; totals: Record<string, { count: number }> }>(
      "/api/reports/upcoming-payouts?days=30",
    );
    expect(upcoming.status).toBe(200);
    // 2.5 % of 120.00 + 0.50 = 3.50.
    expect(upcoming.body.rows).toEqual([expect.objectContaining({ date: dueDate, source: "expected", count: 1, grossMinor: 12000, commissionMinor: 350, netMinor: 11650, payoutCurrency: "PEN" })]);
    const csv = await (await api.raw("/api/reports/upcoming-payouts/export.csv?days=30")).text();
    expect(csv).toContain("RUC: 20100070970");
    expect(csv).toContain(`${dueDate},esperado (ciclo de abono),sin canal,PEN,PEN,1,120.00,3.50,116.50,0`);
  });

  it("gives the payout cycle with the Peruvian holidays it skips, and validates it", async () => {
    const cycle = await api.get<{ defaultDays: number; daysByChannel: Record<string, number>; configured: boolean; holidays: Record<string, string[]> }>("/api/settlements/payout-cycle");
    expect(cycle.body).toMatchObject({ defaultDays: 2, daysByChannel: { Agente: 3 }, configured: true });
    const years = Object.keys(cycle.body.holidays);
    expect(cycle.body.holidays[years[0] ?? ""]).toEqual(expect.arrayContaining([`${years[0]}-07-28`, `${years[0]}-07-29`, `${years[0]}-12-25`]));
    expect((await api.put("/api/settlements/payout-cycle", { defaultDays: -1 })).status).toBe(400);
    expect((await api.put("/api/settlements/payout-cycle", { defaultDays: 2, extraClosedDays: ["2025-13-01"] })).status).toBe(400);
  });

  it("manages the fee schedule", async () => {
    const created = await api.post<{ id: string; effectiveFrom: string; percentBps: number }>("/api/settlements/fee-schedule", {
      currency: "USD",
      channel: "Agente",
      percentBps: 300,
      fixedMinor: 20,
      taxBps: 1800,
      effectiveFrom: "2025-07-01",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ effectiveFrom: "2025-07-01", percentBps: 300 });
    const updated = await api.put<{ percentBps: number }>(`/api/settlements/fee-schedule/${created.body.id}`, {
      currency: "USD",
      channel: "Agente",
      percentBps: 320,
      fixedMinor: 20,
      taxBps: null,
      effectiveFrom: "2025-07-01",
    });
    expect(updated.body.percentBps).toBe(320);
    expect((await api.post("/api/settlements/fee-schedule", { currency: "EUR", channel: "*", percentBps: 1, fixedMinor: 0, effectiveFrom: "2025-01-01" })).status).toBe(400);
    expect((await api.post("/api/settlements/fee-schedule", { currency: "PEN", channel: "*", percentBps: 2.5, fixedMinor: 0, effectiveFrom: "2025-01-01" })).status).toBe(400);
    const list = await api.get<{ entries: { id: string }[] }>("/api/settlements/fee-schedule");
    expect(list.body.entries).toHaveLength(2);
    expect((await api.request("DELETE", `/api/settlements/fee-schedule/${created.body.id}`)).status).toBe(204);
    expect((await api.request("DELETE", `/api/settlements/fee-schedule/${created.body.id}`)).status).toBe(404);
  });

  it("downloads a payment's evidence bundle: request, CIP, raw notifications with their signature check, deliveries", async () => {
    const paid = await checkoutAndPay(t, DEMO_SHOP, "75.00", "PEN");
    type Bundle = {
      payment: { id: string; amountMinor: number; state: string };
      sessionRequest: { body: { id: string; amount: string }; rawText: string };
      cip: { cip: string; operationNumber: string };
      notifications: { rawBody: { base64: string; utf8: string; sha256: string }; signature: string; signatureCheck: { valid: boolean }; outcome: string }[];
      deliveries: { kind: string; status: string; attemptLog: { outcome: string }[] }[];
      timeline: { type: string }[];
    };
    // Wait until Shopify has been told (the resolve delivery and its attempt are recorded).
    const { response, bundle } = await eventually(async () => {
      const response = await api.raw(`/api/payments/${paid.id}/evidence`);
      const bundle = (await response.json()) as Bundle;
      return bundle.deliveries.some((d) => d.kind === "payment_session.resolve" && d.status === "done" && d.attemptLog.length > 0) ? { response, bundle } : null;
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="pagoefectivo-evidence-${paid.id.replace(/[^\w-]/g, "_")}.json"`);
    expect(bundle.payment).toMatchObject({ id: paid.id, amountMinor: 7500, state: "paid" });
    expect(bundle.sessionRequest.body).toMatchObject({ id: paid.id, amount: "75.00" });
    expect(JSON.parse(bundle.sessionRequest.rawText)).toEqual(bundle.sessionRequest.body);
    expect(bundle.cip.cip).toBe(paid.cip);
    expect(bundle.notifications).toHaveLength(1);
    const notification = bundle.notifications[0];
    expect(Buffer.from(notification?.rawBody.base64 ?? "", "base64").toString("utf8")).toBe(notification?.rawBody.utf8);
    expect(JSON.parse(notification?.rawBody.utf8 ?? "{}")).toMatchObject({ eventType: "cip.paid", data: { cip: paid.cip } });
    expect(notification?.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(notification?.signatureCheck.valid).toBe(true);
    expect(bundle.deliveries.map((d) => d.kind)).toEqual(expect.arrayContaining(["payment_session.pending", "payment_session.resolve"]));
    expect(bundle.deliveries.every((d) => d.attemptLog.length > 0)).toBe(true);
    expect(bundle.timeline.map((e) => e.type)).toContain("paid");
    expect(JSON.stringify(bundle)).not.toContain("buyerToken");
    expect((await api.raw("/api/payments/no-such-payment/evidence")).status).toBe(404);
  });
});
