import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

import type { OperationalStats } from "../ports/operational-stats";
import type { OutboxWorkerObserver } from "../ports/outbox";
import type { SecurityCounters } from "./security-counters";

/** An external system the app calls; each gets its own latency and error series. */
export type ExternalService = "pagoefectivo" | "shopify";

/**
 * Everything /metrics exposes, in one registry (not prom-client's global one, so several apps in
 * one process, as in the tests, do not collide). Two kinds of figures:
 * - this instance's own events (requests, outbox attempts, calls to PagoEfectivo and Shopify, polls),
 *   as counters and histograms: sum them across instances;
 * - the database's state (outbox depth and age, notifications, CIPs, open exceptions), read at
 *   scrape time and the same on every instance: take one instance's value (max), do not sum.
 */
export class AppMetrics {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer an HTTP request, by route pattern",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: "outbox_delivery_attempts_total",
    help: "Outbox delivery attempts made by this instance, by job kind and outcome (done, retry, failed)",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly attemptFailures = new Counter({
    name: "outbox_delivery_failures_total",
    help: "Outbox delivery attempts that did not succeed (retry or failed), by job kind",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  private readonly leaseLost = new Counter({
    name: "outbox_lease_lost_total",
    help: "Attempts that finished after their lease had run out and another instance took the job (raise OUTBOX_LEASE_SECONDS if this grows)",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  private readonly attemptDuration = new Histogram({
    name: "outbox_delivery_duration_seconds",
    help: "Time a delivery handler took, by job kind",
    labelNames: ["kind"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly externalDuration = new Histogram({
    name: "external_request_duration_seconds",
    help: "Calls to PagoEfectivo and Shopify: latency by service, operation and result (2xx, 4xx, 5xx, error)",
    labelNames: ["service", "operation", "result"] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [this.registry],
  });
  private readonly externalErrors = new Counter({
    name: "external_request_errors_total",
    help: "Calls to PagoEfectivo and Shopify that failed (network error, timeout or 5xx/429), by service and operation",
    labelNames: ["service", "operation"] as const,
    registers: [this.registry],
  });
  private readonly cipsCreated = new Counter({
    name: "pagoefectivo_cips_created_total",
    help: "CIPs this instance created at PagoEfectivo (POST /v1/cips answered 2xx)",
    registers: [this.registry],
  });
  private readonly notificationsHandled = new Counter({
    name: "pagoefectivo_notifications_handled_total",
    help: "PagoEfectivo notifications this instance answered, by outcome (marked_paid, duplicate, amount_mismatch, ... or refused_<reason>)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly pollRuns = new Counter({
    name: "cip_poll_runs_total",
    help: "Runs of the pending-CIP poller on this instance",
    registers: [this.registry],
  });
  private readonly pollResults = new Counter({
    name: "cip_poll_sessions_total",
    help: "Sessions the poller looked at, by what it found",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  /**
   * Mirrors the in-process security and reliability counters (rejected and rate-limited notifications,
   * dead letters: app/observability/security-counters.ts) as Prometheus counters, one per name, created
   * on first use with that increment's label names.
   */
  mirror(counters: SecurityCounters): void {
    const byName = new Map<string, Counter>();
    counters.onIncrement((name, labels, by) => {
      try {
        let counter = byName.get(name);
        if (!counter) {
          counter = new Counter({ name, help: `Security and reliability events (${name})`, labelNames: Object.keys(labels).sort(), registers: [this.registry] });
          byName.set(name, counter);
        }
        counter.inc({ ...labels }, by);
      } catch {
        // A counter whose labels changed shape is not worth failing the request that counted it.
      }
    });
  }

  constructor(stats: OperationalStats) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: "outbox_jobs_pending",
      help: "Outbox jobs waiting to be delivered (database-wide), by kind",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await stats.outboxJobsByKind("pending")) this.set({ kind: row.key }, row.count);
      },
    });
    new Gauge({
      name: "outbox_oldest_pending_age_seconds",
      help: "Age of the oldest outbox job still waiting (database-wide); 0 when none",
      registers: [this.registry],
      async collect() {
        const oldest = await stats.oldestPendingOutboxJobAt();
        this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: "outbox_jobs_failed",
      help: "Outbox jobs that failed for good (database-wide), by kind: each needs a look",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await stats.outboxJobsByKind("failed")) this.set({ kind: row.key }, row.count);
      },
    });
    new Gauge({
      name: "pagoefectivo_notifications",
      help: "PagoEfectivo notifications received (database-wide), by outcome",
      labelNames: ["outcome"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await stats.notificationsByOutcome()) this.set({ outcome: row.key }, row.count);
      },
    });
    new Gauge({
      name: "payment_sessions",
      help: "Payment sessions (database-wide), by state",
      labelNames: ["state"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await stats.paymentSessionsByState()) this.set({ state: row.key }, row.count);
      },
    });
    new Gauge({
      name: "reconciliation_exceptions_open",
      help: "Reconciliation exceptions waiting for the merchant (database-wide), by kind",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await stats.openExceptionsByKind()) this.set({ kind: row.key }, row.count);
      },
    });
  }

  request(event: { method: string; route: string; status: number; seconds: number }): void {
    this.httpRequests.inc({ method: event.method, route: event.route, status: String(event.status) });
    this.httpDuration.observe({ method: event.method, route: event.route }, event.seconds);
  }

  external(event: { service: ExternalService; operation: string; status: number | null; seconds: number }): void {
    const result = event.status === null ? "error" : `${Math.floor(event.status / 100)}xx`;
    this.externalDuration.observe({ service: event.service, operation: event.operation, result }, event.seconds);
    if (event.status === null || event.status >= 500 || event.status === 429) {
      this.externalErrors.inc({ service: event.service, operation: event.operation });
    }
    if (event.service === "pagoefectivo" && event.operation === "POST /v1/cips" && event.status !== null && event.status < 300) {
      this.cipsCreated.inc();
    }
  }

  /** A notification answered: its outcome, or `refused_<reason>` (bad signature, unknown URL, rate limited, ...). */
  notification(outcome: string): void {
    this.notificationsHandled.inc({ outcome });
  }

  poll(report: Record<string, unknown>): void {
    this.pollRuns.inc();
    for (const [result, count] of Object.entries(report)) {
      if (typeof count === "number" && count > 0) this.pollResults.inc({ result }, count);
    }
  }

  /** The outbox worker's observer: attempts by kind and outcome, failures, lost leases, durations. */
  readonly outbox: OutboxWorkerObserver = {
    attempt: ({ kind, outcome, durationMs, leaseLost }) => {
      this.attempts.inc({ kind, outcome });
      if (outcome !== "done") this.attemptFailures.inc({ kind });
      if (leaseLost) this.leaseLost.inc({ kind });
      this.attemptDuration.observe({ kind }, durationMs / 1000);
    },
  };

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
