import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEMO_SHOP } from "../../../app/sandbox/attach-sandbox";
import { createCertificateAuthority, issueCertificate, loadOrCreateClientIdentity } from "../../../app/sandbox/certificates";
import { paymentSessionRequest, shopifyHeaders } from "../../helpers/mtls-client";
import { startTestApp, type TestApp } from "../../helpers/test-app";

const SECRET = "proxy-shared-secret-0123456789";

/** Behind a TLS-terminating proxy: the proxy forwards the client certificate and a shared secret. */
describe("session endpoints in MTLS_MODE=proxy", () => {
  let t: TestApp;
  beforeAll(async () => {
    // The proxy is the public https endpoint Shopify (the simulator) would call; here the test plays the proxy.
    t = await startTestApp({ env: { MTLS_MODE: "proxy", MTLS_PROXY_SECRET: SECRET, MTLS_PUBLIC_URL: "https://mtls-proxy.invalid" } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (headers: Record<string, string>) =>
    fetch(`${t.url}/shopify/payment_session`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...shopifyHeaders(DEMO_SHOP), ...headers },
      body: JSON.stringify(paymentSessionRequest()),
    });
  const shopifyCert = () =>
    encodeURIComponent(loadOrCreateClientIdentity(path.join(t.dataDir, "sandbox", "shopify-certs"), "payments-platform.shopify.sandbox").certPem);

  it("accepts a request carrying the proxy secret and a certificate that chains to Shopify's CA", async () => {
    const response = await post({ "X-Mtls-Proxy-Secret": SECRET, "X-Forwarded-Client-Cert": shopifyCert() });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { redirect_url: string }).redirect_url).toContain("/pay/");
  });

  it("refuses a request that went around the proxy (no or wrong secret), even with a good certificate", async () => {
    expect((await post({ "X-Forwarded-Client-Cert": shopifyCert() })).status).toBe(401);
    expect((await post({ "X-Mtls-Proxy-Secret": "guess-guess-guess-guess", "X-Forwarded-Client-Cert": shopifyCert() })).status).toBe(401);
  });

  it("refuses a forwarded certificate from another CA, or none", async () => {
    const impostor = issueCertificate(createCertificateAuthority("Not Shopify"), { commonName: "x", kind: "client" }).certPem;
    expect((await post({ "X-Mtls-Proxy-Secret": SECRET, "X-Forwarded-Client-Cert": encodeURIComponent(impostor) })).status).toBe(403);
    expect((await post({ "X-Mtls-Proxy-Secret": SECRET })).status).toBe(401);
    expect(await t.app.db.prisma.paymentSession.count()).toBe(1);
  });
});
