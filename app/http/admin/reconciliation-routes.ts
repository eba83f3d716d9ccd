import { Router } from "express";

import type { ReconciliationServices } from "../../composition/reconciliation-services";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { reconciliationExceptionRoutes } from "./reconciliation-exception-routes";
import { reportRoutes } from "./reconciliation-report-routes";
import { settlementRoutes } from "./reconciliation-settlement-routes";

/**
 * Reconciliation and settlements in the admin JSON API (docs/admin-api.md, "Reconciliation and
 * settlements"): settlement mapping, preview and imports, fee schedule, payout cycle, reconciliation runs
 * and exceptions, reports and CSV exports, the payment evidence bundle, and the sandbox sample file.
 * Mounted inside the /api router (mount-admin.ts), so every route has a live admin session, the CSRF
 * header on writes, and acts on the session's shop only.
 */
export function reconciliationRoutes(ctx: { reconciliation: ReconciliationServices; clock: Clock; logger: Logger }): Router {
  const reconciliation = ctx.reconciliation;
  const logger = ctx.logger.child({ component: "admin-reconciliation" });
  const router = Router();
  router.use(settlementRoutes({ reconciliation, clock: ctx.clock }));
  router.use(reconciliationExceptionRoutes({ reconciliation, clock: ctx.clock, logger }));
  router.use(reportRoutes({ reconciliation, clock: ctx.clock, logger }));
  return router;
}
