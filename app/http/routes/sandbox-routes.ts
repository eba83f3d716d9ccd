import express, { Router } from "express";
import { z } from "zod";

import type { AdjustableClock } from "../../lib/clock";
import { fromZodError } from "../http-error";

const MAX_SECONDS = 60 * 60 * 24 * 30;
const advance = z.union([
  z.strictObject({ advanceSeconds: z.number().min(0).max(MAX_SECONDS) }),
  /** Adopt another process's offset (never backwards): how separate sandbox processes and app instances stay in step. */
  z.strictObject({ offsetSeconds: z.number().min(0).max(MAX_SECONDS * 12) }),
]);

/**
 * Sandbox-only: move the clock forward; schedulers and backoff follow it. The clock is shared through
 * DATA_DIR/sandbox/clock.json (ClockOffsetFile) by every process on that DATA_DIR, and kept in step with a
 * separate `npm run sandbox` process by attach-sandbox.
 */
export function sandboxClockRoutes(deps: { clock: AdjustableClock; afterAdvance: () => Promise<void> }): Router {
  const router = Router();
  router.get("/sandbox/clock", (_req, res) => {
    res.json({ now: deps.clock.now().toISOString(), offsetSeconds: deps.clock.offsetSeconds });
  });
  router.post("/sandbox/clock", express.json(), async (req, res) => {
    const parsed = advance.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error, "clock request");
    if ("advanceSeconds" in parsed.data) deps.clock.advance(parsed.data.advanceSeconds);
    else deps.clock.adoptOffset(parsed.data.offsetSeconds);
    await deps.afterAdvance();
    res.json({ now: deps.clock.now().toISOString(), offsetSeconds: deps.clock.offsetSeconds });
  });
  return router;
}
