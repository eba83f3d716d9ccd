import { Router } from "express";

import type { Database } from "../../adapters/db/database";

export function healthRoutes(db: Database): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    const up = await db.ping();
    res.status(up ? 200 : 503).json({ status: up ? "ok" : "degraded", database: db.engine });
  });
  return router;
}
