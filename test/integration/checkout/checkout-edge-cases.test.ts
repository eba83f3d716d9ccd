import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signNotification } from "../../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { DEMO_SHOP } from "../../../app/sandbox/attach-sandbox";
import { mtlsRequest, paymentSessionRequest, shopifyHeaders } from "../../helpers/mtls-client";
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

describe("checkout edge cases (real servers, mTLS, database)", () => {
  let t: TestApp;
  const paymentUrl = () => `${t.app.mtlsUrl}/shopify/payment_session`;
  const refundUrl = () => `${t.app.mtlsUrl}/shopify/refund_session`;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const checkout = async (body: Record<string, unknown> = {}) => {
    const r = await t.json<Checkout>("POST", "/sandbox/shopify/checkouts", { amount: "150.00", currency: "PEN", test: false, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const session = async (id: string) => (await t.json<SimSession>("GET", `/sandbox/shopify/payment-sessions/${id}`)).body;
  const cipsFor = async (id: string) => {
    const r = await t.json<{ cips: EmulatorCip[] }>("GET", `/sandbox/pagoefectivo/cips?transactionCode=${id}`);
    return r.body.cips;
  };
  const stored = (id: string) => t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
  const advance = (seconds: number) => t.json("POST", "/sandbox/clock", { advanceSeconds: seconds });

  it("refuses session requests without a client certificate (401) or with a foreign one (403)", async () => {
    const body = JSON.stringify(paymentSessionRequest());
    const none = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), identity: "none", headers: shopifyHeaders(DEMO_SHOP), body });
    expect(none.status).toBe(401);
    const foreign = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), identity: "foreign", headers: shopifyHeaders(DEMO_SHOP), body });
    expect(foreign.status).toBe(403);
    expect(await t.app.db.prisma.paymentSession.count()).toBe(0);
    const plain = await fetch(`${t.url}/shopify/payment_session`, { method: "POST", body });
    expect(plain.status).toBe(403);
  });

  it("answers malformed requests with a 4xx that names the problem", async () => {
    const missingHeader = await mtlsRequest({
      dataDir: t.dataDir,
      url: paymentUrl(),
      headers: { "Shopify-Request-Id": "r", "Shopify-Api-Version": "2026-10" },
      body: JSON.stringify(paymentSessionRequest()),
    });
    expect(missingHeader.status).toBe(400);
    expect(missingHeader.body).toContain("Shopify-Shop-Domain");
    const badAmount = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), headers: shopifyHeaders(DEMO_SHOP), body: JSON.stringify(paymentSessionRequest({ amount: 12.5 })) });
    expect(badAmount.status).toBe(400);
    expect(badAmount.body).toContain("amount");
    const notJson = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), headers: shopifyHeaders(DEMO_SHOP), body: "{nope" });
    expect(notJson.status).toBe(400);
    const unknownShop = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), headers: shopifyHeaders("nobody.myshopify.com"), body: JSON.stringify(paymentSessionRequest()) });
    expect(unknownShop.status).toBe(404);
  });

  it("rejects (with a reason) a session PagoEfectivo cannot take: authorization kind", async () => {
    const request = paymentSessionRequest({ kind: "authorization" });
    const answer = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), headers: shopifyHeaders(DEMO_SHOP), body: JSON.stringify(request) });
    expect(answer.status).toBe(201);
    const row = await stored(String(request.id));
    expect(row.state).toBe("rejected");
    expect(row.rejectionReason).toMatch(/sales/);
    expect(row.cip).toBeNull();
  });

  it("answers 422 to a session in a currency PagoEfectivo does not take, and stores nothing (never as PEN)", async () => {
    const request = paymentSessionRequest({ currency: "EUR" });
    const answer = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), headers: shopifyHeaders(DEMO_SHOP), body: JSON.stringify(request) });
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: "unsupported_currency", message: "PagoEfectivo only accepts PEN and USD, not EUR" } });
    expect(await t.app.db.prisma.paymentSession.findUnique({ where: { id: String(request.id) } })).toBeNull();
  });

  it("refuses a payment session id that belongs to another shop instead of answering with that shop's page", async () => {
    const demo = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const other = "otra-tienda.myshopify.com";
    await t.app.db.prisma.shop.create({ data: { ...demo, id: "shop_other_tienda", domain: other, notificationKey: "other-tienda-key" } });
    const body = JSON.stringify(paymentSessionRequest());
    const first = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), headers: shopifyHeaders(DEMO_SHOP), body });
    expect(first.status).toBe(201);
    const replayed = await mtlsRequest({ dataDir: t.dataDir, url: paymentUrl(), headers: shopifyHeaders(other), body });
    expect(replayed.status).toBe(409);
    expect(replayed.body).toContain("belongs to another shop");
    expect(replayed.body).not.toContain((JSON.parse(first.body) as { redirect_url: string }).redirect_url);
  });

  it("gives 50 identical concurrent requests the same redirect and creates one CIP", async () => {
    const first = await checkout();
    const resends = await Promise.all(Array.from({ length: 50 }, () => t.json<Checkout>("POST", `/sandbox/shopify/checkouts/${first.id}/resend`)));
    const urls = new Set(resends.map((r) => r.body.redirect_url));
    expect(resends.every((r) => r.body.status === 201)).toBe(true);
    expect([...urls]).toEqual([first.redirect_url]);
    expect(await cipsFor(first.id)).toHaveLength(1);
  });

  it("asks for a phone number when Shopify sent none, then issues the CIP", async () => {
    const c = await checkout({ customer: { email: "sin-fono@example.pe", billing_address: { given_name: "Luis", family_name: "Rojas", country_code: "PE" } } });
    const page = await (await fetch(c.redirect_url ?? "")).text();
    expect(page).toContain('data-testid="phone-form"');
    expect(await cipsFor(c.id)).toHaveLength(0);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
    const bad = await fetch(`${c.redirect_url}/phone`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, phoneCountryCode: "+51", phone: "12345" }),
      redirect: "manual",
    });
    expect(bad.status).toBe(422);
    const good = await fetch(`${c.redirect_url}/phone`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, phoneCountryCode: "+51", phone: "987654321" }),
      redirect: "manual",
    });
    expect(good.status).toBe(303);
    expect(await cipsFor(c.id)).toHaveLength(1);
    const row = await stored(c.id);
    expect(row.phone).toBe("987654321");
    expect(row.state).toBe("pending");
  });

  it("treats duplicate notifications as one payment, and refuses forged ones without changing anything", async () => {
    const c = await checkout();
    const [cip] = await cipsFor(c.id);
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const forgedBody = `{"eventType":"cip.paid","operationNumber":"999","data":{"cip":"${cip?.cip}","currency":"PEN","amount":150.00}}`;
    const forged = await fetch(`${t.url}/webhooks/pagoefectivo/${shop.notificationKey}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "PE-Signature": signNotification(forgedBody, "not-the-secret") },
      body: forgedBody,
    });
    expect(forged.status).toBe(401);
    expect((await stored(c.id)).state).toBe("pending");

    await t.json("POST", `/sandbox/pagoefectivo/cips/${cip?.cip}/pay`, { duplicates: 3 });
    await eventually(async () => (await session(c.id)).state === "resolved");
    const s = await session(c.id);
    expect(s.mutations.filter((m) => m.name === "paymentSessionResolve")).toHaveLength(1);
    const notes = await t.app.db.prisma.pagoEfectivoNotification.findMany({ where: { cip: cip?.cip } });
    expect(notes.filter((n) => n.signatureValid)).toHaveLength(1);
    // The forged one is kept as evidence, but nothing from its unverified body is trusted (no CIP).
    const forgedEvidence = await t.app.db.prisma.pagoEfectivoNotification.findMany({ where: { signatureValid: false, shopId: shop.id } });
    expect(forgedEvidence.some((n) => Buffer.from(n.rawBody).toString("utf8") === forgedBody && n.cip === null)).toBe(true);
    expect(await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: c.id, kind: "payment_session.resolve" } })).toBe(1);
  });

  it("recovers a lost notification by polling PagoEfectivo and flags it", async () => {
    const c = await checkout();
    const [cip] = await cipsFor(c.id);
    await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "drop_notification", count: 1 });
    await t.json("POST", `/sandbox/pagoefectivo/cips/${cip?.cip}/pay`, {});
    expect((await stored(c.id)).state).toBe("pending");
    await advance(600);
    await eventually(async () => (await session(c.id)).state === "resolved");
    const row = await stored(c.id);
    expect(row.paidVia).toBe("polling");
    const exception = await t.app.db.prisma.reconciliationException.findFirst({ where: { paymentSessionId: c.id } });
    expect(exception?.kind).toBe("notification_missing");
  });

  it("rejects the session when the CIP expires unpaid, after checking PagoEfectivo once more", async () => {
    const c = await checkout();
    // The session must be pending at Shopify before its CIP expires (else the app rightly skips Pending).
    await eventually(async () => (await session(c.id)).mutations.some((m) => m.name === "paymentSessionPending"));
    await advance(49 * 3600);
    await eventually(async () => (await session(c.id)).state === "rejected");
    const s = await session(c.id);
    expect(s.mutations.map((m) => m.name)).toEqual(["paymentSessionPending", "paymentSessionReject"]);
    expect((await stored(c.id)).state).toBe("expired");
    const page = await (await fetch(c.redirect_url ?? "")).text();
    expect(page).toContain('data-state="expired"');
  });

  it("delivers the resolution after a Shopify outage, retrying with backoff", async () => {
    const c = await checkout();
    await eventually(async () => (await session(c.id)).state === "pending");
    const [cip] = await cipsFor(c.id);
    await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 3 });
    await t.json("POST", `/sandbox/pagoefectivo/cips/${cip?.cip}/pay`, {});
    await eventually(
      async () => {
        await advance(120);
        return (await session(c.id)).state === "resolved";
      },
      20_000,
      300,
    );
    const s = await session(c.id);
    expect(s.mutations.filter((m) => m.name === "paymentSessionResolve" && m.result === "fault").length).toBe(3);
    const attempts = await t.app.db.prisma.deliveryAttempt.findMany({ where: { paymentSessionId: c.id }, orderBy: { at: "asc" } });
    expect(attempts.filter((a) => a.outcome === "retry")).toHaveLength(3);
  });

  it("stores a refund session, answers 201, and resolves it once the merchant records the refund", async () => {
    const c = await checkout();
    const [cip] = await cipsFor(c.id);
    await t.json("POST", `/sandbox/pagoefectivo/cips/${cip?.cip}/pay`, {});
    await eventually(async () => (await session(c.id)).state === "resolved");
    const refund = await t.json<{ id: string; status: number }>("POST", `/sandbox/shopify/payment-sessions/${c.id}/refunds`, { amount: "50.00" });
    expect(refund.body.status).toBe(201);
    const row = await t.app.db.prisma.refundSession.findUniqueOrThrow({ where: { id: refund.body.id } });
    expect(row.state).toBe("awaiting_merchant");
    expect(row.amountMinor).toBe(5000);
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const decided = await t.app.services.decideRefund.record(shop.id, refund.body.id, { method: "yape", reference: "YP-123", refundedOn: "2026-11-27" }, "test");
    expect(decided.ok).toBe(true);
    t.app.services.worker.wake();
    await eventually(async () => (await t.json<{ state: string }>("GET", `/sandbox/shopify/refund-sessions/${refund.body.id}`)).body.state === "resolved");
    const again = await t.app.services.decideRefund.reject(shop.id, refund.body.id, "changed my mind", "test");
    expect(again.ok).toBe(false);

    const unknown = await mtlsRequest({
      dataDir: t.dataDir,
      url: refundUrl(),
      headers: shopifyHeaders(DEMO_SHOP),
      body: JSON.stringify({ id: "r-x", gid: "gid://shopify/RefundSession/r-x", payment_id: "nope", amount: "1.00", currency: "PEN", proposed_at: "2026-11-27T20:00:00Z" }),
    });
    expect(unknown.status).toBe(404);
  });

  it("deletes the CIP at PagoEfectivo when the unpaid order is cancelled", async () => {
    // An amount no other checkout of this file uses: orders are linked by documented facts (amount,
    // currency, time, gateway), and two pending S/ 150.00 sessions would rightly leave the order unlinked.
    const c = await checkout({ amount: "137.45" });
    await eventually(async () => (await session(c.id)).state === "pending");
    const [cip] = await cipsFor(c.id);
    const orders = await t.json<{ orders: Array<{ id: string; paymentSessionId: string }> }>("GET", "/sandbox/shopify/orders");
    const order = orders.body.orders.find((o) => o.paymentSessionId === c.id);
    expect(order).toBeDefined();
    const cancel = await t.json("POST", `/sandbox/shopify/orders/${encodeURIComponent(order?.id ?? "")}/cancel`, {});
    expect(cancel.status).toBe(200);
    await eventually(async () => (await t.json<EmulatorCip>("GET", `/sandbox/pagoefectivo/cips/${cip?.cip}`)).body.status === "deleted");
    expect((await stored(c.id)).state).toBe("cancelled");
  });

  it("flags a payment of the wrong amount instead of resolving it", async () => {
    const c = await checkout();
    const [cip] = await cipsFor(c.id);
    await t.json("POST", `/sandbox/pagoefectivo/cips/${cip?.cip}/pay`, { amount: "100.00" });
    const exception = await eventually(() => t.app.db.prisma.reconciliationException.findFirst({ where: { paymentSessionId: c.id } }));
    expect(exception.kind).toBe("amount_mismatch");
    expect((await stored(c.id)).state).toBe("pending");
    // Polling sees the CIP paid (for its own amount); the flagged payment still waits for the merchant.
    await advance(600);
    await t.app.services.poller.runNow();
    expect((await stored(c.id)).state).toBe("pending");
    expect(await t.app.db.prisma.reconciliationException.count({ where: { paymentSessionId: c.id, kind: "notification_missing" } })).toBe(0);
  });
});
