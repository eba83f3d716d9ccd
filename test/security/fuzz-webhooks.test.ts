import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signShopifyWebhook } from "../../app/adapters/crypto/hmac-signatures";
import { signNotification } from "../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { DEMO_SHOP } from "../../app/sandbox/attach-sandbox";
import { signIn } from "../helpers/admin-browser";
import { startAdminTestApp } from "../helpers/admin-test-app";
import { type Body, bodyBytes, expectClearRefusal, fuzzOptions, hostileBody, hostileContentType, rawRequest, stateFingerprint } from "../helpers/fuzz";
import type { TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Hostile input", webhooks: PagoEfectivo's payment notifications and Shopify's webhooks take
 * any bytes from anyone. Whatever arrives (malformed or wrong-shaped JSON, invalid UTF-8, a BOM, bodies
 * past the limit, odd or missing content types, missing or doubled signature headers), the answer is a
 * 4xx with a readable JSON message, never a 5xx, and nothing changes. Signatures: forged, truncated,
 * one character or one body byte changed, another shop's secret, replayed to another shop's URL: all
 * refused. Upper-case hex is the same MAC and is accepted (see "PE-Signature hex case" below).
 */
const OTHER_SHOP = "otra-tienda-arequipa.myshopify.com";
const OTHER_SECRET = "sk-OTRA-TIENDA-5e4d3c2b1a09f8e7";
const SHOPIFY_SECRET = "sandbox-api-secret";
const NOTIFICATION_FIELDS = ["eventType", "operationNumber", "data", "cip", "currency", "amount", "paymentDate", "transactionCode"] as const;

describe("fuzzing the webhooks", () => {
  let t: TestApp;
  let keyA: string;
  let keyB: string;
  let secretA: string;
  let cipA: string;
  let sessionA: string;
  let address = 0;
  // A fresh client address per request (the app trusts X-Forwarded-For, as behind its load balancer), so the
  // per-address budget for rejected notifications (rejected-notifications.test.ts) does not hide what is fuzzed.
  const nextAddress = () => {
    address += 1;
    return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
  };

  beforeAll(async () => {
    t = await startAdminTestApp({ env: { SCHEDULER_ENABLED: "false", WORKER_ENABLED: "false" } });
    const prisma = t.app.db.prisma;
    const shopA = await prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    keyA = shopA.notificationKey;
    const other = (await signIn(t, OTHER_SHOP, "install")).api;
    expect((await other.put("/api/credentials/sandbox", { accessKey: "AKOTRAPRE0001", secretKey: OTHER_SECRET, idService: 20330 })).status).toBe(200);
    keyB = (await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).notificationKey;
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "45.50", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    const session = await prisma.paymentSession.findUniqueOrThrow({ where: { id: checkout.body.id } });
    sessionA = session.id;
    cipA = session.cip ?? "";
    expect(cipA).not.toBe("");
    const creds = await t.app.services.credentials.forShop(shopA.id, session.environment as "sandbox" | "production");
    secretA = creds?.secretKey ?? "";
    expect(secretA).not.toBe("");
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const paidBody = () => JSON.stringify({ eventType: "cip.paid", operationNumber: "778899", data: { cip: cipA, currency: "PEN", amount: 45.5 } });
  const notify = (key: string, body: Buffer | string, headers: [string, string][]) =>
    rawRequest(t, "POST", `/webhooks/pagoefectivo/${key}`, {
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      headers: [["X-Forwarded-For", nextAddress()], ...headers],
    });
  const sessionState = async () => (await t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id: sessionA } })).state;
  const json: [string, string] = ["Content-Type", "application/json"];

  describe("PE-Signature", () => {
    it("refuses forged, truncated, altered, foreign and misplaced signatures, and changes nothing", async () => {
      const body = paidBody();
      const good = signNotification(body, secretA);
      const flip = (hex: string, at: number) => `${hex.slice(0, at)}${hex[at] === "0" ? "1" : "0"}${hex.slice(at + 1)}`;
      const alteredBody = Buffer.from(body);
      alteredBody[alteredBody.indexOf("45.5")] = "9".charCodeAt(0);
      const before = await stateFingerprint(t);
      const cases: Array<[string, string, Buffer | string, [string, string][]]> = [
        ["no signature", keyA, body, [json]],
        ["empty signature", keyA, body, [json, ["PE-Signature", ""]]],
        ["forged", keyA, body, [json, ["PE-Signature", "ab".repeat(32)]]],
        ["truncated", keyA, body, [json, ["PE-Signature", good.slice(0, 63)]]],
        ["truncated to half", keyA, body, [json, ["PE-Signature", good.slice(0, 32)]]],
        ["one hex digit changed", keyA, body, [json, ["PE-Signature", flip(good, 17)]]],
        ["one body byte changed", keyA, alteredBody, [json, ["PE-Signature", good]]],
        ["another shop's secret", keyA, body, [json, ["PE-Signature", signNotification(body, OTHER_SECRET)]]],
        ["the app's Shopify secret", keyA, body, [json, ["PE-Signature", signNotification(body, SHOPIFY_SECRET)]]],
        ["base64 instead of hex", keyA, body, [json, ["PE-Signature", Buffer.from(good, "hex").toString("base64")]]],
        ["sha256= prefix", keyA, body, [json, ["PE-Signature", `sha256=${good}`]]],
        ["signature twice", keyA, body, [json, ["PE-Signature", good], ["PE-Signature", good]]],
        ["replayed to another shop's URL", keyB, body, [json, ["PE-Signature", good]]],
        ["to an unknown URL key", "no-such-key", body, [json, ["PE-Signature", good]]],
      ];
      for (const [label, key, payload, headers] of cases) {
        const response = await notify(key, payload, headers);
        expectClearRefusal(label, response.status, response.text);
        expect(response.status, label).toBe(key === "no-such-key" ? 404 : 401);
      }
      expect(await stateFingerprint(t)).toBe(before);
      expect(await sessionState()).toBe("pending");
    });

    // PE-Signature hex case: PagoEfectivo's document (DOC §5.2, /work/shared/reference/pagoefectivo-v1.md) shows
    // 64 lower-case hex characters, and every known sender writes lower case (Java `%064x`, PHP `hash_hmac`).
    // The app compares the decoded 32 bytes (pagoefectivo-signature.ts), so the same MAC in upper case is
    // accepted: it proves knowledge of the secret exactly as the lower-case form does, and refusing it would
    // risk losing a genuine payment should PagoEfectivo ever change its formatter. An upper-cased forgery
    // is still a forgery.
    it("accepts the genuine MAC in upper-case hex exactly once; an upper-cased forgery is refused", async () => {
      const body = paidBody();
      const forged = await notify(keyA, body, [json, ["PE-Signature", signNotification(body, "guess").toUpperCase()]]);
      expect(forged.status).toBe(401);
      expect(await sessionState()).toBe("pending");

      const upper = await notify(keyA, body, [json, ["PE-Signature", signNotification(body, secretA).toUpperCase()]]);
      expect(upper.status, upper.text).toBe(200);
      expect(await sessionState()).toBe("paid");
      const jobs = await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: sessionA } });

      // The same notification again (lower case, mixed case), and replayed to the other shop's URL: nothing more.
      const before = await stateFingerprint(t);
      const good = signNotification(body, secretA);
      const mixed = [...good].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join("");
      expect((await notify(keyA, body, [json, ["PE-Signature", good]])).status).toBe(200);
      expect((await notify(keyA, body, [json, ["PE-Signature", mixed]])).status).toBe(200);
      expect((await notify(keyB, body, [json, ["PE-Signature", good]])).status).toBe(401);
      expect(await stateFingerprint(t)).toBe(before);
      expect(await t.app.db.prisma.outboxJob.count({ where: { paymentSessionId: sessionA } })).toBe(jobs);
    });
  });

  const keyArb = () =>
    fc.oneof(
      fc.constantFrom(keyA, keyB, "no-such-key", "%FF", "%E0%A4%A", "..%2F..%2Fetc", "k".repeat(3000), "%00", "%C3%28", encodeURIComponent("ключ")),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/),
    );
  const signatureArb = fc.option(
    fc.oneof(
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.stringMatching(/^[0-9A-Fa-f]{0,80}$/),
      fc.string({ maxLength: 100 }).filter((s) => !/[\r\n\0]/.test(s) && [...s].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f)),
    ),
    { nil: undefined },
  );

  it("never answers 5xx nor changes anything for unsigned or forged hostile notifications", async () => {
    const before = await stateFingerprint(t);
    const validNotification = paidBody();
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        keyArb(),
        hostileBody({ valid: validNotification, fieldNames: NOTIFICATION_FIELDS, hugeBytes: 70 * 1024 }),
        hostileContentType,
        signatureArb,
        fc.boolean(),
        async (key, body: Body, contentType, signature, doubled) => {
          const headers: [string, string][] = [];
          if (contentType) headers.push(["Content-Type", contentType]);
          if (signature !== undefined) headers.push(["PE-Signature", signature]);
          if (signature !== undefined && doubled) headers.push(["PE-Signature", signature]);
          const response = await notify(key, bodyBytes(body), headers);
          seen.add(response.status);
          expectClearRefusal(`key=${key.slice(0, 40)}`, response.status, response.text);
        },
      ),
      fuzzOptions(150),
    );
    expect(await stateFingerprint(t)).toBe(before);
    // The inputs reached every refusal: bad URL encoding, bad signature, unknown key, too large.
    expect([...seen]).toEqual(expect.arrayContaining([400, 401, 404, 413]));
  }, 60_000);

  it("never answers 5xx to hostile bodies signed with the shop's own secret, and never moves money", async () => {
    const moneyBefore = await moneyState();
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        hostileBody({ valid: paidBody(), fieldNames: NOTIFICATION_FIELDS, hugeBytes: 70 * 1024 }),
        hostileContentType,
        async (body: Body, contentType) => {
          const bytes = bodyBytes(body);
          const headers: [string, string][] = [["PE-Signature", signNotification(bytes, secretA)]];
          if (contentType) headers.push(["Content-Type", contentType]);
          const response = await notify(keyA, bytes, headers);
          seen.add(response.status);
          // Signed by the secret holder, a well-formed unknown event or an unknown CIP is recorded and answered 200.
          if (response.status !== 200) expectClearRefusal("signed hostile body", response.status, response.text);
        },
      ),
      fuzzOptions(120),
    );
    expect(await moneyState()).toEqual(moneyBefore);
    // Past the signature: parse errors (400), too large (413) and recorded unknown events (200).
    expect([...seen]).toEqual(expect.arrayContaining([200, 400, 413]));
  }, 60_000);

  it("a NUL character anywhere in a signed notification is a clear 400 (PostgreSQL refuses NUL in text)", async () => {
    const moneyBefore = await moneyState();
    for (const body of [
      { eventType: "cip.paid\u0000", operationNumber: "1", data: { cip: cipA, currency: "PEN", amount: 45.5 } },
      { eventType: "x\u0000y", data: {} },
      { eventType: "cip.paid", operationNumber: "1\u0000", data: { cip: "99", currency: "PEN", amount: 1 } },
      { eventType: "cip.paid", operationNumber: "2", data: { cip: "99", currency: "PEN", amount: 1, transactionCode: "t\u0000" } },
      { eventType: "cip.refunded", data: { cip: "99", "k\u0000": 1 } },
    ]) {
      const text = JSON.stringify(body);
      const response = await notify(keyA, text, [json, ["PE-Signature", signNotification(text, secretA)]]);
      expectClearRefusal(text, response.status, response.text);
      expect(response.status, text).toBe(400);
    }
    expect(await moneyState()).toEqual(moneyBefore);
  });

  const moneyState = async () => {
    const p = t.app.db.prisma;
    return {
      sessions: await p.paymentSession.findMany({ orderBy: { id: "asc" }, select: { id: true, state: true, paidAmountMinor: true, updatedAt: true } }),
      jobs: await p.outboxJob.count(),
      refunds: await p.refundSession.count(),
      shops: await p.shop.findMany({ orderBy: { id: "asc" } }),
    };
  };

  describe("Shopify webhooks", () => {
    const TOPICS = ["app/uninstalled", "shop/redact", "customers/redact", "customers/data_request", "orders/cancelled", "orders/create", "orders/paid", "nonsense", ""];
    const FIELDS = ["shop_domain", "myshopify_domain", "shop_id", "customer", "orders_to_redact", "orders_requested", "data_request", "id", "admin_graphql_api_id", "financial_status"];
    const webhook = (body: Buffer, headers: [string, string][]) => rawRequest(t, "POST", "/webhooks/shopify", { body, headers });

    it("refuses forged, truncated and foreign HMACs, and changes nothing", async () => {
      const body = JSON.stringify({ shop_id: 1, shop_domain: DEMO_SHOP });
      const good = signShopifyWebhook(body, SHOPIFY_SECRET);
      const altered = Buffer.from(body.replace('"shop_id":1', '"shop_id":2'));
      const before = await stateFingerprint(t);
      const common: [string, string][] = [json, ["X-Shopify-Topic", "shop/redact"], ["X-Shopify-Shop-Domain", DEMO_SHOP]];
      for (const [label, payload, hmac] of [
        ["no HMAC", Buffer.from(body), null],
        ["forged", Buffer.from(body), Buffer.alloc(32, 7).toString("base64")],
        ["truncated", Buffer.from(body), good.slice(0, 40)],
        ["hex instead of base64", Buffer.from(body), Buffer.from(good, "base64").toString("hex")],
        ["upper-cased base64 (a different MAC)", Buffer.from(body), good.toUpperCase()],
        ["one body byte changed", altered, good],
        ["a shop's PagoEfectivo secret", Buffer.from(body), signShopifyWebhook(body, secretA)],
        ["HMAC twice", Buffer.from(body), `${good}, ${good}`],
      ] as const) {
        const response = await webhook(payload, [...common, ...(hmac === null ? [] : ([["X-Shopify-Hmac-Sha256", hmac]] as [string, string][]))]);
        expectClearRefusal(label, response.status, response.text);
        expect(response.status, label).toBe(401);
      }
      expect(await stateFingerprint(t)).toBe(before);
      expect(await t.app.db.prisma.shop.count({ where: { domain: DEMO_SHOP } })).toBe(1);
    });

    it("a NUL character in a signed webhook is a clear 400 and changes nothing (PostgreSQL refuses NUL in text)", async () => {
      const before = await stateFingerprint(t);
      for (const [topic, body] of [
        ["customers/redact", { shop_id: 1, shop_domain: DEMO_SHOP, customer: { id: 1, email: "ana\u0000@example.pe" }, orders_to_redact: ["1\u0000"] }],
        ["customers/data_request", { shop_id: 1, shop_domain: DEMO_SHOP, customer: { email: "\u0000" }, orders_requested: [], data_request: { id: 1 } }],
        ["app/uninstalled", { myshopify_domain: `${DEMO_SHOP}\u0000` }],
        ["orders/cancelled", { id: 1, admin_graphql_api_id: "gid://shopify/Order/1\u0000", financial_status: "pending" }],
      ] as const) {
        const text = JSON.stringify(body);
        const response = await webhook(Buffer.from(text), [json, ["X-Shopify-Topic", topic], ["X-Shopify-Shop-Domain", DEMO_SHOP], ["X-Shopify-Hmac-Sha256", signShopifyWebhook(text, SHOPIFY_SECRET)]]);
        expectClearRefusal(topic, response.status, response.text);
      }
      expect(await stateFingerprint(t)).toBe(before);
    });

    it("never answers 5xx nor changes anything for hostile webhooks, signed or not", async () => {
      const before = await stateFingerprint(t);
      const deliveries = await t.app.db.prisma.shopifyWebhookDelivery.count();
      const seen = new Set<number>();
      await fc.assert(
        fc.asyncProperty(
          hostileBody({ valid: JSON.stringify({ shop_id: 1, shop_domain: "fuzz-nadie.myshopify.com" }), fieldNames: FIELDS, hugeBytes: 1024 * 1024 + 10 }),
          fc.constantFrom(...TOPICS),
          fc.constantFrom("fuzz-nadie.myshopify.com", "", "FUZZ-NADIE.MYSHOPIFY.COM", "evil.example", "a".repeat(300)),
          fc.constantFrom("signed", "unsigned", "forged"),
          hostileContentType,
          async (body: Body, topic, shop, signing, contentType) => {
            const bytes = bodyBytes(body);
            const headers: [string, string][] = [["X-Shopify-Topic", topic]];
            if (shop) headers.push(["X-Shopify-Shop-Domain", shop]);
            if (contentType) headers.push(["Content-Type", contentType]);
            if (signing === "signed") headers.push(["X-Shopify-Hmac-Sha256", signShopifyWebhook(bytes, SHOPIFY_SECRET)]);
            if (signing === "forged") headers.push(["X-Shopify-Hmac-Sha256", signShopifyWebhook(bytes, "not-the-secret")]);
            const response = await webhook(bytes, headers);
            seen.add(response.status);
            if (signing !== "signed" || response.status !== 200) expectClearRefusal(`${signing} ${topic}`, response.status, response.text);
          },
        ),
        fuzzOptions(120),
      );
      expect(await stateFingerprint(t)).toBe(before);
      expect(await t.app.db.prisma.shopifyWebhookDelivery.count()).toBe(deliveries);
      expect([...seen]).toEqual(expect.arrayContaining([200, 400, 401, 413]));
    }, 60_000);
  });
});
