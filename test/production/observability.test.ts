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

  it("/metrics moves with every event the issue names: calls and their errors, failed deliveries, outbox depth, notifications by outcome, open exceptions, polls", async () => {
    const scrape = async () => (await fetch(`${t.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    const before = await scrape();
    const moved = async (series: string, by = 1) => {
      const start = sample(before, series);
      return eventually(async () => {
        const text = await scrape();
        return sample(text, series) >= start + by ? text : null;
      });
    };
    const sessionOf = async (id: string) => t.app.db.prisma.paymentSession.findUniqueOrThrow({ where: { id } });
    const checkout = async (amount: string) => {
      const answer = await t.json<{ id: string }>("POST", "/sandbox/shopify/checkouts", { amount, currency: "PEN", test: false });
      return answer.body.id;
    };

    // PagoEfectivo answers one CIP creation with a 500: the call's latency is recorded as 5xx, and it counts as an error.
    expect((await t.json("POST", "/sandbox/pagoefectivo/faults", { kind: "error5xx", count: 1, paths: ["cips"] })).status).toBe(201);
    await checkout("41.00");
    await moved('external_request_errors_total{service="pagoefectivo",operation="POST /v1/cips"}');
    await moved('external_request_duration_seconds_count{service="pagoefectivo",operation="POST /v1/cips",result="5xx"}');

    // Shopify answers the next Payments Apps call with a 500: a failed delivery by kind, a Shopify error, and the
    // job waits in the outbox for its retry (depth and oldest age).
    const first = await checkout("43.00");
    await eventually(async () => (await t.json<{ state: string }>("GET", `/sandbox/shopify/payment-sessions/${first}`)).body.state === "pending" || null);
    expect((await t.json("POST", "/sandbox/shopify/faults", { kind: "error500", count: 1, api: "payments" })).status).toBe(201);
    const second = await checkout("42.00");
    const failed = await moved('outbox_delivery_failures_total{kind="payment_session.pending"}');
    expect(sample(failed, 'outbox_delivery_attempts_total{kind="payment_session.pending",outcome="retry"}')).toBeGreaterThanOrEqual(1);
    expect(sample(failed, 'external_request_errors_total{service="shopify",operation="PaymentSessionPending"}')).toBeGreaterThanOrEqual(1);
    expect(sample(failed, 'outbox_jobs_pending{kind="payment_session.pending"}')).toBe(1);
    expect(sample(failed, "outbox_oldest_pending_age_seconds")).toBeGreaterThanOrEqual(0);

    // Notifications by outcome (this instance's answers, and the database's record), and the open exception a
    // short payment raises.
    const firstCip = (await eventually(async () => (await sessionOf(first)).cip)) ?? "";
    const secondCip = (await eventually(async () => (await sessionOf(second)).cip)) ?? "";
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${firstCip}/pay`, {})).status).toBe(200);
    await moved('pagoefectivo_notifications_handled_total{outcome="marked_paid"}');
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${firstCip}/notify`, {})).status).toBe(200);
    await moved('pagoefectivo_notifications_handled_total{outcome="duplicate"}');
    expect((await t.json("POST", `/sandbox/pagoefectivo/cips/${secondCip}/pay`, { amount: "40.00" })).status).toBe(200);
    const flagged = await moved('reconciliation_exceptions_open{kind="amount_mismatch"}');
    expect(sample(flagged, 'pagoefectivo_notifications{outcome="marked_paid"}')).toBeGreaterThanOrEqual(1);
    expect(flagged).toMatch(/pagoefectivo_notifications_handled_total\{outcome="flagged[a-z_]*"\} 1/);

    // The poller: moving the sandbox clock runs it; the retried delivery then goes through.
    expect((await t.json("POST", "/sandbox/clock", { advanceSeconds: 600 })).status).toBe(200);
    const polled = await moved("cip_poll_runs_total");
    expect(polled).toMatch(/cip_poll_sessions_total\{result="checked"\} [1-9]/);
    const done = await moved('outbox_delivery_attempts_total{kind="payment_session.pending",outcome="done"}', 2);
    expect(sample(done, 'outbox_jobs_pending{kind="payment_session.pending"}')).toBe(0);
  });
});

/** The value of one series in a Prometheus text exposition (0 when absent). */
function sample(text: string, series: string): number {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return 0;
}
