import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { eventually, type TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";
const OTHER_SHOP = "otra-tienda-cusco.myshopify.com";

interface ShopData {
  api: AdminApi;
  payments: string[];
  paidPayment: string;
  refund: string;
  cip: string;
}

interface SimSession {
  state: string;
}

/** Two installed shops, each with payments and a refund awaiting the merchant. */
describe("shop isolation in the admin API", () => {
  let t: TestApp;
  const shops: Record<"demo" | "other", ShopData> = {} as Record<"demo" | "other", ShopData>;
  let otherCredentials: { accessKey: string; idService: number };

  async function seed(shop: string, api: AdminApi, test: boolean): Promise<ShopData> {
    const payments: string[] = [];
    for (const amount of ["120.00", "45.90"]) {
      const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop, amount, currency: "PEN", test });
      expect(answer.body.status, JSON.stringify(answer.body)).toBe(201);
      payments.push(answer.body.id);
    }
    const paidPayment = payments[0]!;
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: paidPayment } });
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${session.cip}/pay`, {})).status).toBe(200);
    await eventually(async () => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${paidPayment}`)).body.state === "resolved");
    const refund = await t.json<{ id: string; status: number }>("POST", `/sandbox/shopify/payment-sessions/${paidPayment}/refunds`, { amount: "20.00" });
    expect(refund.body.status).toBe(201);
    return { api, payments, paidPayment, refund: refund.body.id, cip: session.cip ?? "" };
  }

  beforeAll(async () => {
    t = await startAdminTestApp();
    const demo = await signIn(t, DEMO_SHOP, "login");
    const other = await signIn(t, OTHER_SHOP, "install");

    // Installed through /auth, the second shop got its own PagoEfectivo emulator services and credentials
    // (attach-sandbox.ts provisionEmulatorServices): nothing is set up by hand.
    const otherSettings = await other.api.get<{ credentials: { sandbox: { accessKey: string; idService: number; verifiedAt: string | null } | null } }>("/api/settings");
    const provisioned = otherSettings.body.credentials.sandbox!;
    expect(provisioned.verifiedAt).not.toBeNull();
    otherCredentials = provisioned;
    // Shopify offers the app at checkout only once it said it is ready (paymentsAppConfigure(ready: true)).
    expect((await other.api.post("/api/activate", {})).status).toBe(200);

    shops.demo = await seed(DEMO_SHOP, demo.api, false);
    shops.other = await seed(OTHER_SHOP, other.api, true);
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const [me, them] of [
    ["demo", "other"],
    ["other", "demo"],
  ] as const) {
    it(`${me}: the other shop's payment and refund ids answer 404 on every route`, async () => {
      const { api } = shops[me];
      const theirs = shops[them];
      for (const id of theirs.payments) {
        const response = await api.get<{ error: { code: string } }>(`/api/payments/${id}`);
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe("not_found");
      }
      expect((await api.post(`/api/refunds/${theirs.refund}/record`, { method: "cash", reference: "R-1", refundedOn: "2026-11-27" })).status).toBe(404);
      expect((await api.post(`/api/refunds/${theirs.refund}/reject`, { reason: "not mine" })).status).toBe(404);
      const refund = await t.app.db.prisma.refundSession.findUniqueOrThrow({ where: { id: theirs.refund } });
      expect(refund.state).toBe("awaiting_merchant");

      // Its own ids work, so the 404s above are about ownership, not the ids.
      expect((await api.get(`/api/payments/${shops[me].paidPayment}`)).status).toBe(200);
    });

    it(`${me}: lists, search, CSV, refunds and summary hold only its own rows`, async () => {
      const { api, payments } = shops[me];
      const theirs = shops[them];
      const list = await api.get<{ items: Array<{ id: string }>; total: number }>(`/api/payments?shop=${them === "demo" ? DEMO_SHOP : OTHER_SHOP}`);
      expect(list.body.items.map((i) => i.id).sort()).toEqual([...payments].sort());
      expect(list.body.total).toBe(2);
      expect((await api.get<{ total: number }>(`/api/payments?q=${theirs.cip}`)).body.total).toBe(0);
      expect((await api.get<{ total: number }>(`/api/payments?q=${theirs.payments[1]}`)).body.total).toBe(0);

      const csv = parse(await (await api.raw("/api/payments/export.csv")).text(), { bom: true }) as string[][];
      expect(csv.slice(1).map((row) => row[0]).sort()).toEqual([...payments].sort());

      const refunds = await api.get<{ items: Array<{ id: string }>; total: number }>("/api/refunds");
      expect(refunds.body.items.map((r) => r.id)).toEqual([shops[me].refund]);
      const detail = await api.get<{ refunds: Array<{ id: string }>; timeline: unknown[] }>(`/api/payments/${shops[me].paidPayment}`);
      expect(detail.body.refunds.map((r) => r.id)).toEqual([shops[me].refund]);

      const summary = await api.get<{ started: number; paid: number; pending: number }>("/api/summary/today");
      expect(summary.body).toMatchObject({ started: 2, paid: 1, pending: 1 });
    });
  }

  it("keeps settings and credentials per shop, each installed shop with its own emulator service", async () => {
    type Creds = { accessKey: string; idService: number } | null;
    const other = await shops.other.api.get<{ credentials: { sandbox: Creds; production: Creds } }>("/api/settings");
    const demoBefore = await shops.demo.api.get<{ credentials: { sandbox: Creds; production: Creds } }>("/api/settings");
    expect(other.body.credentials.sandbox?.accessKey).toBe(otherCredentials.accessKey);
    expect(other.body.credentials.production?.idService).toBeGreaterThanOrEqual(10_000);
    const ids = [demoBefore.body.credentials.sandbox, demoBefore.body.credentials.production, other.body.credentials.sandbox, other.body.credentials.production].map((c) => c?.idService);
    expect(new Set(ids).size).toBe(4);
    expect(demoBefore.body.credentials.sandbox?.accessKey).not.toBe(otherCredentials.accessKey);
    // The emulator serves every one of them.
    const served = await t.json<{ services: Array<{ idService: number }> }>("GET", "/sandbox/pagoefectivo/services");
    expect(served.body.services.map((s) => s.idService)).toEqual(expect.arrayContaining(ids));
    // /sandbox lists both shops with their credentials, and offers each as a checkout target.
    const page = await (await fetch(`${t.url}/sandbox`)).text();
    for (const shop of [DEMO_SHOP, OTHER_SHOP]) expect(page).toContain(`<option value="${shop}"`);
    for (const id of ids) expect(page).toContain(`<td class="mono">${id}</td>`);
    expect(page).toContain(otherCredentials.accessKey);

    await shops.other.api.put("/api/settings", { cipLifetimeHours: 12, legalName: "Otra Tienda S.A.C." });
    await shops.other.api.put("/api/credentials/production", { accessKey: "AKOTRAPROD", secretKey: "x-secret-x", idService: 77781 });
    const demoAfter = await shops.demo.api.get<{ cipLifetimeHours: number; legalName: string | null; credentials: { production: { accessKey: string } } }>("/api/settings");
    expect(demoAfter.body.cipLifetimeHours).toBe(48);
    expect(demoAfter.body.legalName).toBeNull();
    expect(demoAfter.body.credentials.production.accessKey).not.toBe("AKOTRAPROD");
    const session = await shops.other.api.get<{ shop: { domain: string } }>("/api/session");
    expect(session.body.shop.domain).toBe(OTHER_SHOP);
  });
});
