import { randomUUID } from "node:crypto";

import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TodaySummaryAnswer } from "../../../app/contracts/admin-api";
import { type AdminApi, signIn } from "../../helpers/admin-browser";
import { startAdminTestApp } from "../../helpers/admin-test-app";
import { eventually, type TestApp } from "../../helpers/test-app";

const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

interface PaymentRow {
  id: string;
  createdAt: string;
  state: string;
  amountMinor: number;
  currency: string;
  test: boolean;
  cip: string | null;
  orderName: string | null;
  email: string | null;
  paidAt: string | null;
  cipExpiresAt: string | null;
}
interface PaymentList {
  items: PaymentRow[];
  total: number;
  page: number;
  pageSize: number;
}
interface TimelineEntry {
  at: string;
  kind: string;
  type: string;
  title: string;
  detail: Record<string, unknown> | null;
}
interface RefundRow {
  id: string;
  paymentSessionId: string;
  cip: string | null;
  amountMinor: number;
  state: string;
  method: string | null;
  reference: string | null;
  refundedOn: string | null;
  rejectReason: string | null;
  decidedAt: string | null;
  customer: { name: string | null; email: string | null; phone: string | null };
}
interface PaymentDetail {
  payment: PaymentRow & {
    gid: string;
    cipUrl: string | null;
    buyer: { name: string | null; email: string | null; phone: string | null };
    shopifyState: string | null;
    paidAmountMinor: number | null;
    operationNumber: string | null;
    paidVia: string | null;
  };
  timeline: TimelineEntry[];
  refunds: RefundRow[];
}
interface SimSession {
  state: string;
  mutations: Array<{ name: string }>;
}

const limaToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "America/Lima" }).format(new Date());
const shiftDay = (key: string, days: number) => new Date(Date.parse(`${key}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("admin payments and manual refunds", () => {
  let t: TestApp;
  let api: AdminApi;
  /** Checkouts by role: paid, pendingPen (other buyer), usd, test, rejected. */
  const ids: Record<string, string> = {};

  const checkout = async (role: string, body: Record<string, unknown>) => {
    const answer = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, ...body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    ids[role] = answer.body.id;
    // Distinct creation times, so the default order is the order of creation.
    await new Promise((resolve) => setTimeout(resolve, 15));
  };

  beforeAll(async () => {
    t = await startAdminTestApp();
    api = (await signIn(t, DEMO_SHOP, "login")).api;
    await checkout("paid", { amount: "150.00", currency: "PEN" });
    await checkout("pendingPen", {
      amount: "80.50",
      currency: "PEN",
      customer: {
        email: "Ana.Torres@example.pe",
        phone_number: "912345678",
        locale: "es",
        billing_address: { given_name: "Ana", family_name: "Torres", country_code: "PE", phone_number: "912345678", city: "Arequipa" },
      },
    });
    await checkout("usd", { amount: "25.00", currency: "USD" });
    await checkout("test", { amount: "999.99", currency: "PEN", test: true });
    await checkout("rejected", { amount: "10.00", currency: "PEN", kind: "authorization" });

    const paid = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: ids.paid } });
    expect(paid.cip).toMatch(/^\d+$/);
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${paid.cip}/pay`, {})).status).toBe(200);
    await eventually(async () => {
      const s = await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${ids.paid}`);
      return s.body.state === "resolved";
    });
    // The simulator's orders/paid webhook links its own order (#1001) in the background: let it land
    // first, so it cannot overwrite the link set here.
    // (orders/create then orders/paid: wait until the link has been "paid" and unchanged for 2 s.)
    let seen = "";
    let since = Date.now();
    await eventually(async () => {
      const row = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: ids.paid } });
      const now = `${row.orderName}|${row.orderFinancialStatus}|${row.updatedAt.getTime()}`;
      if (now !== seen) [seen, since] = [now, Date.now()];
      return row.orderFinancialStatus === "paid" && Date.now() - since >= 2_000;
    }, 20_000).catch(() => undefined);
    await t.app.db.prisma.paymentSession.update({ where: { id: ids.paid }, data: { orderId: "gid://shopify/Order/9001", orderName: "#1042", orderFinancialStatus: "paid" } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: string) => {
    const response = await api.get<PaymentList>(`/api/payments${query}`);
    expect(response.status, `${query}: ${JSON.stringify(response.body)}`).toBe(200);
    return response.body;
  };
  const idsOf = (body: PaymentList) => body.items.map((item) => item.id);

  it("lists the shop's payments newest first, paged", async () => {
    const all = await list("");
    expect(all.total).toBe(5);
    expect(all).toMatchObject({ page: 1, pageSize: 25 });
    expect(idsOf(all)).toEqual([ids.rejected, ids.test, ids.usd, ids.pendingPen, ids.paid]);
    const paid = all.items.find((item) => item.id === ids.paid);
    expect(paid).toMatchObject({ state: "paid", amountMinor: 15000, currency: "PEN", test: false, orderName: "#1042", email: "maria.quispe@example.pe" });
    expect(paid?.paidAt).not.toBeNull();
    expect(paid?.cipExpiresAt).not.toBeNull();

    const page1 = await list("?pageSize=2");
    const page2 = await list("?pageSize=2&page=2");
    const page3 = await list("?pageSize=2&page=3");
    expect([page1.total, page2.total, page3.total]).toEqual([5, 5, 5]);
    expect([...idsOf(page1), ...idsOf(page2), ...idsOf(page3)]).toEqual(idsOf(all));
    expect(page3.items).toHaveLength(1);
    expect((await list("?pageSize=2&page=4")).items).toEqual([]);
  });

  it("filters by state, currency, test and creation day (shop time zone), in the database", async () => {
    expect(idsOf(await list("?state=paid"))).toEqual([ids.paid]);
    expect(idsOf(await list("?state=pending"))).toEqual([ids.test, ids.usd, ids.pendingPen]);
    expect(idsOf(await list("?state=paid,rejected"))).toEqual([ids.rejected, ids.paid]);
    expect(idsOf(await list("?currency=USD"))).toEqual([ids.usd]);
    expect(idsOf(await list("?test=true"))).toEqual([ids.test]);
    expect((await list("?test=false")).total).toBe(4);
    expect(idsOf(await list("?state=pending&currency=PEN&test=false"))).toEqual([ids.pendingPen]);
    const today = limaToday();
    expect((await list(`?from=${today}&to=${today}`)).total).toBe(5);
    expect((await list(`?from=${shiftDay(today, 1)}`)).total).toBe(0);
    expect((await list(`?to=${shiftDay(today, -1)}`)).total).toBe(0);
    // Empty parameters are no filter at all.
    expect((await list("?state=&q=&currency=&from=")).total).toBe(5);
  });

  it("searches CIP, order name, email and payment session id, ignoring case", async () => {
    const pending = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: ids.pendingPen } });
    expect(idsOf(await list(`?q=${pending.cip}`))).toEqual([ids.pendingPen]);
    expect(idsOf(await list(`?q=${encodeURIComponent("#1042")}`))).toEqual([ids.paid]);
    expect(idsOf(await list("?q=ana.torres"))).toEqual([ids.pendingPen]);
    expect(idsOf(await list("?q=ANA.TORRES@EXAMPLE"))).toEqual([ids.pendingPen]);
    expect(idsOf(await list(`?q=${ids.usd!.slice(2, 12)}`))).toEqual([ids.usd]);
    expect((await list("?q=nobody-matches-this")).total).toBe(0);
  });

  it("sorts by amount and state in both directions", async () => {
    const ascending = await list("?sort=amount&direction=asc");
    expect(ascending.items.map((item) => item.amountMinor)).toEqual([1000, 2500, 8050, 15000, 99999]);
    const descending = await list("?sort=amount&direction=desc");
    expect(descending.items.map((item) => item.amountMinor)).toEqual([99999, 15000, 8050, 2500, 1000]);
    const byState = await list("?sort=state&direction=asc");
    expect(byState.items.map((item) => item.state)).toEqual(["paid", "pending", "pending", "pending", "rejected"]);
    const oldestFirst = await list("?direction=asc");
    expect(idsOf(oldestFirst)).toEqual([ids.paid, ids.pendingPen, ids.usd, ids.test, ids.rejected]);
  });

  it("exports the filtered payments as a CSV attachment: header row, decimal amounts, no formulas", async () => {
    await t.app.db.prisma.paymentSession.update({ where: { id: ids.usd }, data: { email: '=HYPERLINK("http://evil.example","x")' } });
    const response = await api.raw("/api/payments/export.csv?currency=PEN&sort=amount&direction=asc");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="pagoefectivo-payments-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await response.text();
    const rows = parse(text, { bom: true }) as string[][];
    // In the shop's language (Spanish unless it chose English), states as the panel words them, times in Lima.
    expect(rows[0]).toEqual(["Sesión de pago", "Creado (hora de Lima)", "Estado", "Importe", "Moneda", "Prueba", "CIP", "Pedido", "Correo", "Pagado (hora de Lima)", "Vence el CIP (hora de Lima)"]);
    expect(rows.slice(1).map((row) => row[2])).toEqual(["Rechazado", "Pendiente", "Pagado", "Pendiente"]);
    expect(rows[1]?.[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const paidRow = rows.find((row) => row[0] === ids.paid);
    const paidAt = (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: ids.paid } })).paidAt as Date;
    expect(paidRow?.[9]).toBe(new Date(paidAt.getTime() - 5 * 3_600_000).toISOString().slice(0, 19).replace("T", " "));
    const english = parse(await (await api.raw("/api/payments/export.csv?currency=PEN&lang=en")).text(), { bom: true }) as string[][];
    expect(english[0]?.slice(0, 3)).toEqual(["Payment session", "Created (Lima time)", "State"]);
    expect(english.slice(1).map((row) => row[5])).toContain("Yes");
    // The authorization checkout was refused (PagoEfectivo takes sales only) and is kept as it came.
    expect(rows.slice(1).map((row) => [row[0], row[3], row[4]])).toEqual([
      [ids.rejected, "10.00", "PEN"],
      [ids.pendingPen, "80.50", "PEN"],
      [ids.paid, "150.00", "PEN"],
      [ids.test, "999.99", "PEN"],
    ]);
    expect(rows[3]?.[7]).toBe("#1042");

    const usd = parse(await (await api.raw("/api/payments/export.csv?currency=USD")).text(), { bom: true }) as string[][];
    expect(usd[1]?.[8]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(usd[1]?.[3]).toBe("25.00");
    expect((await api.raw("/api/payments/export.csv?state=lost")).status).toBe(400);
  });

  it("shows a paid payment's detail with a timeline merged from events, notifications and deliveries", async () => {
    const detail = await eventually(async () => {
      const response = await api.get<PaymentDetail>(`/api/payments/${ids.paid}`);
      const delivered = response.body.timeline?.some((e) => e.kind === "delivery" && e.type === "payment_session.resolve" && e.detail?.outcome === "done");
      return response.status === 200 && delivered ? response.body : null;
    });
    expect(detail.payment).toMatchObject({
      id: ids.paid,
      state: "paid",
      amountMinor: 15000,
      paidAmountMinor: 15000,
      paidVia: "notification",
      shopifyState: "resolved",
      buyer: { name: "María Quispe Huamán", email: "maria.quispe@example.pe" },
      order: { id: "gid://shopify/Order/9001", name: "#1042", financialStatus: "paid" },
    });
    expect(detail.payment.gid).toBe(`gid://shopify/PaymentSession/${ids.paid}`);
    expect(detail.payment.cipUrl).toMatch(/^http/);
    expect(detail.payment.buyer.phone).toContain("987654321");
    expect(detail.payment.operationNumber).not.toBeNull();

    const times = detail.timeline.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const types = detail.timeline.map((entry) => `${entry.kind}:${entry.type}`);
    for (const expected of ["event:session_received", "event:cip_issued", "event:paid", "delivery:payment_session.pending", "delivery:payment_session.resolve"]) {
      expect(types).toContain(expected);
    }
    expect(types.indexOf("event:session_received")).toBeLessThan(types.indexOf("event:cip_issued"));
    expect(types.indexOf("event:cip_issued")).toBeLessThan(types.indexOf("event:paid"));
    const notification = detail.timeline.find((entry) => entry.kind === "notification");
    expect(notification?.type).toBe("cip.paid");
    expect(notification?.detail).toMatchObject({ signatureValid: true, cip: detail.payment.cip });
    expect(String(notification?.detail?.outcome)).toMatch(/paid/);
    expect(notification?.title).toContain("signature valid");
    const resolve = detail.timeline.find((entry) => entry.type === "payment_session.resolve");
    expect(resolve?.title).toBe("Shopify paymentSessionResolve: delivered");
    expect(detail.refunds).toEqual([]);
  });

  it("records and rejects manual refunds; Shopify hears refundSessionResolve / refundSessionReject", async () => {
    const first = await t.json<{ id: string; status: number }>("POST", `/sandbox/shopify/payment-sessions/${ids.paid}/refunds`, { amount: "50.00" });
    const second = await t.json<{ id: string; status: number }>("POST", `/sandbox/shopify/payment-sessions/${ids.paid}/refunds`, { amount: "30.00" });
    expect([first.body.status, second.body.status]).toEqual([201, 201]);

    const awaiting = await api.get<{ items: RefundRow[]; total: number }>("/api/refunds?state=awaiting_merchant");
    expect(awaiting.body.total).toBe(2);
    expect(awaiting.body.items.map((r) => [r.id, r.amountMinor, r.paymentSessionId])).toEqual([
      [first.body.id, 5000, ids.paid],
      [second.body.id, 3000, ids.paid],
    ]);
    expect(awaiting.body.items[0]).toMatchObject({ cip: expect.stringMatching(/^\d+$/), state: "awaiting_merchant", method: null, decidedAt: null });
    // The merchant pays the money back by Yape, Plin or transfer: the queue names the buyer and how to reach them.
    expect(awaiting.body.items[0]?.customer).toEqual({ name: expect.stringMatching(/\S/), email: expect.stringContaining("@"), phone: expect.stringMatching(/^\+?\d{6,}$/) });

    const today = limaToday();
    // A refund "done" tomorrow has not happened: refused, and Shopify hears nothing.
    const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const future = await api.post<{ error: { code: string; params: Record<string, string> } }>(`/api/refunds/${first.body.id}/record`, {
      method: "yape",
      reference: "YP-1",
      refundedOn: tomorrow,
    });
    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({ code: "refund_date_in_future", params: { refundedOn: tomorrow, today } });
    expect((await t.json<SimSession>("GET", `/sandbox/shopify/refund-sessions/${first.body.id}`)).body.state).not.toBe("resolved");
    expect((await api.get<{ total: number }>("/api/refunds?state=awaiting_merchant")).body.total).toBe(2);
    const recorded = await api.post<RefundRow>(`/api/refunds/${first.body.id}/record`, { method: "yape", reference: "YP-778899", refundedOn: today, note: "Devuelto por Yape" });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ id: first.body.id, state: "resolved", method: "yape", reference: "YP-778899", refundedOn: today });
    expect(recorded.body.decidedAt).not.toBeNull();
    const again = await api.post<{ error: { code: string } }>(`/api/refunds/${first.body.id}/reject`, { reason: "changed my mind" });
    expect(again.status).toBe(409);
    expect((await api.post(`/api/refunds/${first.body.id}/record`, { method: "teleport", reference: "x", refundedOn: today })).status).toBe(400);

    const rejected = await api.post<RefundRow>(`/api/refunds/${second.body.id}/reject`, { reason: "Duplicate refund request" });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: "rejected", rejectReason: "Duplicate refund request" });

    const resolvedAtShopify = await eventually(async () => {
      const s = await t.json<SimSession>("GET", `/sandbox/shopify/refund-sessions/${first.body.id}`);
      return s.body.state === "resolved" ? s.body : null;
    });
    expect(resolvedAtShopify.mutations.map((m) => m.name)).toEqual(["refundSessionResolve"]);
    const rejectedAtShopify = await eventually(async () => {
      const s = await t.json<SimSession>("GET", `/sandbox/shopify/refund-sessions/${second.body.id}`);
      return s.body.state === "rejected" ? s.body : null;
    });
    expect(rejectedAtShopify.mutations.map((m) => m.name)).toEqual(["refundSessionReject"]);

    expect((await api.get<{ total: number }>("/api/refunds?state=resolved")).body.total).toBe(1);
    expect((await api.get<{ total: number }>("/api/refunds?state=rejected")).body.total).toBe(1);
    expect((await api.get<{ total: number; items: RefundRow[] }>("/api/refunds?pageSize=1&page=2")).body).toMatchObject({ total: 2, items: [{ id: second.body.id }] });
    const detail = await api.get<PaymentDetail>(`/api/payments/${ids.paid}`);
    expect(detail.body.refunds.map((r) => r.state)).toEqual(["resolved", "rejected"]);
    expect(detail.body.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(["refund_requested", "refund_recorded", "refund_rejected"]));
  });

  it("shows today's summary in the shop's time zone", async () => {
    const summary = await api.get<TodaySummaryAnswer>("/api/summary/today");
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ date: limaToday(), started: 5, paid: 1, pending: 3, expired: 0, other: 1 });
    // The buckets partition the checkouts started today: the home card always adds up.
    const { started, paid, pending, expired, other } = summary.body;
    expect(paid + pending + expired + other).toBe(started);
    expect(summary.body.totals).toEqual([
      { currency: "PEN", paidMinor: 15000, pendingMinor: 8050 + 99999 },
      { currency: "USD", paidMinor: 0, pendingMinor: 2500 },
    ]);
    // A code that expires moves from "pending" to "expired": counted once, the card still adds up
    // (the issue saw iniciados 6 = pagados 5 + pendientes 1 + vencidos 2).
    await t.app.db.prisma.paymentSession.update({ where: { id: ids.test }, data: { state: "expired" } });
    try {
      const later = (await api.get<TodaySummaryAnswer>("/api/summary/today")).body;
      expect(later).toMatchObject({ started: 5, paid: 1, pending: 2, expired: 1, other: 1 });
      expect(later.paid + later.pending + later.expired + later.other).toBe(later.started);
    } finally {
      await t.app.db.prisma.paymentSession.update({ where: { id: ids.test }, data: { state: "pending" } });
    }
  });

  it("streams exports larger than one page (500 rows at a time)", async () => {
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const createdAt = new Date(Date.now() - 3_600_000);
    await t.app.db.prisma.paymentSession.createMany({
      data: Array.from({ length: 1_203 }, (_, i) => ({
        id: `bulk-${String(i).padStart(5, "0")}-${randomUUID().slice(0, 8)}`,
        gid: `gid://shopify/PaymentSession/bulk-${i}`,
        shopId: shop.id,
        amountMinor: 100 + i,
        currency: "PEN",
        test: true,
        kind: "sale",
        proposedAt: createdAt,
        requestId: randomUUID(),
        apiVersion: "2026-10",
        requestBody: "{}",
        state: "expired",
        buyerToken: randomUUID(),
        environment: "sandbox",
        createdAt,
        updatedAt: createdAt,
      })),
    });
    const text = await (await api.raw("/api/payments/export.csv?state=expired&sort=amount&direction=asc")).text();
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows).toHaveLength(1 + 1_203);
    expect(rows[1]?.[3]).toBe("1.00");
    expect(rows[1_203]?.[3]).toBe("13.02");
    expect(new Set(rows.slice(1).map((row) => row[0])).size).toBe(1_203);
    expect((await list("?state=expired&pageSize=100&page=13")).items).toHaveLength(3);
  });
  it("does not show a rejected (expired) session's order as still awaiting payment", async () => {
    await checkout("expiring", { amount: "42.00", currency: "PEN" });
    // Pending at Shopify: the simulator creates the order and its orders/create webhook links it as "pending".
    await eventually(async () => {
      const row = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: ids.expiring } });
      return row.orderId !== null && row.orderFinancialStatus === "pending";
    }, 20_000);
    const before = await api.get<PaymentDetail & { payment: { order: { financialStatus: string } | null } }>(`/api/payments/${ids.expiring}`);
    expect(before.body.payment.order?.financialStatus).toBe("pending");
    // The CIP expires unpaid: the app rejects the session at Shopify.
    await t.json("POST", "/sandbox/clock", { advanceSeconds: 49 * 3600 });
    await eventually(async () => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${ids.expiring}`)).body.state === "rejected", 20_000);
    const fresh = (await signIn(t, DEMO_SHOP, "login")).api;
    const after = await eventually(async () => {
      const response = await fresh.get<PaymentDetail & { payment: { order: { financialStatus: string } | null } }>(`/api/payments/${ids.expiring}`);
      return response.status === 200 && response.body.payment.shopifyState === "rejected" ? response.body : null;
    });
    expect(after.payment.state).toBe("expired");
    expect(after.payment.order?.financialStatus).toBe("no_payment");
    // Every place that shows the order's status uses the same rule: an exception about this payment,
    // in the list, by id and in the CSV (in words), does not say "pending" either.
    const row = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: ids.expiring } });
    expect(row.orderFinancialStatus).toBe("pending");
    const exceptionId = randomUUID();
    await t.app.db.prisma.reconciliationException.create({
      data: {
        id: exceptionId,
        shopId: row.shopId,
        paymentSessionId: row.id,
        cip: row.cip,
        kind: "paid_after_expiry",
        source: "reconciliation",
        status: "open",
        dedupeKey: `test-${exceptionId}`,
        evidenceJson: "{}",
        suggestedActionEs: "Revisa el pago.",
        suggestedActionEn: "Check the payment.",
        detectedAt: new Date(),
      },
    });
    const listed = await fresh.get<{ items: { id: string; orderFinancialStatus: string | null }[] }>(`/api/reconciliation/exceptions?paymentSessionId=${ids.expiring}`);
    expect(listed.body.items.map((item) => item.orderFinancialStatus)).toEqual(["no_payment"]);
    expect((await fresh.get<{ orderFinancialStatus: string | null }>(`/api/reconciliation/exceptions/${exceptionId}`)).body.orderFinancialStatus).toBe("no_payment");
    const csv = parse(await (await fresh.raw(`/api/reconciliation/exceptions/export.csv?paymentSessionId=${ids.expiring}`)).text(), { bom: true, relax_column_count: true }) as string[][];
    const header = csv.findIndex((cells) => cells.includes("Estado financiero"));
    expect(header).toBeGreaterThanOrEqual(0);
    const column = csv[header]?.indexOf("Estado financiero") ?? -1;
    expect(csv.slice(header + 1).map((cells) => cells[column])).toEqual(["Sin pago"]);
  }, 60_000);
});
