import type { SecretBox } from "../adapters/crypto/secret-box";
import type { Database } from "../adapters/db/database";
import { PrismaPaymentInsights } from "../adapters/db/prisma-payment-insights";
import { PrismaPaymentStore } from "../adapters/db/prisma-payment-store";
import { PrismaEvidenceSource } from "../adapters/db/prisma-reconciliation-evidence";
import { PrismaReconciliationExceptions } from "../adapters/db/prisma-reconciliation-exceptions";
import { PrismaReconciliationLedger } from "../adapters/db/prisma-reconciliation-ledger";
import { PrismaOrderLinks } from "../adapters/db/prisma-reconciliation-order-links";
import { PrismaReconciliationRuns } from "../adapters/db/prisma-reconciliation-runs";
import { PrismaSchedulerLease } from "../adapters/db/prisma-scheduler-lease";
import { PrismaSettlementImports } from "../adapters/db/prisma-settlement-imports";
import { PrismaSettlementLines } from "../adapters/db/prisma-settlement-lines";
import { PrismaSettlementReports } from "../adapters/db/prisma-settlement-reports";
import { PrismaSettlementSettings } from "../adapters/db/prisma-settlement-settings";
import { SqliteDriver } from "../adapters/db/sql/sql-driver";
import { fetchEmulatorPayments } from "../adapters/pagoefectivo/emulator-payments";
import { SettlementFiles } from "../adapters/settlement-files/settlement-file-reader";
import { SettlementUploadStore } from "../adapters/settlement-files/settlement-upload-store";
import { ShopifyAdminOrdersClient } from "../adapters/shopify/admin-orders-client";
import { DailyReconciliation } from "../jobs/daily-reconciliation";
import { PeriodicTask } from "../jobs/periodic-task";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { ShopifyTarget } from "../ports/shopify-payments-apps";
import { BuildEvidenceBundle } from "../use-cases/evidence-bundle/evidence-bundle";
import { PreviewSettlementFile } from "../use-cases/import-settlement-file/preview-settlement-file";
import { SettlementImportRunner } from "../use-cases/import-settlement-file/settlement-import-runner";
import { StartSettlementImport } from "../use-cases/import-settlement-file/start-settlement-import";
import { LinkOrders } from "../use-cases/link-orders/link-orders";
import { BuildPaymentInsights } from "../use-cases/payment-insights/payment-insights";
import { ResolveException } from "../use-cases/resolve-exception/resolve-exception";
import { ABANDONED_RUN_MS, QueueReconciliationRun } from "../use-cases/run-reconciliation/queue-reconciliation-run";
import { RunReconciliation } from "../use-cases/run-reconciliation/run-reconciliation";
import { ShopWorkQueue } from "../use-cases/run-reconciliation/shop-work-queue";
import { BuildSampleSettlementFile, setUpSampleSettlement } from "../use-cases/sample-settlement-file/sample-settlement-file";
import { SettlementReports } from "../use-cases/settlement-reports/settlement-reports";
import { ManageSettlementSettings } from "../use-cases/settlement-settings/settlement-settings";

export interface ReconciliationServicesOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  dataDir: string;
  /** Admin API version, as for the Payments Apps API. */
  apiVersion: string;
  /** Origin of a shop's Admin API: `https://${shop}`, or the Shopify simulator's in sandbox mode. */
  shopOrigin: (shopDomain: string) => string;
  /** This instance, as lease holder. */
  holder: string;
  fetch?: typeof fetch;
  /** The Admin API's fetch (the app passes one that records each call's latency and errors in /metrics); default `fetch`. */
  shopifyFetch?: typeof fetch;
  /** Import batch size (tests use small batches to exercise progress). */
  importBatchSize?: number;
  /** Sandbox mode: where the PagoEfectivo emulator is, for the sample settlement file; null in production. */
  sandboxBaseUrl?: string | null;
}

/**
 * Everything behind settlement imports, reconciliation runs and their reports, composed once per app:
 * the stores, the background import runner, the per-shop work queue, and the daily run (a leased
 * periodic task). `close()` aborts imports in progress and waits for the queue.
 */
export class ReconciliationServices {
  readonly settings: PrismaSettlementSettings;
  readonly imports: PrismaSettlementImports;
  readonly lines: PrismaSettlementLines;
  readonly exceptions: PrismaReconciliationExceptions;
  readonly runs: PrismaReconciliationRuns;
  readonly uploads: SettlementUploadStore;
  readonly queue = new ShopWorkQueue();
  readonly runner: SettlementImportRunner;
  readonly startImport: StartSettlementImport;
  readonly preview: PreviewSettlementFile;
  readonly runReconciliation: RunReconciliation;
  readonly linkOrders: LinkOrders;
  readonly queueRun: QueueReconciliationRun;
  readonly manageSettings: ManageSettlementSettings;
  readonly resolveException: ResolveException;
  readonly daily: PeriodicTask;
  readonly clock: Clock;
  readonly reports: SettlementReports;
  readonly insights: BuildPaymentInsights;
  readonly evidence: BuildEvidenceBundle;
  /** Sandbox only. */
  readonly sample: BuildSampleSettlementFile | null;

  constructor(options: ReconciliationServicesOptions) {
    const { db, clock, logger } = options;
    const prisma = db.prisma;
    // The bulk reads of a run (ledger and lines, a million rows each for a big shop) skip Prisma on SQLite.
    const sqliteDriver = db.driver instanceof SqliteDriver ? db.driver : null;
    this.clock = clock;
    this.settings = new PrismaSettlementSettings(prisma);
    this.imports = new PrismaSettlementImports(prisma);
    this.lines = new PrismaSettlementLines(prisma, db.engine, db.driver);
    this.exceptions = new PrismaReconciliationExceptions(prisma, db.engine);
    this.runs = new PrismaReconciliationRuns(prisma);
    this.uploads = new SettlementUploadStore(options.dataDir);
    const files = new SettlementFiles();
    const lease = new PrismaSchedulerLease(prisma, db.engine);
    const log = logger.child({ component: "reconciliation" });

    this.runReconciliation = new RunReconciliation({
      ledger: new PrismaReconciliationLedger(prisma, db.engine, sqliteDriver),
      lines: {
        importedIds: (shopId) => this.imports.importedIds(shopId),
        coverage: (shopId) => this.imports.coverage(shopId),
        pageOfImport: (importId, after, limit) => this.lines.pageOfImport(importId, after, limit),
        saveStatuses: (importId, range, majority, others) => this.lines.saveStatuses(importId, range, majority, others),
      },
      exceptions: this.exceptions,
      runs: this.runs,
      terms: this.settings,
      lease,
      clock,
      logger: log,
      holder: options.holder,
    });
    this.runner = new SettlementImportRunner({
      imports: this.imports,
      lines: this.lines,
      uploads: this.uploads,
      files,
      queue: this.queue,
      // Already inside the shop's queue slot: run directly.
      reconcile: async (shopId) => {
        const result = await this.runReconciliation.execute({ shopId, trigger: "import" });
        return result.ok ? result.value.run.id : result.error.kind === "failed" ? result.error.runId : null;
      },
      clock,
      logger: log,
      ...(options.importBatchSize ? { batchSize: options.importBatchSize } : {}),
    });
    const mapping = (shopId: string) => this.settings.mapping(shopId);
    this.startImport = new StartSettlementImport({ imports: this.imports, uploads: this.uploads, runner: this.runner, mapping, clock });
    this.preview = new PreviewSettlementFile({ uploads: this.uploads, imports: this.imports, files, mapping });
    const orders = new ShopifyAdminOrdersClient({
      apiVersion: options.apiVersion,
      shopOrigin: options.shopOrigin,
      logger: log,
      ...(options.shopifyFetch ? { fetch: options.shopifyFetch } : options.fetch ? { fetch: options.fetch } : {}),
    });
    const reportSources = new PrismaSettlementReports(prisma, this.lines);
    this.reports = new SettlementReports({ sources: reportSources, terms: this.settings, clock });
    this.insights = new BuildPaymentInsights({ source: new PrismaPaymentInsights(prisma), clock });
    this.evidence = new BuildEvidenceBundle({ source: new PrismaEvidenceSource(prisma), clock });
    const sandboxBaseUrl = options.sandboxBaseUrl ?? null;
    this.sample = sandboxBaseUrl
      ? new BuildSampleSettlementFile({
          payments: (shopId) => reportSources.paidPayments(shopId, 5_000),
          emulatorPayments: () => fetchEmulatorPayments(sandboxBaseUrl, options.fetch),
          terms: this.settings,
          clock,
        })
      : null;
    const shops = new PrismaPaymentStore(prisma);
    // The shop's Admin API target (its offline token), or null once it is uninstalled.
    const target = async (shopId: string): Promise<ShopifyTarget | null> => {
      const shop = await shops.findShopById(shopId);
      if (!shop || shop.status !== "installed" || !shop.offlineTokenEncrypted) return null;
      return { shopDomain: shop.domain, accessToken: options.secrets.decrypt(shop.offlineTokenEncrypted) };
    };
    this.linkOrders = new LinkOrders({ store: new PrismaOrderLinks(prisma), orders, target, clock, logger: log });
    this.queueRun = new QueueReconciliationRun({ runs: this.runs, queue: this.queue, linkOrders: this.linkOrders, runReconciliation: this.runReconciliation, clock, logger: log });
    this.manageSettings = new ManageSettlementSettings({ settings: this.settings, clock });
    this.resolveException = new ResolveException({ exceptions: this.exceptions, clock });

    const daily = new DailyReconciliation({
      shops: () => this.settings.installedShopIds(),
      lastScheduledRun: async (shopId) => (await this.runs.latest(shopId, "schedule"))?.startedAt ?? null,
      // One shop after the other: a big shop's run holds its ledger index in memory.
      runShop: async (shopId) => {
        await (await this.queueRun.enqueue(shopId, "schedule", { linkOrders: true })).done;
      },
      housekeeping: async () => {
        const now = clock.now();
        await this.runner.recoverStale();
        await this.runs.failAbandoned(new Date(now.getTime() - ABANDONED_RUN_MS), now);
        this.uploads.sweep();
      },
      clock,
      logger: log,
    });
    this.daily = new PeriodicTask({
      name: "daily-reconciliation",
      everyMs: 60 * 60 * 1000,
      holder: options.holder,
      lease,
      logger: log,
      task: () => daily.tick(),
    });
  }

  /** Sandbox: the sample file's mapping, fee schedule and payout cycle, where the shop has none. */
  setUpSample(shopId: string): ReturnType<typeof setUpSampleSettlement> {
    return setUpSampleSettlement(this.settings, shopId, this.clock.now());
  }

  start(): void {
    this.daily.start();
  }

  async close(): Promise<void> {
    await this.daily.stop();
    await this.runner.close();
  }
}
