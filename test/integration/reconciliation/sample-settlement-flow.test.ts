import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { checkoutAndPay, type ImportView, listExceptions, uploadRaw, waitForImport } from "../../helpers/reconciliation-helpers";
import type { TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

/** What a person does after `npm start`: download the sample file, import it, see the exceptions and the report. */
describe("the sandbox's sample settlement file", () => {
  let t: TestApp;
  let api: AdminApi;
  let csv = "";
  let planted: string[] = [];

  beforeAll(async () => {
    // The background poller and daily run stay off: the sandbox clock route runs the poller when the test moves time.
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    api = (await signIn(t, DEMO_SHOP, "login")).api;
    for (const [amount, channel] of [
      ["150.00", "agente"],
      ["80.50", "banca_movil"],
      ["45.90", "bodega"],
      ["99.00", "billetera"],
    ] as const) {
      await checkoutAndPay(t, DEMO_SHOP, amount, "PEN", channel);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("sets up the sample mapping, fee schedule and payout cycle once", async () => {
    const first = await api.post<{ configured: Record<string, boolean> }>("/api/settlements/sample/setup");
    expect(first.body.configured).toEqual({ mapping: true, feeSchedule: true, payoutCycle: true });
    const second = await api.post<{ configured: Record<string, boolean> }>("/api/settlements/sample/setup");
    expect(second.body.configured).toEqual({ mapping: false, feeSchedule: false, payoutCycle: false });
  });

  it("downloads a file built from the paid CIPs and the emulator's channels, with planted anomalies", async () => {
    const response = await api.raw("/api/settlements/sample.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="pagoefectivo-liquidacion-ejemplo-/);
    planted = (response.headers.get("x-planted-anomalies") ?? "").split(",").filter(Boolean);
    expect(planted.map((p) => p.split(":")[0]).sort()).toEqual(["commission_mismatch", "settlement_amount_mismatch", "settlement_duplicate", "settlement_unknown_cip"]);
    csv = await response.text();
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Código CIP;Monto;Moneda;Fecha de pago;Canal;Comisión;Neto;Fecha de abono;Nro. operación");
    // 4 payments, one of them twice, and the unknown CIP.
    expect(lines).toHaveLength(7);
    expect(csv).toContain(";Agente;");
    expect(csv).toContain(";Banca móvil;");
  });

  it("imports it and finds exactly the planted anomalies", async () => {
    const started = await uploadRaw(api, "/api/settlements/imports", csv, { fileName: "liquidacion-ejemplo.csv" });
    expect(started.status).toBe(202);
    const finished = await waitForImport(api, (started.body as { import: ImportView }).import.id);
    expect(finished).toMatchObject({ status: "done", goodRows: 6, badRows: 0 });
    const { items } = await listExceptions(api);
    expect(items.map((e) => `${e.kind}:${e.cip}`).sort()).toEqual([...planted].sort());
  });

  it("reports and exports what was imported", async () => {
    const report = await api.get<{ totals: { PEN: { count: number } } }>("/api/reports/settlements?granularity=month");
    expect(report.body.totals.PEN.count).toBe(6);
    const exported = await api.raw("/api/reports/settlements/export.csv?granularity=day");
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain("RUC: ");
    const exceptions = await api.raw("/api/reconciliation/exceptions/export.csv");
    // Kinds are written in the shop's language (Spanish by default), as the panel words them.
    const kinds = /CIP desconocido en la liquidación|Importe distinto en la liquidación|Duplicado en la liquidación/;
    expect((await exceptions.text()).split("\r\n").filter((line) => kinds.test(line)).length).toBe(3);
  });
});
