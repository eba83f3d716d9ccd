import type { SecretBox } from "../adapters/crypto/secret-box";
import type { Database } from "../adapters/db/database";
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
import { ShopifyAdminOrdersClient } from "../adapters/shopify/admin-orders-client";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { err, type Result } from "../lib/result";
import type { ShopifyTarget } from "../ports/shopify-payments-apps";
import { BuildEvidenceBundle } from "../use-cases/evidence-bundle/evidence-bundle";
import { PreviewSettlementFile } from "../use-cases/import-settlement-file/preview-settlement-file";
import { SettlementImportRunner } from "../use-cases/import-settlement-file/settlement-import-runner";
import { SettlementUploadStore } from "../use-cases/import-settlement-file/settlement-upload-store";
import { StartSettlementImport } from "../use-cases/import-settlement-file/start-settlement-import";
import { LinkOrders, type LinkOrdersReport } from "../use-cases/link-orders/link-orders";
import type { RunRecord, RunStats, RunTrigger } from "../use-cases/run-reconciliation/reconciliation-ports";
import { type RunError, RunReconciliation } from "../use-cases/run-reconciliation/run-reconciliation";
import { ShopWorkQueue } from "../use-cases/run-reconciliation/shop-work-queue";
import { fetchEmulatorPayments } from "../use-cases/sample-settlement-file/emulator-payments";
import { BuildSampleSettlementFile, setUpSampleSettlement } from "../use-cases/sample-settlement-file/sample-settlement-file";
import { SettlementReports } from "../use-cases/settlement-reports/settlement-reports";
import { DailyReconciliation } from "./daily-reconciliation";
import { PeriodicTask } from "./periodic-task";

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
  /** Import batch size (tests use small batches to exercise progress). */
  importBatchSize?: number;
  /** Sandbox mode: where the PagoEfectivo emulator is, for the sample settlement file; null in production. */
  sandboxBaseUrl?: string | null;
}

export interface RunOutcome {
  readonly links: LinkOrdersReport | null;
  readonly result: Result<{ run: RunRecord; stats: RunStats }, RunError>;
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
  /** Each shop's manual run while it is queued or going (see requestManualRun). */
  private readonly manualRuns = new Map<string, Promise<RunRecord>>();
  readonly runner: SettlementImportRunner;
  readonly startImport: StartSettlementImport;
  readonly preview: PreviewSettlementFile;
  readonly runReconciliation: RunReconciliation;
  readonly linkOrders: LinkOrders;
  readonly daily: PeriodicTask;
  readonly clock: Clock;
  readonly reports: SettlementReports;
  readonly evidence: BuildEvidenceBundle;
  /** Sandbox only. */
  readonly sample: BuildSampleSettlementFile | null;

  constructor(private readonly options: ReconciliationServicesOptions) {
    const { db, clock, logger } = options;
    const prisma = db.prisma;
    this.clock = clock;
    this.settings = new PrismaSettlementSettings(prisma);
    this.imports = new PrismaSettlementImports(prisma);
    this.lines = new PrismaSettlementLines(prisma, db.engine);
    this.exceptions = new PrismaReconciliationExceptions(prisma, db.engine);
    this.runs = new PrismaReconciliationRuns(prisma);
    this.uploads = new SettlementUploadStore(options.dataDir);
    const lease = new PrismaSchedulerLease(prisma);
    const log = logger.child({ component: "reconciliation" });

    this.runReconciliation = new RunReconciliation({
      ledger: new PrismaReconciliationLedger(prisma, db.engine),
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
    this.preview = new PreviewSettlementFile({ uploads: this.uploads, imports: this.imports, mapping });
    const orders = new ShopifyAdminOrdersClient({
      apiVersion: options.apiVersion,
      shopOrigin: options.shopOrigin,
      logger: log,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const reportSources = new PrismaSettlementReports(prisma, this.lines);
    this.reports = new SettlementReports({ sources: reportSources, terms: this.settings, clock });
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
    this.linkOrders = new LinkOrders({ store: new PrismaOrderLinks(prisma), orders, target: (shopId) => this.adminTarget(shopId), clock, logger: log });

    const daily = new DailyReconciliation({
      shops: () => this.settings.installedShopIds(),
      lastScheduledRun: async (shopId) => (await this.runs.latest(shopId, "schedule"))?.startedAt ?? null,
      // One shop after the other: a big shop's run holds its ledger index in memory.
      runShop: async (shopId) => {
        await (await this.enqueueRun(shopId, "schedule", { linkOrders: true })).done;
      },
      housekeeping: async () => {
        const now = clock.now();
        await this.runner.recoverStale();
        await this.runs.failAbandoned(new Date(now.getTime() - 2 * 60 * 60 * 1000), now);
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
      clock,
      logger: log,
      task: () => daily.tick(),
    });
  }

  /**
   * Queues a run for the shop (after any import or run already queued for it) and returns the queued run
   * at once; `done` settles when it has finished. With linkOrders, orders are looked up first.
   */
  async enqueueRun(shopId: string, trigger: RunTrigger, options: { linkOrders: boolean }): Promise<{ run: RunRecord; done: Promise<RunOutcome> }> {
    const run = await this.runs.create(shopId, trigger, this.clock.now());
    const done = this.queue.run(shopId, async (): Promise<RunOutcome> => {
      let links: LinkOrdersReport | null = null;
      if (options.linkOrders) {
        try {
          links = await this.linkOrders.execute(shopId);
        } catch (error) {
          this.options.logger.warn({ err: error, shopId }, "linking orders failed; reconciling with the links known");
        }
      }
      const result = await this.runReconciliation.execute({ shopId, trigger, run });
      return { links, result };
    });
    done.catch(() => undefined);
    return { run, done };
  }

  /**
   * The merchant's "Run reconciliation now": one run per shop at a time. While the shop's manual run is
   * queued or going, asking again (a double click, a second tab) answers that run with alreadyQueued.
   * The map entry is set before the first await, so two requests at once cannot both create a run.
   */
  async requestManualRun(shopId: string, options: { linkOrders: boolean }): Promise<{ run: RunRecord; alreadyQueued: boolean }> {
    const pending = this.manualRuns.get(shopId);
    if (pending) {
      const run = await pending;
      return { run: (await this.runs.find(shopId, run.id)) ?? run, alreadyQueued: true };
    }
    const started = this.enqueueRun(shopId, "manual", options);
    const clear = () => {
      this.manualRuns.delete(shopId);
    };
    this.manualRuns.set(
      shopId,
      started.then((value) => value.run),
    );
    try {
      const { run, done } = await started;
      done.then(clear, clear);
      return { run, alreadyQueued: false };
    } catch (error) {
      clear();
      throw error;
    }
  }

  /** Runs now and waits (bench, tests, CLI). */
  async reconcileNow(shopId: string, trigger: RunTrigger = "manual", options = { linkOrders: false }): Promise<RunOutcome> {
    const { done } = await this.enqueueRun(shopId, trigger, options);
    try {
      return await done;
    } catch (error) {
      return { links: null, result: err({ kind: "busy", message: error instanceof Error ? error.message : String(error) }) };
    }
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

  private async adminTarget(shopId: string): Promise<ShopifyTarget | null> {
    const shop = await this.options.db.prisma.shop.findUnique({ where: { id: shopId }, select: { domain: true, status: true, offlineTokenEncrypted: true } });
    if (!shop || shop.status !== "installed" || !shop.offlineTokenEncrypted) return null;
    return { shopDomain: shop.domain, accessToken: this.options.secrets.decrypt(shop.offlineTokenEncrypted) };
  }
}
