import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadOrCreateSandboxKey, SecretBox } from "../../../app/adapters/crypto/secret-box";
import { signNotification } from "../../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { DEMO_SHOP } from "../../../app/sandbox/attach-sandbox";
import { startTestApp, type TestApp } from "../../helpers/test-app";

/**
 * A replay of a committed notification is answered from the replay memory (replay-memory.ts) after one narrow
 * read confirms it; that answer must be the full path's in every case: "duplicate" while the shop, its secret and
 * the stored evidence are as they were; a forged body with the genuine signature, a rotated secret or deleted
 * evidence go the full path and get its answer (401, or the notification stored again).
 */
describe("notification replays", () => {
  let t: TestApp;
  let key: string;
  let secret: string;
  let cip: string;
  let sessionId: string;
  let shopId: string;
  let environment: "sandbox" | "production";

  beforeAll(async () => {
    t = await startTestApp({ env: { SCHEDULER_ENABLED: "false", WORKER_ENABLED: "false" } });
    const prisma = t.app.db.prisma;
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    key = shop.notificationKey;
    shopId = shop.id;
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "45.50", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    const session = await prisma.paymentSession.findUniqueOrThrow({ where: { id: checkout.body.id } });
    sessionId = session.id;
    cip = session.cip ?? "";
    environment = session.environment as "sandbox" | "production";
    secret = (await t.app.services.credentials.forShop(shop.id, environment))?.secretKey ?? "";
    expect(secret).not.toBe("");
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const body = JSON.stringify({ eventType: "cip.paid", operationNumber: "445566", data: { cip: "", currency: "PEN", amount: 45.5 } });
  const paidBody = () => body.replace('"cip":""', `"cip":"${cip}"`);
  const notify = async (payload: string, signature: string) => {
    const response = await fetch(`${t.url}/webhooks/pagoefectivo/${key}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "PE-Signature": signature },
      body: payload,
    });
    return { status: response.status, body: (await response.json()) as { outcome?: string; code?: string } };
  };
  const evidence = () => t.app.db.prisma.pagoEfectivoNotification.count({ where: { cip, signatureValid: true } });

  it("answers replays 'duplicate' and writes nothing more", async () => {
    const payload = paidBody();
    const first = await notify(payload, signNotification(payload, secret));
    expect(first).toEqual({ status: 200, body: expect.objectContaining({ outcome: "marked_paid" }) as unknown });
    for (let i = 0; i < 3; i += 1) {
      expect(await notify(payload, signNotification(payload, secret))).toEqual({ status: 200, body: expect.objectContaining({ outcome: "duplicate" }) as unknown });
    }
    expect(await evidence()).toBe(1);
    expect(await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: sessionId, kind: "payment_session.resolve" } })).toBe(1);
  });

  it("refuses a forged body sent with a remembered genuine signature", async () => {
    const payload = paidBody();
    const forged = payload.replace("45.5", "99.5");
    const answer = await notify(forged, signNotification(payload, secret));
    expect(answer.status).toBe(401);
  });

  it("refuses a remembered replay once the shop's secret was rotated, and answers it again once restored", async () => {
    const payload = paidBody();
    const prisma = t.app.db.prisma;
    const credential = await prisma.pagoEfectivoCredential.findFirstOrThrow({ where: { shopId, environment } });
    const box = new SecretBox(loadOrCreateSandboxKey(t.dataDir));
    await prisma.pagoEfectivoCredential.update({ where: { id: credential.id }, data: { secretKeyEncrypted: box.encrypt("a-rotated-secret-0123456789") } });
    expect((await notify(payload, signNotification(payload, secret))).status).toBe(401);
    await prisma.pagoEfectivoCredential.update({ where: { id: credential.id }, data: { secretKeyEncrypted: credential.secretKeyEncrypted } });
    expect(await notify(payload, signNotification(payload, secret))).toEqual({ status: 200, body: expect.objectContaining({ outcome: "duplicate" }) as unknown });
  });

  it("takes the full path when the stored evidence is gone, and answers as a fresh instance would", async () => {
    const payload = paidBody();
    await t.app.db.prisma.pagoEfectivoNotification.deleteMany({ where: { cip } });
    const answer = await notify(payload, signNotification(payload, secret));
    expect(answer.status).toBe(200);
    // Stored again: the full path ran (a hit from memory writes nothing).
    expect(await evidence()).toBe(1);
    await t.app.db.prisma.pagoEfectivoNotification.deleteMany({ where: { cip } });
    await t.restart();
    expect(await notify(payload, signNotification(payload, secret))).toEqual(answer);
    expect(await evidence()).toBe(1);
  });
});
