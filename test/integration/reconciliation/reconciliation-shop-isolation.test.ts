import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import {
  checkoutAndPay,
  type ExceptionView,
  importFile,
  type ImportView,
  listExceptions,
  PORTAL_HEADER,
  PORTAL_MAPPING,
  runReconciliation,
} from "../../helpers/reconciliation-helpers";
import type { TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
const OTHER_SHOP = "otra-tienda-cusco.myshopify.com";

/** The same file, imported by both shops: its CIPs are unknown to both. */
const SHARED_FILE = [PORTAL_HEADER, "61000001;10.00;PEN;2025-07-01 10:00:00;Agente;0.30;9.70;2025-07-03;1", "61000002;12.00;USD;2025-07-01 10:00:00;Agente;0.30;11.70;2025-07-03;2"].join("\n");

interface ShopData {
  api: AdminApi;
  payment: string;
  importId: string;
  exceptionId: string;
  runId: string;
  feeId: string;
}

describe("shop isolation of reconciliation and settlements", () => {
  let t: TestApp;
  const shops = {} as Record<"demo" | "other", ShopData>;

  async function seed(shop: string, api: AdminApi): Promise<ShopData> {
    expect((await api.put("/api/settlements/mapping", PORTAL_MAPPING)).status).toBe(200);
    const fee = await api.post<{ id: string }>("/api/settlements/fee-schedule", { currency: "PEN", channel: "*", percentBps: 300, fixedMinor: 0, effectiveFrom: "2020-01-01" });
    // The other shop has sandbox credentials only: its checkouts are test checkouts.
    const payment = await checkoutAndPay(t, shop, shop === DEMO_SHOP ? "33.00" : "44.00", "PEN", "agente", shop !== DEMO_SHOP);
    const { finished } = await importFile(api, `${SHARED_FILE}\n${payment.cip};${shop === DEMO_SHOP ? "33.00" : "44.00"};PEN;2025-07-02 10:00:00;Agente;0.01;0.99;2025-07-03;3`, "compartido.csv");
    expect(finished.status).toBe("done");
    const run = await runReconciliation(api, false);
    const exceptions = await listExceptions(api, "kind=settlement_unknown_cip");
    expect(exceptions.total).toBe(2);
    return { api, payment: payment.id, importId: finished.id, exceptionId: exceptions.items[0]?.id ?? "", runId: run.id, feeId: fee.body.id };
  }

  beforeAll(async () => {
    // The background poller and daily run stay off: the sandbox clock route runs the poller when the test moves time.
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    const demo = await signIn(t, DEMO_SHOP, "login");
    const other = await signIn(t, OTHER_SHOP, "install");
    const otherRow = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    expect(
      (
        await t.json("PUT", "/sandbox/pagoefectivo/services/7777", {
          accessKey: "AKOTRACUSCO01",
          secretKey: "otra-tienda-secret-key-123",
          notificationUrl: `${t.url}/webhooks/pagoefectivo/${otherRow.notificationKey}`,
        })
      ).status,
    ).toBe(200);
    expect((await other.api.put("/api/credentials/sandbox", { accessKey: "AKOTRACUSCO01", secretKey: "otra-tienda-secret-key-123", idService: 7777 })).status).toBe(200);
    // Shopify offers the app at checkout only once it said it is ready (paymentsAppConfigure), after a passed test.
    expect((await other.api.post("/api/credentials/sandbox/test", {})).status).toBe(200);
    expect((await other.api.post("/api/activate", {})).status).toBe(200);
    shops.demo = await seed(DEMO_SHOP, demo.api);
    shops.other = await seed(OTHER_SHOP, other.api);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("imports the same file in each shop and keeps their exceptions apart", async () => {
    for (const data of Object.values(shops)) {
      const imports = await data.api.get<{ items: ImportView[]; total: number }>("/api/settlements/imports");
      expect(imports.body.items.map((i) => i.id)).toEqual([data.importId]);
      const { items } = await listExceptions(data.api, "kind=settlement_unknown_cip");
      expect(items.map((e) => e.cip).sort()).toEqual(["61000001", "61000002"]);
    }
    // Each shop's own CIP line: its commission (0.01) is off its 3 % schedule.
    for (const data of Object.values(shops)) expect((await listExceptions(data.api, "kind=commission_mismatch")).total).toBe(1);
  });

  for (const [me, them] of [
    ["demo", "other"],
    ["other", "demo"],
  ] as const) {
    it(`${me}: every reconciliation route answers 404 for the other shop's ids and lists only its own data`, async () => {
      const { api } = shops[me];
      const theirs = shops[them];
      const notFound = async (method: string, path: string, body?: unknown) => {
        const response = await api.request<{ error: { code: string } }>(method, path, body);
        expect(response.status, `${method} ${path}`).toBe(404);
      };
      await notFound("GET", `/api/settlements/imports/${theirs.importId}`);
      await notFound("GET", `/api/reconciliation/runs/${theirs.runId}`);
      await notFound("GET", `/api/reconciliation/exceptions/${theirs.exceptionId}`);
      await notFound("POST", `/api/reconciliation/exceptions/${theirs.exceptionId}/resolve`, { note: "no es mío" });
      await notFound("PUT", `/api/settlements/fee-schedule/${theirs.feeId}`, { currency: "PEN", channel: "*", percentBps: 1, fixedMinor: 0, effectiveFrom: "2020-01-01" });
      await notFound("DELETE", `/api/settlements/fee-schedule/${theirs.feeId}`);
      await notFound("GET", `/api/payments/${theirs.payment}/evidence`);

      const fees = await api.get<{ entries: { id: string }[] }>("/api/settlements/fee-schedule");
      expect(fees.body.entries.map((e) => e.id)).toEqual([shops[me].feeId]);
      const runs = await api.get<{ items: { id: string }[] }>("/api/reconciliation/runs");
      expect(runs.body.items.map((r) => r.id)).not.toContain(theirs.runId);
      const exceptions = await listExceptions(api);
      expect(exceptions.items.map((e: ExceptionView) => e.id)).not.toContain(theirs.exceptionId);
      const report = await api.get<{ totals: { PEN: { count: number; grossMinor: number } } }>("/api/reports/settlements?granularity=month");
      expect(report.body.totals.PEN).toMatchObject({ count: 2, grossMinor: me === "demo" ? 4300 : 5400 });
      const csv = await (await api.raw("/api/reconciliation/exceptions/export.csv")).text();
      expect(csv).not.toContain(theirs.exceptionId);
      const summary = await api.get<{ lines: Record<string, number> }>("/api/reconciliation/summary");
      expect(Object.values(summary.body.lines).reduce((a, b) => a + b, 0)).toBe(3);
    });
  }

  it("needs an admin session and the CSRF header", async () => {
    const anonymous = await fetch(`${t.url}/api/reconciliation/exceptions`);
    expect(anonymous.status).toBe(401);
    const noCsrf = await shops.demo.api.request("POST", "/api/reconciliation/runs", {}, { csrf: false });
    expect(noCsrf.status).toBe(403);
    const stillOpen = await shops.other.api.get<ExceptionView>(`/api/reconciliation/exceptions/${shops.other.exceptionId}`);
    expect(stillOpen.body.status).toBe("open");
  });
});
