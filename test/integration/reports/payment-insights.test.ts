import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { checkout, checkoutAndPay, importFile, PORTAL_HEADER, PORTAL_MAPPING } from "../../helpers/reconciliation-helpers";
import type { TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
const at = (iso: string) => new Date(iso);

interface Insights {
  from: string;
  to: string;
  chose: number;
  withoutCode: number;
  issued: number;
  paid: number;
  paidLate: number;
  expired: number;
  pending: number;
  cancelled: number;
  paidMinor: { PEN: number; USD: number };
  timeToPay: { medianMinutes: number | null; p90Minutes: number | null; buckets: { bucket: string; count: number }[] };
  channels: { channel: string | null; paid: number }[];
  hours: { hour: number; issued: number; paidOfIssued: number; paidAtHour: number }[];
}

/**
 * The payments insight report over real checkouts and payments (simulator and emulator), whose instants are
 * then set by hand to known Lima times so every figure can be worked out below. Lima is UTC-5.
 */
describe("payments insight report", () => {
  let t: TestApp;
  let api: AdminApi;

  beforeAll(async () => {
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
    const db = t.app.db.prisma;
    const s1 = await checkoutAndPay(t, DEMO_SHOP, "100.00");
    const s2 = await checkoutAndPay(t, DEMO_SHOP, "50.00");
    const s3 = await checkoutAndPay(t, DEMO_SHOP, "20.00");
    const s4 = await checkout(t, DEMO_SHOP, "30.00");
    const s5 = await checkout(t, DEMO_SHOP, "40.00");
    const s6 = await checkout(t, DEMO_SHOP, "60.00");
    const s7 = await checkoutAndPay(t, DEMO_SHOP, "70.00");
    const set = (id: string, data: Record<string, unknown>) => db.paymentSession.update({ where: { id }, data });
    // s1: issued Mon 10 Mar 09:00 Lima, paid 09:30 (30 min).
    await set(s1.id, { createdAt: at("2025-03-10T14:00:00Z"), cipIssuedAt: at("2025-03-10T14:00:00Z"), cipExpiresAt: at("2025-03-12T14:00:00Z"), paidAt: at("2025-03-10T14:30:00Z") });
    // s2: issued 10 Mar 20:00 Lima (already 11 Mar in UTC), paid 11 Mar 08:00 Lima (12 h).
    await set(s2.id, { createdAt: at("2025-03-11T01:00:00Z"), cipIssuedAt: at("2025-03-11T01:00:00Z"), cipExpiresAt: at("2025-03-13T01:00:00Z"), paidAt: at("2025-03-11T13:00:00Z") });
    // s3: issued 11 Mar 10:00 Lima, expired 13 Mar 10:00, paid 13 Mar 12:00 Lima (50 h, after the expiry).
    await set(s3.id, { createdAt: at("2025-03-11T15:00:00Z"), cipIssuedAt: at("2025-03-11T15:00:00Z"), cipExpiresAt: at("2025-03-13T15:00:00Z"), paidAt: at("2025-03-13T17:00:00Z") });
    // s4: issued 12 Mar 10:00 Lima and left to expire.
    await set(s4.id, { state: "expired", createdAt: at("2025-03-12T15:00:00Z"), cipIssuedAt: at("2025-03-12T15:00:00Z"), cipExpiresAt: at("2025-03-14T15:00:00Z") });
    // s5: issued 31 Mar 23:00 Lima (1 Apr in UTC): still in March for Lima, still pending.
    await set(s5.id, { createdAt: at("2025-04-01T04:00:00Z"), cipIssuedAt: at("2025-04-01T04:00:00Z"), cipExpiresAt: at("2025-04-03T04:00:00Z") });
    // s6: the shopper never gave a phone, so no CIP was issued.
    await set(s6.id, { state: "awaiting_phone", cip: null, cipIssuedAt: null, cipExpiresAt: null, createdAt: at("2025-03-15T15:00:00Z") });
    // s7: 1 April 00:30 Lima, outside the period.
    await set(s7.id, { createdAt: at("2025-04-01T05:30:00Z"), cipIssuedAt: at("2025-04-01T05:30:00Z"), paidAt: at("2025-04-01T06:00:00Z") });
    // Only s1 is in a settlement file, paid at an agent: the only channel the data knows.
    expect((await api.put("/api/settlements/mapping", PORTAL_MAPPING)).status).toBe(200);
    const file = [PORTAL_HEADER, `${s1.cip};100.00;PEN;2025-03-10 09:30:00;Agente;3.00;97.00;2025-03-13;1`].join("\n");
    expect((await importFile(api, file, "liquidacion.csv")).finished).toMatchObject({ status: "done", goodRows: 1 });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const insights = async (query: string) => {
    const response = await api.get<Insights>(`/api/reports/payment-insights?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  it("counts who paid, let the code expire or can still pay, over Lima days", async () => {
    const march = await insights("from=2025-03-01&to=2025-03-31");
    expect(march).toMatchObject({ from: "2025-03-01", to: "2025-03-31", chose: 6, withoutCode: 1, issued: 5, paid: 3, paidLate: 1, expired: 1, pending: 1, cancelled: 0 });
    expect(march.paid + march.expired + march.pending + march.cancelled + march.withoutCode).toBe(march.chose);
    expect(march.paidMinor).toEqual({ PEN: 17000, USD: 0 });
  });

  it("gives the median and spread of the time from CIP to payment", async () => {
    const march = await insights("from=2025-03-01&to=2025-03-31");
    // 30, 720 and 3000 minutes: median 720; p90 = 720 + 0.8 × (3000 − 720) = 2544.
    expect(march.timeToPay.medianMinutes).toBe(720);
    expect(march.timeToPay.p90Minutes).toBe(2544);
    expect(march.timeToPay.buckets).toEqual([
      { bucket: "under_1h", count: 1 },
      { bucket: "1h_6h", count: 0 },
      { bucket: "6h_24h", count: 1 },
      { bucket: "24h_48h", count: 0 },
      { bucket: "48h_72h", count: 1 },
      { bucket: "over_72h", count: 0 },
    ]);
  });

  it("says the channel only where a settlement file does, and counts by Lima hour", async () => {
    const march = await insights("from=2025-03-01&to=2025-03-31");
    expect(march.channels).toEqual([
      { channel: "Agente", paid: 1 },
      { channel: null, paid: 2 },
    ]);
    const hours = Object.fromEntries(march.hours.filter((h) => h.issued + h.paidAtHour > 0).map((h) => [h.hour, [h.issued, h.paidOfIssued, h.paidAtHour]]));
    expect(hours).toEqual({ 8: [0, 0, 1], 9: [1, 1, 1], 10: [2, 1, 0], 12: [0, 0, 1], 20: [1, 1, 0], 23: [1, 0, 0] });
  });

  it("narrows the period and refuses a bad one", async () => {
    const tenth = await insights("from=2025-03-10&to=2025-03-10");
    expect(tenth).toMatchObject({ chose: 2, paid: 2 });
    expect((await api.get("/api/reports/payment-insights?from=2025-03-31&to=2025-03-01")).status).toBe(400);
    expect((await api.get("/api/reports/payment-insights?from=2024-01-01&to=2025-03-01")).status).toBe(400);
    expect((await api.get("/api/reports/payment-insights?from=yesterday")).status).toBe(400);
    // Without dates: the last 30 Lima days of the app's clock (none of the sessions above).
    const recent = await insights("");
    expect(recent.chose).toBe(0);
    expect(recent.timeToPay.medianMinutes).toBeNull();
  });

  it("exports CSV in the merchant's language", async () => {
    const spanish = await csv();
    expect(spanish[2]?.[0]).toBe("Reporte: Análisis de pagos con PagoEfectivo");
    expect(spanish[3]?.[0]).toBe("Periodo: 2025-03-01 – 2025-03-31");
    expect(spanish).toContainEqual(["Eligieron PagoEfectivo", "6", "100.0"]);
    expect(spanish).toContainEqual(["Pagaron", "3", "50.0"]);
    expect(spanish).toContainEqual(["Dejaron vencer el código", "1", "16.7"]);
    expect(spanish).toContainEqual(["Mediana del tiempo hasta el pago (minutos)", "720", ""]);
    expect(spanish).toContainEqual(["Agente", "1", "33.3"]);
    expect(spanish.some((row) => row[0]?.startsWith("Canal desconocido") && row[1] === "2")).toBe(true);
    expect(spanish).toContainEqual(["09:00", "1", "1", "100.0", "1"]);

    expect((await api.put("/api/settings", { locale: "en" })).status).toBe(200);
    const english = await csv();
    expect(english[2]?.[0]).toBe("Report: PagoEfectivo payments insight");
    expect(english).toContainEqual(["Let the code expire", "1", "16.7"]);
    expect(english).toContainEqual(["Hour (Lima)", "Codes issued", "Of those, paid", "% paid", "Payments made in that hour"]);
    expect((await api.put("/api/settings", { locale: "es" })).status).toBe(200);
  });

  async function csv(): Promise<string[][]> {
    const response = await api.raw("/api/reports/payment-insights/export.csv?from=2025-03-01&to=2025-03-31");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="pagoefectivo-insights-2025-03-01-2025-03-31.csv"');
    return parse((await response.text()).replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  }
});
