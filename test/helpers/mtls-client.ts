import https from "node:https";
import path from "node:path";

import { createCertificateAuthority, issueCertificate, loadOrCreateClientIdentity, loadOrCreateServerTls } from "../../app/sandbox/certificates";

export interface MtlsResponse {
  status: number;
  body: string;
  json: unknown;
}

export type ClientIdentity = "shopify" | "none" | "foreign";

/** Sends a request to the app's mTLS listener as Shopify would (or without / with a foreign certificate). */
export async function mtlsRequest(params: {
  dataDir: string;
  url: string;
  identity?: ClientIdentity;
  headers?: Record<string, string>;
  body?: string;
}): Promise<MtlsResponse> {
  const serverCa = loadOrCreateServerTls(path.join(params.dataDir, "certs")).caPem;
  let cert: string | undefined;
  let key: string | undefined;
  const identity = params.identity ?? "shopify";
  if (identity === "shopify") {
    const client = loadOrCreateClientIdentity(path.join(params.dataDir, "sandbox", "shopify-certs"), "payments-platform.shopify.sandbox");
    cert = client.certPem;
    key = client.keyPem;
  } else if (identity === "foreign") {
    const ca = createCertificateAuthority("Not Shopify CA");
    const leaf = issueCertificate(ca, { commonName: "impostor", kind: "client" });
    cert = leaf.certPem;
    key = leaf.keyPem;
  }
  const target = new URL(params.url);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        ca: serverCa,
        servername: "localhost",
        ...(cert && key ? { cert, key } : {}),
        headers: { "Content-Type": "application/json", ...params.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          let json: unknown = null;
          try {
            json = body ? JSON.parse(body) : null;
          } catch {
            json = null;
          }
          resolve({ status: response.statusCode ?? 0, body, json });
        });
      },
    );
    request.on("error", reject);
    request.end(params.body ?? "");
  });
}

export function paymentSessionRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `test${Math.random().toString(36).slice(2, 14)}`;
  return {
    id,
    gid: `gid://shopify/PaymentSession/${id}`,
    group: "grp",
    session_id: "sess",
    amount: "99.90",
    currency: "PEN",
    test: false,
    merchant_locale: "es",
    payment_method: { type: "offsite", data: { cancel_url: "https://shop.example/cancel" } },
    proposed_at: "2026-11-27T20:00:00Z",
    customer: {
      email: "ana@example.pe",
      phone_number: "+51 987 654 321",
      locale: "es-PE",
      billing_address: { given_name: "Ana", family_name: "Quispe", country_code: "PE" },
    },
    kind: "sale",
    ...overrides,
  };
}

export const shopifyHeaders = (shop: string) => ({
  "Shopify-Shop-Domain": shop,
  "Shopify-Request-Id": "req-1",
  "Shopify-Api-Version": "2026-10",
});
