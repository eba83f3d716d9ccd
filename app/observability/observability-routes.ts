import { timingSafeEqual } from "node:crypto";

import { Router } from "express";

import type { DatabaseHealth } from "../ports/operational-stats";
import type { AppMetrics } from "./metrics";

export interface ReadinessChecks {
  db: DatabaseHealth;
  /** Whether the outbox worker should be running here (WORKER_ENABLED) and is. */
  worker: { enabled: boolean; running(): boolean };
  /** True from the moment shutdown starts: a load balancer stops sending traffic here. */
  draining(): boolean;
}

/**
 * `/healthz`: the process is alive and answering (restart it if not).
 * `/readyz`: it should get traffic: database reachable, schema up to date, worker running, not
 * shutting down. Each check is named in the answer so a 503 says which one failed.
 * `/metrics`: Prometheus text format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`.
 */
export function observabilityRoutes(deps: { checks: ReadinessChecks; metrics: AppMetrics; metricsToken: string | null }): Router {
  const router = Router();
  const { checks } = deps;

  router.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ status: "ok", database: checks.db.engine });
  });

  router.get("/readyz", async (_req, res) => {
    const database = await checks.db.ping();
    const pending = database ? await checks.db.pendingMigrations().catch(() => null) : null;
    const worker = !checks.worker.enabled || checks.worker.running();
    const draining = checks.draining();
    const ready = database && pending !== null && pending.length === 0 && worker && !draining;
    res.setHeader("Cache-Control", "no-store");
    res.status(ready ? 200 : 503).json({
      status: ready ? "ready" : "not_ready",
      checks: {
        database: database ? "ok" : "unreachable",
        migrations: pending === null ? "unknown" : pending.length === 0 ? "ok" : `pending: ${pending.join(", ")}`,
        worker: !checks.worker.enabled ? "disabled" : worker ? "running" : "stopped",
        shutdown: draining ? "in progress" : "no",
      },
      engine: checks.db.engine,
    });
  });

  const expected = deps.metricsToken ? Buffer.from(`Bearer ${deps.metricsToken}`) : null;
  router.get("/metrics", async (req, res) => {
    if (expected) {
      const given = Buffer.from(req.get("authorization") ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
        res.status(401).json({ error: { code: "unauthorized", message: "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>" } });
        return;
      }
    }
    const { contentType, body } = await deps.metrics.render();
    res.setHeader("Cache-Control", "no-store");
    res.type(contentType).send(body);
  });

  return router;
}
