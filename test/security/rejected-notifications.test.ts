import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signNotification } from "../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { REJECTED_BODY_SAMPLE_BYTES } from "../../app/use-cases/handle-pagoefectivo-notification/rejected-notification-summary";
import { eventually, startTestApp, type TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Unauthenticated writes": a notification that fails verification (bad signature, unknown
 * URL key) is stored only as a bounded summary, counted, and rate-limited per URL key and per client
 * address, so anyone who knows a shop's notification URL cannot fill the database. Accepted
 * notifications keep their whole body as evidence.
 */
describe("rejected notifications", () => {
  let t: TestApp;
  let key: string;
  let shopId: string;
  const DEMO_SHOP = "pagoefectivo-demo.myshopify.com";

  beforeAll(async () => {
    t = await startTestApp({ env: { SCHEDULER_ENABLED: "false" } });
    const shop = await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    key = shop.notificationKey;
    shopId = shop.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${t.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
  const bigBody = (n: number) => JSON.stringify({ eventType: "cip.paid", data: { cip: "1", filler: "x".repeat(n) } });

  it("stores a bounded summary of a 60 KB forged notification and counts it", async () => {
    const body = bigBody(60_000);
    const before = t.app.services.securityCounters.snapshot();
    const response = await post(`/webhooks/pagoefectivo/${key}`, body, {
      "PE-Signature": signNotification(body, "not-the-secret"),
      "X-Forwarded-For": "203.0.113.10",
      "X-Junk": "j".repeat(6000),
    });
    expect(response.status).toBe(401);
    const rows = await t.app.db.prisma.pagoEfectivoNotification.findMany({ where: { shopId, signatureValid: false } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.rawBody.length).toBeLessThanOrEqual(REJECTED_BODY_SAMPLE_BYTES);
    expect(row.headersJson.length).toBeLessThan(2_000);
    expect(row.headersJson).not.toContain("jjjj");
    expect(row.verificationReason).toContain(`bytes=${Buffer.byteLength(body)}`);
    const after = t.app.services.securityCounters.snapshot();
    expect(after["notifications_rejected_total{reason=mismatch}"] ?? 0).toBe((before["notifications_rejected_total{reason=mismatch}"] ?? 0) + 1);
  });

  it("stores a bounded summary for an unknown key too", async () => {
    const body = bigBody(40_000);
    const response = await post("/webhooks/pagoefectivo/no-such-key-123", body, { "PE-Signature": "ab".repeat(32), "X-Forwarded-For": "203.0.113.11" });
    expect(response.status).toBe(404);
    const row = await t.app.db.prisma.pagoEfectivoNotification.findFirstOrThrow({ where: { outcome: "unknown_key" } });
    expect(row.rawBody.length).toBeLessThanOrEqual(REJECTED_BODY_SAMPLE_BYTES);
    expect(t.app.services.securityCounters.snapshot()["notifications_rejected_total{reason=unknown_key}"]).toBeGreaterThanOrEqual(1);
  });

  it("answers 429 to a client address that keeps sending rejected notifications, storing nothing more", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const body = bigBody(100 + i);
      statuses.push((await post(`/webhooks/pagoefectivo/unknown-${i}`, body, { "PE-Signature": "00".repeat(32), "X-Forwarded-For": "198.51.100.7" })).status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const stored = await t.app.db.prisma.pagoEfectivoNotification.count({ where: { outcome: "unknown_key" } });
    expect(stored).toBeLessThan(40);
    expect(t.app.services.securityCounters.snapshot()["notifications_rate_limited_total{scope=address}"]).toBeGreaterThanOrEqual(1);
  });

  it("answers 429 to forged notifications for a key attacked from many addresses, but still accepts the real ones", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const body = bigBody(200 + i);
      statuses.push((await post(`/webhooks/pagoefectivo/${key}`, body, { "PE-Signature": signNotification(body, "wrong"), "X-Forwarded-For": `192.0.2.${i + 1}` })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    const storedForged = await t.app.db.prisma.pagoEfectivoNotification.count({ where: { shopId, signatureValid: false } });
    expect(storedForged).toBeLessThan(60);
    expect(t.app.services.securityCounters.snapshot()["notifications_rate_limited_total{scope=key}"]).toBeGreaterThanOrEqual(1);

    // A genuine notification (right secret) for that same key still goes through, whole.
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "25.00", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    const session = await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: checkout.body.id } });
    const paid = await t.json("POST", `/sandbox/pagoefectivo/cips/${session.cip}/pay`, {});
    expect(paid.status).toBe(200);
    const evidence = await eventually(() => t.app.db.prisma.pagoEfectivoNotification.findFirst({ where: { cip: session.cip, signatureValid: true } }));
    expect(evidence.outcome).not.toBe("rate_limited");
    expect(evidence.rawBody.length).toBeGreaterThan(50);
  });
});
