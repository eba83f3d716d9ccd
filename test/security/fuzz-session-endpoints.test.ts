import { readFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEMO_SHOP } from "../../app/sandbox/attach-sandbox";
import { createCertificateAuthority, issueCertificate, loadOrCreateClientIdentity, loadOrCreateServerTls, type PemPair } from "../../app/sandbox/certificates";
import { type Body, bodyBytes, expectClearRefusal, fuzzOptions, hostileBody, hostileContentType, rawRequest, stateFingerprint } from "../helpers/fuzz";
import { paymentSessionRequest } from "../helpers/mtls-client";
import { startTestApp, type TestApp } from "../helpers/test-app";

/**
 * Issue #10, "Hostile input", Shopify's session endpoints (payment and refund sessions, behind mTLS):
 * hostile bodies, wrong-typed fields, odd encodings, missing or doubled headers and wrong content types
 * get a 4xx with a readable JSON message and change nothing; a well-formed request may still create its
 * session (201), never a 5xx. Client certificates: none, self-signed, from another CA, or expired (even
 * one signed by Shopify's CA): refused. Behind a TLS proxy (MTLS_MODE=proxy), a garbled forwarded
 * certificate header is refused too.
 */
const PAYMENT_FIELDS = ["id", "gid", "group", "session_id", "amount", "currency", "test", "merchant_locale", "payment_method", "proposed_at", "customer", "kind"] as const;
const REFUND_FIELDS = ["id", "gid", "payment_id", "amount", "currency", "test", "merchant_locale", "proposed_at"] as const;

type Identity = PemPair | null;

/** One request to the mTLS listener, raw bytes, headers as a list (duplicates kept), any client certificate. */
function mtlsRaw(
  t: TestApp,
  pathname: string,
  options: { identity: Identity; headers: [string, string][]; body: Buffer },
): Promise<{ status: number; text: string } | { error: string }> {
  const target = new URL(t.app.mtlsUrl);
  const serverCa = loadOrCreateServerTls(path.join(t.dataDir, "certs")).caPem;
  const headers = ["Host", target.host];
  for (const [name, value] of options.headers) headers.push(name, value);
  headers.push("Content-Length", String(options.body.length));
  return new Promise((resolve) => {
    const request = https.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: pathname,
        method: "POST",
        ca: serverCa,
        servername: "localhost",
        agent: false,
        ...(options.identity ? { cert: options.identity.certPem, key: options.identity.keyPem } : {}),
        headers,
        timeout: 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    request.on("timeout", () => request.destroy(new Error("timeout")));
    // A refused handshake is a refusal too; the test says which ones must be an HTTP answer.
    request.on("error", (error) => resolve({ error: error.message }));
    request.end(options.body);
  });
}

function shopifyIdentity(t: TestApp): PemPair {
  const bundle = loadOrCreateClientIdentity(path.join(t.dataDir, "sandbox", "shopify-certs"), "payments-platform.shopify.sandbox");
  return { certPem: bundle.certPem, keyPem: bundle.keyPem };
}

/** The sandbox's "Shopify Payments Platform" CA itself (certificate and key), to sign an expired client certificate. */
function shopifyCa(t: TestApp): PemPair {
  const dir = path.join(t.dataDir, "sandbox", "shopify-certs");
  return { certPem: readFileSync(path.join(dir, "payments-platform-client-ca.pem"), "utf8"), keyPem: readFileSync(path.join(dir, "payments-platform-client-ca-key.pem"), "utf8") };
}

const headersFor = (shop: string): [string, string][] => [
  ["Shopify-Shop-Domain", shop],
  ["Shopify-Request-Id", "req-fuzz"],
  ["Shopify-Api-Version", "2026-10"],
];

/** Header sets a hostile or broken client may send: missing, doubled, wrong-valued, oddly cased. */
const hostileHeaders = fc
  .tuple(
    fc.constantFrom<[string, string] | null>(
      ["Shopify-Shop-Domain", DEMO_SHOP],
      ["Shopify-Shop-Domain", "PAGOEFECTIVO-DEMO.MYSHOPIFY.COM"],
      ["Shopify-Shop-Domain", "nadie.myshopify.com"],
      ["Shopify-Shop-Domain", "evil.example"],
      ["Shopify-Shop-Domain", `${DEMO_SHOP}, ${DEMO_SHOP}`],
      ["Shopify-Shop-Domain", ""],
      null,
    ),
    fc.constantFrom<[string, string] | null>(["Shopify-Request-Id", "r-1"], ["Shopify-Request-Id", "r".repeat(400)], ["Shopify-Request-Id", ""], null),
    fc.constantFrom<[string, string] | null>(
      ["Shopify-Api-Version", "2026-10"],
      ["Shopify-Api-Version", "unstable"],
      ["Shopify-Api-Version", "1999-01"],
      ["Shopify-Api-Version", "2026-10, 2026-10"],
      ["Shopify-Api-Version", "latest"],
      null,
    ),
    fc.boolean(),
    hostileContentType,
  )
  .map(([shop, request, version, doubled, contentType]) => {
    const list = [shop, request, version].filter((h): h is [string, string] => h !== null);
    if (doubled && list[0]) list.push(list[0]);
    if (contentType) list.push(["Content-Type", contentType]);
    return list;
  });

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, "", " ", -1, 0, 1e308, "0", "-0.01", "0.00", "1e3", "99999999999999999.99", "9999999999999999.99", "2147483648", "21474836.48", "12.345", "NaN",
    "PEN ", "pen", "XXX", "gid://shopify/PaymentSession/", "\u0000", "\uFEFF", "\uD800", "2026-02-30T25:61:00Z", "0000-00-00T00:00:00Z", "x".repeat(20_000)),
);

/** A well-formed request with one field (or one nested customer field) replaced by a hostile value. */
function mutatedRequest(base: () => Record<string, unknown>, fields: readonly string[]) {
  const nested = ["customer.email", "customer.phone_number", "customer.locale", "customer.billing_address", "customer.billing_address.given_name", "payment_method.type", "payment_method.data.cancel_url"];
  return fc.tuple(fc.constantFrom(...fields, ...(fields.includes("customer") ? nested : [])), hostileValue, fc.boolean()).map(([field, value, remove]) => {
    const request = base();
    const parts = field.split(".");
    let target: Record<string, unknown> = request;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (!next || typeof next !== "object") return JSON.stringify(request);
      target = next as Record<string, unknown>;
    }
    const last = parts.at(-1) ?? field;
    if (remove) delete target[last];
    else target[last] = value;
    return JSON.stringify(request);
  });
}

describe("fuzzing the session endpoints (mTLS)", () => {
  let t: TestApp;
  let paidSessionId: string;
  let shopify: PemPair;
  let runs = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { SCHEDULER_ENABLED: "false", WORKER_ENABLED: "false" } });
    shopify = shopifyIdentity(t);
    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { shop: DEMO_SHOP, amount: "30.00", currency: "PEN" });
    expect(checkout.body.status).toBe(201);
    paidSessionId = checkout.body.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const uniqueId = () => `fuzz${(runs += 1)}x${Date.now().toString(36)}`;
  const paymentBase = () => paymentSessionRequest({ id: uniqueId() });
  const refundBase = () => {
    const id = uniqueId();
    return { id, gid: `gid://shopify/RefundSession/${id}`, payment_id: paidSessionId, amount: "1.00", currency: "PEN", test: false, merchant_locale: "es", proposed_at: "2026-11-27T20:00:00Z" };
  };

  const seen = new Set<number>();
  const property = (pathname: string, body: fc.Arbitrary<Body>, label: string) =>
    fc.asyncProperty(body, hostileHeaders, async (input: Body, headers) => {
      const before = await stateFingerprint(t);
      const answer = await mtlsRaw(t, pathname, { identity: shopify, headers, body: bodyBytes(input) });
      if ("error" in answer) throw new Error(`${label}: connection failed: ${answer.error}`);
      seen.add(answer.status);
      if (answer.status === 201) return; // A request well-formed enough to be a session: created, as Shopify expects.
      expectClearRefusal(label, answer.status, answer.text);
      expect(await stateFingerprint(t), `${label}: a refused request changed the state`).toBe(before);
    });

  it("payment sessions: hostile bodies and headers get a clear 4xx and change nothing", async () => {
    const valid = JSON.stringify(paymentBase());
    await fc.assert(property("/shopify/payment_session", hostileBody({ valid, fieldNames: PAYMENT_FIELDS, hugeBytes: 70 * 1024 }).map((b) => b), "payment session"), fuzzOptions(80));
  }, 60_000);

  it("payment sessions: one hostile field in a well-formed request never makes a 5xx", async () => {
    await fc.assert(
      property(
        "/shopify/payment_session",
        mutatedRequest(paymentBase, PAYMENT_FIELDS).map((text): Body => ({ kind: "text", text })),
        "payment session field",
      ),
      fuzzOptions(80),
    );
  }, 90_000);

  it("refund sessions: hostile bodies, fields and headers get a clear 4xx and change nothing", async () => {
    const valid = JSON.stringify(refundBase());
    const body = fc.oneof(
      hostileBody({ valid, fieldNames: REFUND_FIELDS, hugeBytes: 70 * 1024 }),
      mutatedRequest(refundBase, REFUND_FIELDS).map((text): Body => ({ kind: "text", text })),
    );
    await fc.assert(property("/shopify/refund_session", body, "refund session"), fuzzOptions(80));
  }, 60_000);

  it("a NUL character in any text field never makes a 5xx (PostgreSQL refuses NUL in text)", async () => {
    const nul = "a\u0000b";
    const payments: Array<(r: Record<string, unknown>) => void> = [
      (r) => (r.id = `nul${uniqueId()}\u0000`),
      (r) => (r.group = nul),
      (r) => (r.session_id = nul),
      (r) => (r.merchant_locale = nul),
      (r) => (r.kind = nul),
      (r) => (r.customer = { ...(r.customer as object), email: nul }),
      (r) => (r.customer = { ...(r.customer as object), phone_number: `+51 987\u0000654321` }),
      (r) => (r.customer = { ...(r.customer as object), billing_address: { given_name: nul, family_name: nul, country_code: "PE" } }),
      (r) => (r.payment_method = { type: "offsite", data: { cancel_url: `https://shop.example/\u0000` } }),
    ];
    for (const mutate of payments) {
      const request = paymentBase();
      mutate(request);
      const answer = await mtlsRaw(t, "/shopify/payment_session", { identity: shopify, headers: [...headersFor(DEMO_SHOP), ["Content-Type", "application/json"]], body: Buffer.from(JSON.stringify(request)) });
      if ("error" in answer) throw new Error(answer.error);
      seen.add(answer.status);
      if (answer.status !== 201) expectClearRefusal(`payment ${mutate.toString()}`, answer.status, answer.text);
    }
    for (const field of ["id", "merchant_locale", "payment_id"]) {
      const request: Record<string, unknown> = { ...refundBase(), [field]: nul };
      const answer = await mtlsRaw(t, "/shopify/refund_session", { identity: shopify, headers: [...headersFor(DEMO_SHOP), ["Content-Type", "application/json"]], body: Buffer.from(JSON.stringify(request)) });
      if ("error" in answer) throw new Error(answer.error);
      if (answer.status !== 201) expectClearRefusal(`refund ${field}`, answer.status, answer.text);
    }
    const headers: [string, string][] = [["Shopify-Shop-Domain", DEMO_SHOP], ["Shopify-Request-Id", "r%00"], ["Shopify-Api-Version", "2026-10"], ["Content-Type", "application/json"]];
    const answer = await mtlsRaw(t, "/shopify/payment_session", { identity: shopify, headers, body: Buffer.from(JSON.stringify(paymentBase())) });
    if ("error" in answer) throw new Error(answer.error);
    expect(answer.status).toBeLessThan(500);
  }, 60_000);

  it("reached the routes' refusals and creations", () => {
    // Bad headers or body (400), unknown shop (404), too large (413), wrong-typed field (400/422), created (201).
    expect([...seen]).toEqual(expect.arrayContaining([201, 400, 404, 413]));
  });

  it("refuses no certificate, a self-signed one, another CA's, and an expired one signed by Shopify's CA", async () => {
    const otherCa = createCertificateAuthority("Not Shopify Payments Platform");
    const tenDaysAgo = { now: () => new Date(Date.now() - 10 * 24 * 3600 * 1000) };
    const identities: Array<[string, Identity]> = [
      ["no certificate", null],
      ["self-signed", createCertificateAuthority("payments-platform.shopify.sandbox")],
      ["another CA", issueCertificate(otherCa, { commonName: "payments-platform.shopify.sandbox", kind: "client" })],
      ["expired, Shopify's CA", issueCertificate(shopifyCa(t), { commonName: "payments-platform.shopify.sandbox", kind: "client", days: 1, clock: tenDaysAgo })],
      ["not yet valid, Shopify's CA", issueCertificate(shopifyCa(t), { commonName: "payments-platform.shopify.sandbox", kind: "client", days: 30, clock: { now: () => new Date(Date.now() + 5 * 24 * 3600 * 1000) } })],
    ];
    const before = await stateFingerprint(t);
    for (const [label, identity] of identities) {
      for (const pathname of ["/shopify/payment_session", "/shopify/refund_session"]) {
        const body = Buffer.from(JSON.stringify(pathname.includes("payment") ? paymentBase() : refundBase()));
        const answer = await mtlsRaw(t, pathname, { identity, headers: [...headersFor(DEMO_SHOP), ["Content-Type", "application/json"]], body });
        // The listener asks for a certificate without failing the handshake, so a refusal is a readable answer.
        if ("error" in answer) throw new Error(`${label}: expected an HTTP refusal, got ${answer.error}`);
        expectClearRefusal(`${label} ${pathname}`, answer.status, answer.text);
        expect([401, 403], `${label} ${pathname}`).toContain(answer.status);
      }
    }
    expect(await stateFingerprint(t)).toBe(before);
    // The genuine certificate still works.
    const ok = await mtlsRaw(t, "/shopify/payment_session", { identity: shopify, headers: [...headersFor(DEMO_SHOP), ["Content-Type", "application/json"]], body: Buffer.from(JSON.stringify(paymentBase())) });
    expect("status" in ok && ok.status).toBe(201);
  }, 60_000);

  it("refuses the session endpoints on the plain HTTP listener", async () => {
    for (const pathname of ["/shopify/payment_session", "/shopify/refund_session"]) {
      const answer = await rawRequest(t, "POST", pathname, { headers: [...headersFor(DEMO_SHOP), ["Content-Type", "application/json"]], body: Buffer.from(JSON.stringify(paymentBase())) });
      expectClearRefusal(pathname, answer.status, answer.text);
    }
  });
});

describe("fuzzing the session endpoints behind a TLS proxy (MTLS_MODE=proxy)", () => {
  const SECRET = "proxy-shared-secret-fuzz-0123456789";
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { MTLS_MODE: "proxy", MTLS_PROXY_SECRET: SECRET, MTLS_PUBLIC_URL: "https://mtls-proxy.invalid", SCHEDULER_ENABLED: "false", WORKER_ENABLED: "false" } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("answers a garbled, foreign or expired forwarded certificate with a clear 4xx and changes nothing", async () => {
    const good = encodeURIComponent(shopifyIdentity(t).certPem);
    const expired = encodeURIComponent(
      issueCertificate(shopifyCa(t), { commonName: "x", kind: "client", days: 1, clock: { now: () => new Date(Date.now() - 10 * 24 * 3600 * 1000) } }).certPem,
    );
    const foreign = encodeURIComponent(issueCertificate(createCertificateAuthority("Other"), { commonName: "x", kind: "client" }).certPem);
    const before = await stateFingerprint(t);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(expired, foreign, "%", "%E0%A4%A", "%FF%FE", `${good.slice(0, 200)}%`, good.slice(0, 300), `Hash=abc;Cert="%ZZ"`, `Cert="${foreign}"`, encodeURIComponent("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")),
          fc.string({ maxLength: 200 }).filter((s) => [...s].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f)),
          fc.tuple(fc.nat({ max: good.length - 1 }), fc.constantFrom("%", "%G", "%C3", "%FF", "\\")).map(([at, junk]) => good.slice(0, at) + junk + good.slice(at)),
        ),
        fc.constantFrom(SECRET, "wrong-secret-wrong-secret", ""),
        async (certHeader, secret) => {
          const headers: [string, string][] = [...headersFor(DEMO_SHOP), ["Content-Type", "application/json"], ["X-Forwarded-Client-Cert", certHeader]];
          if (secret) headers.push(["X-Mtls-Proxy-Secret", secret]);
          const answer = await rawRequest(t, "POST", "/shopify/payment_session", { headers, body: Buffer.from(JSON.stringify(paymentSessionRequest())) });
          expectClearRefusal(`cert=${certHeader.slice(0, 60)}`, answer.status, answer.text);
        },
      ),
      fuzzOptions(80),
    );
    expect(await stateFingerprint(t)).toBe(before);
  }, 60_000);
});
