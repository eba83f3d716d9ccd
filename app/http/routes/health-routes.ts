import { Router } from "express";

import type { DatabaseHealth } from "../../ports/health";

export function healthRoutes(db: DatabaseHealth): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    const up = await db.ping();
    res.status(up ? 200 : 503).json({ status: up ? "ok" : "degraded", database: db.engine });
  });
  return router;
}
