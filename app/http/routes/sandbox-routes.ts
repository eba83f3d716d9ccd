import express, { Router } from "express";
import { z } from "zod";

import type { AdjustableClock } from "../../lib/clock";
import { fromZodError } from "../http-error";

const advance = z.object({ advanceSeconds: z.number().min(0).max(60 * 60 * 24 * 30) });

/** Sandbox-only: move the app's clock forward; schedulers and backoff follow it. */
export function sandboxClockRoutes(deps: { clock: AdjustableClock; afterAdvance: () => Promise<void> }): Router {
  const router = Router();
  router.get("/sandbox/clock", (_req, res) => {
    res.json({ now: deps.clock.now().toISOString(), offsetSeconds: deps.clock.offsetSeconds });
  });
  router.post("/sandbox/clock", express.json(), async (req, res) => {
    const parsed = advance.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error, "clock request");
    deps.clock.advance(parsed.data.advanceSeconds);
    await deps.afterAdvance();
    res.json({ now: deps.clock.now().toISOString(), offsetSeconds: deps.clock.offsetSeconds });
  });
  return router;
}
