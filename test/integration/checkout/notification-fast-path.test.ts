import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signNotification } from "../../../app/adapters/pagoefectivo/pagoefectivo-signature";
import { startTestApp, type TestApp } from "../../helpers/test-app";

/**
 * POST /webhooks/pagoefectivo/:key is answered before Express (pagoefectivo-webhook-fast-path.ts); a URL the
 * fast path leaves alone (a trailing slash) reaches the Express route. Both must answer alike, with the
 * request id Express's middleware gives, and count the request under the route's pattern.
 */
const TOKEN = "metrics-token-0123456789";

describe("notification fast path", () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { SCHEDULER_ENABLED: "false", METRICS_TOKEN: TOKEN } });
    key = (await t.app.db.prisma.shop.findUniqueOrThrow({ where: { domain: "pagoefectivo-demo.myshopify.com" } })).notificationKey;
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${t.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

  it("answers a forged and an unknown-key notification as the Express route does", async () => {
    const body = JSON.stringify({ eventType: "cip.paid", data: { cip: "123", currency: "PEN", amount: "10.00" } });
    const headers = { "PE-Signature": signNotification(body, "not-the-secret") };
    for (const path of [`/webhooks/pagoefectivo/${key}`, "/webhooks/pagoefectivo/no-such-key-1"]) {
      const fast = await post(path, body, { ...headers, "X-Forwarded-For": "198.51.100.1" });
      const viaExpress = await post(`${path}/`, body, { ...headers, "X-Forwarded-For": "198.51.100.2" });
      expect(fast.status).toBe(viaExpress.status);
      expect(fast.headers.get("content-type")).toBe(viaExpress.headers.get("content-type"));
      expect(await fast.json()).toEqual(await viaExpress.json());
    }
  });

  it("echoes an acceptable X-Request-Id, makes one otherwise, and counts the request under the route", async () => {
    const body = "{}";
    const echoed = await post(`/webhooks/pagoefectivo/${key}`, body, { "X-Request-Id": "req-12345678", "X-Forwarded-For": "198.51.100.3" });
    expect(echoed.headers.get("x-request-id")).toBe("req-12345678");
    const made = await post(`/webhooks/pagoefectivo/${key}`, body, { "X-Request-Id": "bad id", "X-Forwarded-For": "198.51.100.4" });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const metrics = await (await fetch(`${t.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/webhooks\/pagoefectivo\/:key",status="401"\} [2-9]/);
  });
});
