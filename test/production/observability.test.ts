import { Writable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createLogger } from "../../app/lib/logger";
import { eventually, startTestApp, type TestApp } from "../helpers/test-app";
import { testEngine } from "../helpers/test-database";

const TOKEN = "metrics-token-0123456789";

describe("health, readiness, metrics and log ids", () => {
  let t: TestApp;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN }, logger: createLogger({ level: "info", destination }) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("/healthz says alive; /readyz names each check", async () => {
    expect((await t.json("GET", "/healthz")).body).toEqual({ status: "ok", database: testEngine() });
    const ready = await t.json("GET", "/readyz");
    expect(ready).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: "ok", migrations: "ok", worker: "running", shutdown: "no" }, engine: testEngine() },
    });
  });

  it("/metrics needs the bearer token, then reports requests, the outbox, deliveries and calls to PagoEfectivo and Shopify", async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { Authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);

    const checkout = await t.json<{ id: string; status: number }>("POST", "/sandbox/shopify/checkouts", { amount: "20.00", currency: "PEN", test: false });
    expect(checkout.body.status).toBe(201);
    await eventually(async () => {
      const s = await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${checkout.body.id}`);
      return s.body.state === "pending";
    });

    const scrape = async () => {
      const response = await fetch(`${t.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/plain");
      return response.text();
    };
    const text = await eventually(async () => {
      const body = await scrape();
      return body.includes('outbox_delivery_attempts_total{kind="payment_session.pending",outcome="done"} 1') ? body : null;
    });
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/readyz",status="200"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/shopify\/payment_session"\}/);
    expect(text).toContain("pagoefectivo_cips_created_total 1");
    expect(text).toMatch(/external_request_duration_seconds_count\{service="pagoefectivo",operation="POST \/v1\/cips",result="2xx"\} 1/);
    expect(text).toMatch(/external_request_duration_seconds_count\{service="shopify",operation="PaymentSessionPending",result="2xx"\} 1/);
    expect(text).toMatch(/outbox_oldest_pending_age_seconds \d/);
    expect(text).toContain('payment_sessions{state="pending"} 1');
    expect(text).toMatch(/reconciliation_exceptions_open|# HELP reconciliation_exceptions_open/);
    expect(text).toContain("# HELP pagoefectivo_notifications");
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("every log line of one request carries its request id, and of one job its job id", async () => {
    const requestId = "test-request-0001";
    const checkout = await fetch(`${t.url}/sandbox/shopify/checkouts`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Request-Id": requestId },
      body: JSON.stringify({ amount: "30.00", currency: "PEN", test: false }),
    });
    expect(checkout.headers.get("x-request-id")).toBe(requestId);
    const id = ((await checkout.json()) as { id: string }).id;

    // The simulator's request to the app's session endpoint gets its own id, on the mTLS server.
    const sessionLines = lines.filter((l) => JSON.stringify(l).includes(id) && typeof l.requestId === "string" && l.requestId !== requestId);
    expect(sessionLines.length).toBeGreaterThan(0);
    await eventually(async () => lines.some((l) => l.msg === "outbox job done" && typeof l.jobId === "string"));
    const jobLine = lines.find((l) => l.msg === "outbox job done" && typeof l.jobId === "string");
    const jobLines = lines.filter((l) => l.jobId === jobLine?.jobId);
    // The Shopify client's own line and the worker's outcome line share the job's id.
    expect(jobLines.length).toBeGreaterThan(1);
    expect(new Set(jobLines.map((l) => l.jobId)).size).toBe(1);
  });

  it("/metrics mirrors the security counters: a notification with a bad signature is counted", async () => {
    const rejected = await fetch(`${t.url}/webhooks/pagoefectivo/unknown-key-0123456789`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "PE-Signature": "not-a-signature" },
      body: JSON.stringify({ eventType: "cip.paid", data: { cip: "123" } }),
    });
    expect(rejected.status).toBeGreaterThanOrEqual(400);
    const text = await (await fetch(`${t.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).toMatch(/notifications_rejected_total\{reason="[a-z_]+"\} 1/);
  });
});
