import { Router } from "express";

import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import type { ExceptionBook, RunHistory, SettlementSettingsStore } from "../../ports/reconciliation-admin";
import type { SettlementUploads } from "../../ports/settlement-files";
import type { SettlementImportStore } from "../../ports/settlement-imports";
import type { SettlementLineCounts } from "../../ports/settlement-imports";
import type { BuildEvidenceBundle } from "../../use-cases/evidence-bundle/evidence-bundle";
import type { PreviewSettlementFile } from "../../use-cases/import-settlement-file/preview-settlement-file";
import type { StartSettlementImport } from "../../use-cases/import-settlement-file/start-settlement-import";
import type { BuildPaymentInsights } from "../../use-cases/payment-insights/payment-insights";
import type { ResolveException } from "../../use-cases/resolve-exception/resolve-exception";
import type { QueueReconciliationRun } from "../../use-cases/run-reconciliation/queue-reconciliation-run";
import type { BuildSampleSettlementFile, setUpSampleSettlement } from "../../use-cases/sample-settlement-file/sample-settlement-file";
import type { SettlementReports } from "../../use-cases/settlement-reports/settlement-reports";
import type { ManageSettlementSettings } from "../../use-cases/settlement-settings/settlement-settings";
import { insightsRoutes } from "./insights-routes";
import { reconciliationExceptionRoutes } from "./reconciliation-exception-routes";
import { reportRoutes } from "./reconciliation-report-routes";
import { settlementRoutes } from "./reconciliation-settlement-routes";

/** What the reconciliation routes call: reads through ports, every write through a use case. */
export interface ReconciliationHttpDeps {
  settings: Pick<SettlementSettingsStore, "mapping" | "feeEntries" | "payoutTermsState" | "identity">;
  manageSettings: ManageSettlementSettings;
  imports: Pick<SettlementImportStore, "list" | "findForShop">;
  lines: SettlementLineCounts;
  exceptions: Omit<ExceptionBook, "resolve">;
  resolveException: ResolveException;
  runs: RunHistory;
  uploads: SettlementUploads;
  preview: PreviewSettlementFile;
  startImport: StartSettlementImport;
  queueRun: QueueReconciliationRun;
  reports: SettlementReports;
  insights: BuildPaymentInsights;
  evidence: BuildEvidenceBundle;
  /** Sandbox only. */
  sample: BuildSampleSettlementFile | null;
  setUpSample(shopId: string): ReturnType<typeof setUpSampleSettlement>;
}

/**
 * Reconciliation and settlements in the admin JSON API (docs/admin-api.md, "Reconciliation and
 * settlements"): settlement mapping, preview and imports, fee schedule, payout cycle, reconciliation runs
 * and exceptions, reports and CSV exports, the payment evidence bundle, and the sandbox sample file.
 * Mounted inside the /api router (mount-admin.ts), so every route has a live admin session, the CSRF
 * header on writes, and acts on the session's shop only.
 */
export function reconciliationRoutes(ctx: { reconciliation: ReconciliationHttpDeps; clock: Clock; logger: Logger }): Router {
  const reconciliation = ctx.reconciliation;
  const logger = ctx.logger.child({ component: "admin-reconciliation" });
  const router = Router();
  router.use(settlementRoutes({ reconciliation, clock: ctx.clock }));
  router.use(reconciliationExceptionRoutes({ reconciliation, clock: ctx.clock, logger }));
  router.use(reportRoutes({ reconciliation, clock: ctx.clock, logger }));
  router.use(insightsRoutes({ insights: reconciliation.insights, reconciliation, clock: ctx.clock, logger }));
  return router;
}
