import https from "node:https";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEMO_SHOP } from "../../../app/sandbox/attach-sandbox";
import { loadOrCreateClientIdentity, loadOrCreateServerTls } from "../../../app/sandbox/certificates";
import { paymentSessionRequest } from "../../helpers/mtls-client";
import { startTestApp, type TestApp } from "../../helpers/test-app";

/**
 * Issue #13: POST /shopify/payment_session is answered before Express on the mutual-TLS listener
 * (app/http/routes/session-fast-path.ts). Each case is sent twice: framed by Content-Length (the fast path) and
 * chunked (no Content-Length: left to Express's route, body-parser and error handler). Both must give the same
 * status and the same JSON; the fast path's answer is told apart by the ETag Express adds to every JSON answer.
 */
interface Answer {
  status: number;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

describe("payment sessions answered before Express on the mTLS listener", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { SCHEDULER_ENABLED: "false", WORKER_ENABLED: "false", METRICS_TOKEN: "metrics-token-0123456789" } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const send = (options: { framing: "length" | "chunked"; headers?: Record<string, string>; body: Buffer | string; identity?: boolean; path?: string }): Promise<Answer> => {
    const target = new URL(t.app.mtlsUrl);
    const client = loadOrCreateClientIdentity(path.join(t.dataDir, "sandbox", "shopify-certs"), "payments-platform.shopify.sandbox");
    const body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, "utf8");
    return new Promise((resolve, reject) => {
      const request = https.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: options.path ?? "/shopify/payment_session",
          method: "POST",
          ca: loadOrCreateServerTls(path.join(t.dataDir, "certs")).caPem,
          servername: "localhost",
          agent: false,
          ...(options.identity === false ? {} : { cert: client.certPem, key: client.keyPem }),
          headers: { "Content-Type": "application/json", ...(options.framing === "length" ? { "Content-Length": String(body.length) } : {}), ...options.headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (c: Buffer) => chunks.push(c));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: unknown = null;
            try {
              json = JSON.parse(text);
            } catch {
              json = text;
            }
            resolve({ status: response.statusCode ?? 0, json, headers: response.headers });
          });
        },
      );
      request.on("error", reject);
      if (options.framing === "chunked") {
        // Two writes, so node frames the body in chunks (Transfer-Encoding: chunked).
        request.write(body.subarray(0, Math.floor(body.length / 2)));
        request.end(body.subarray(Math.floor(body.length / 2)));
      } else {
        request.end(body);
      }
    });
  };

  const headers = (overrides: Record<string, string> = {}) => ({
    "Shopify-Shop-Domain": DEMO_SHOP,
    "Shopify-Request-Id": "req-fast-1",
    "Shopify-Api-Version": "2026-10",
    ...overrides,
  });
  const sameBothWays = async (label: string, request: { headers?: Record<string, string>; body: Buffer | string }) => {
    const fast = await send({ framing: "length", ...request });
    const slow = await send({ framing: "chunked", ...request });
    expect(fast.headers.etag, `${label}: answered by the fast path`).toBeUndefined();
    expect(slow.headers.etag, `${label}: answered by Express`).toBeDefined();
    expect({ status: fast.status, json: fast.json }, label).toEqual({ status: slow.status, json: slow.json });
    expect(fast.headers["content-type"]).toBe(slow.headers["content-type"]);
    expect(fast.headers["x-request-id"]).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    return fast;
  };

  it("answers bad headers and bodies with the same 4xx naming the field as the Express route", async () => {
    const valid = JSON.stringify(paymentSessionRequest());
    await sameBothWays("no shop domain", { headers: { "Shopify-Request-Id": "r-1", "Shopify-Api-Version": "2026-10" }, body: valid });
    await sameBothWays("bad api version", { headers: headers({ "Shopify-Api-Version": "yesterday" }), body: valid });
    await sameBothWays("empty body", { headers: headers(), body: "" });
    await sameBothWays("not JSON", { headers: headers(), body: "{not json" });
    await sameBothWays("NUL character", { headers: headers(), body: JSON.stringify(paymentSessionRequest({ group: "a\u0000b" })) });
    await sameBothWays("wrong field types", { headers: headers(), body: JSON.stringify(paymentSessionRequest({ amount: 12, test: "yes" })) });
    await sameBothWays("invalid UTF-8", { headers: headers(), body: Buffer.concat([Buffer.from(valid.slice(0, 10)), Buffer.from([0xc3, 0x28]), Buffer.from(valid.slice(10))]) });
    await sameBothWays("unknown shop (404)", { headers: headers({ "Shopify-Shop-Domain": "nobody-here.myshopify.com" }), body: valid });
    await sameBothWays("unsupported currency (422)", { headers: headers(), body: JSON.stringify(paymentSessionRequest({ currency: "EUR" })) });
    const fast = await send({ framing: "length", headers: headers({ "Shopify-Request-Id": "" }), body: valid });
    expect(fast.status).toBe(400);
    expect(JSON.stringify(fast.json)).toContain("shopify-request-id");
  });

  it("creates a session (201, the buyer page) with a byte-order mark in front, and answers its retry the same", async () => {
    const body = JSON.stringify(paymentSessionRequest());
    const first = await send({ framing: "length", headers: headers({ "X-Request-Id": "shopify-trace-0001" }), body: `\uFEFF${body}` });
    expect(first.status).toBe(201);
    expect(first.headers.etag).toBeUndefined();
    expect(first.headers["x-request-id"]).toBe("shopify-trace-0001");
    expect((first.json as { redirect_url: string }).redirect_url).toMatch(/\/pay\//);
    const retry = await send({ framing: "chunked", headers: headers(), body });
    expect({ status: retry.status, json: retry.json }).toEqual({ status: first.status, json: first.json });
  });

  it("leaves to Express what it does not serve: no client certificate, other charsets, bodies over 64 kB, other paths", async () => {
    const valid = JSON.stringify(paymentSessionRequest());
    const noCert = await send({ framing: "length", headers: headers(), body: valid, identity: false });
    expect(noCert.status).toBe(401);
    expect(noCert.json).toMatchObject({ error: { code: "client_certificate_required" } });
    const latin1 = await send({ framing: "length", headers: { ...headers(), "Content-Type": "application/json; charset=latin1" }, body: valid });
    expect(latin1.headers.etag).toBeDefined();
    const huge = await send({ framing: "length", headers: headers(), body: `${valid}${" ".repeat(70_000)}` });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ error: { code: "bad_request", message: "Request body is too large" } });
    const refund = await send({ framing: "length", headers: headers(), body: "{}", path: "/shopify/refund_session" });
    expect(refund.status).toBe(400);
    expect(refund.headers.etag).toBeDefined();
  });

  it("counts the requests it answers under the route's pattern", async () => {
    const metrics = await fetch(`${t.url}/metrics`, { headers: { Authorization: "Bearer metrics-token-0123456789" } });
    const text = await metrics.text();
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/shopify\/payment_session",status="201"\} [1-9]/);
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/shopify\/payment_session",status="400"\} [1-9]/);
  });
});
